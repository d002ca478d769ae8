package fake

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// NewRand returns the random source for one simulated call: a PCG generator
// seeded with seed and stream. The statistics runner seeds run i of a
// series with (S, i), so each run draws the same values whatever the order
// in which the runs execute, and a run can be replayed alone.
func NewRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

type distKind uint8

const (
	distFixed distKind = iota
	distUniform
	distExp
	distLogNormal
)

// Dist is a distribution of durations, such as the time a party rings
// before it answers. Build one with Fixed, Uniform, Exponential, LogNormal
// or ParseDist. The zero value is Fixed(0). Dist values are comparable
// with == and with their Equal method.
type Dist struct {
	kind  distKind
	a, b  time.Duration // fixed: a; uniform: [a, b); exp: mean a; lognormal: median a
	sigma float64       // lognormal only
}

// Fixed returns the distribution that always gives d.
func Fixed(d time.Duration) Dist { return Dist{kind: distFixed, a: d} }

// Uniform returns the uniform distribution on [lo, hi).
func Uniform(lo, hi time.Duration) Dist { return Dist{kind: distUniform, a: lo, b: hi} }

// Exponential returns the exponential distribution with the given mean:
// memoryless waiting, e.g. how long a person talks.
func Exponential(mean time.Duration) Dist { return Dist{kind: distExp, a: mean} }

// LogNormal returns the log-normal distribution with the given median
// whose logarithm has standard deviation sigma: right-skewed times with
// a long tail, e.g. how long a person takes to pick up a phone.
func LogNormal(median time.Duration, sigma float64) Dist {
	return Dist{kind: distLogNormal, a: median, sigma: sigma}
}

// Equal reports whether d and e are the same distribution with the same
// parameters. (It lets go-cmp compare values that hold a Dist.)
func (d Dist) Equal(e Dist) bool { return d == e }

// String returns d in the syntax ParseDist reads and scenario files use:
// "3s", "uniform(2s,8s)", "exp(4s)" or "lognormal(5s,0.5)".
func (d Dist) String() string {
	switch d.kind {
	case distFixed:
		return d.a.String()
	case distUniform:
		return "uniform(" + d.a.String() + "," + d.b.String() + ")"
	case distExp:
		return "exp(" + d.a.String() + ")"
	case distLogNormal:
		return "lognormal(" + d.a.String() + "," + strconv.FormatFloat(d.sigma, 'g', -1, 64) + ")"
	}
	return fmt.Sprintf("Dist(%d)", d.kind)
}

// Mean returns the distribution's expected value (saturating at the
// largest Duration).
func (d Dist) Mean() time.Duration {
	switch d.kind {
	case distUniform:
		return d.a + (d.b-d.a)/2
	case distLogNormal:
		return durationOf(float64(d.a) * math.Exp(d.sigma*d.sigma/2))
	}
	return d.a
}

// Validate reports whether d's parameters make sense: no negative
// durations, lo <= hi for Uniform, a positive mean or median for
// Exponential and LogNormal, and a finite, non-negative sigma. Its errors
// wrap ErrDist.
func (d Dist) Validate() error {
	if reason := d.invalid(); reason != "" {
		return fmt.Errorf("%v: %s: %w", d, reason, ErrDist)
	}
	return nil
}

// invalid returns what is wrong with d's parameters, or "".
func (d Dist) invalid() string {
	switch d.kind {
	case distFixed:
		if d.a < 0 {
			return "negative duration"
		}
	case distUniform:
		if d.a < 0 {
			return "negative low bound"
		}
		if d.a > d.b {
			return "low bound above high bound"
		}
	case distExp:
		if d.a <= 0 {
			return "mean must be positive"
		}
	case distLogNormal:
		if d.a <= 0 {
			return "median must be positive"
		}
		if !(d.sigma >= 0) || math.IsInf(d.sigma, 0) {
			return "sigma must be a finite number >= 0"
		}
	default:
		return "unknown kind of distribution"
	}
	return ""
}

// Draw returns a duration drawn from d. It takes exactly one value from r
// whatever the distribution, a Fixed one included, so changing one
// distribution of a scenario does not shift the values drawn after it.
// Results are never negative and saturate at the largest Duration.
func (d Dist) Draw(r *rand.Rand) time.Duration {
	u := r.Float64() // in [0, 1)
	switch d.kind {
	case distUniform:
		return d.a + durationOf(u*float64(d.b-d.a))
	case distExp:
		// Inverse transform: -mean·ln(1-u), finite since 1-u > 0.
		return durationOf(-float64(d.a) * math.Log1p(-u))
	case distLogNormal:
		if d.sigma == 0 {
			return d.a
		}
		// Inverse transform through the standard normal quantile
		// √2·erfinv(2u-1); u = 0 gives -Inf, that is a zero duration.
		z := math.Sqrt2 * math.Erfinv(2*u-1)
		return durationOf(float64(d.a) * math.Exp(d.sigma*z))
	}
	return max(d.a, 0)
}

// durationOf converts nanoseconds to a Duration, clamping to
// [0, largest Duration].
func durationOf(ns float64) time.Duration {
	switch {
	case !(ns > 0): // also NaN
		return 0
	case ns >= math.MaxInt64:
		return math.MaxInt64
	}
	return time.Duration(ns)
}

// ParseDist parses a distribution as scenario files write it:
//
//	3s                  Fixed(3s); any time.ParseDuration syntax
//	fixed(3s)           Fixed(3s)
//	uniform(2s,8s)      Uniform(2s, 8s)
//	exp(4s)             Exponential(4s); also exponential(4s)
//	lognormal(5s,0.5)   LogNormal(5s, 0.5)
//
// Spaces around the arguments are allowed. The parameters are validated as
// by Dist.Validate. ParseDist(d.String()) gives back d.
func ParseDist(s string) (Dist, error) {
	d, err := parseDist(strings.TrimSpace(s))
	if err != nil {
		return Dist{}, fmt.Errorf("%s: %w", strings.TrimSpace(s), err)
	}
	if err := d.Validate(); err != nil {
		return Dist{}, err
	}
	return d, nil
}

func parseDist(s string) (Dist, error) {
	name, rest, ok := strings.Cut(s, "(")
	if !ok {
		d, err := time.ParseDuration(s)
		if err != nil {
			return Dist{}, errors.New("want a duration or a distribution such as uniform(2s,8s)")
		}
		return Fixed(d), nil
	}
	name = strings.TrimSpace(name)
	args, ok := strings.CutSuffix(rest, ")")
	if !ok {
		return Dist{}, errors.New("missing closing parenthesis")
	}
	fields := strings.Split(args, ",")
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	durs := func(want int) ([]time.Duration, error) {
		if len(fields) != want {
			return nil, fmt.Errorf("%s takes %d arguments, got %d", name, want, len(fields))
		}
		ds := make([]time.Duration, want)
		for i, f := range fields {
			d, err := time.ParseDuration(f)
			if err != nil {
				return nil, fmt.Errorf("argument %d: %q is not a duration", i+1, f)
			}
			ds[i] = d
		}
		return ds, nil
	}
	switch name {
	case "fixed":
		ds, err := durs(1)
		if err != nil {
			return Dist{}, err
		}
		return Fixed(ds[0]), nil
	case "uniform":
		ds, err := durs(2)
		if err != nil {
			return Dist{}, err
		}
		return Uniform(ds[0], ds[1]), nil
	case "exp", "exponential":
		ds, err := durs(1)
		if err != nil {
			return Dist{}, err
		}
		return Exponential(ds[0]), nil
	case "lognormal":
		if len(fields) != 2 {
			return Dist{}, fmt.Errorf("lognormal takes 2 arguments (median, sigma), got %d", len(fields))
		}
		median, err := time.ParseDuration(fields[0])
		if err != nil {
			return Dist{}, fmt.Errorf("argument 1: %q is not a duration", fields[0])
		}
		sigma, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			return Dist{}, fmt.Errorf("argument 2: sigma %q is not a number", fields[1])
		}
		return LogNormal(median, sigma), nil
	}
	return Dist{}, errors.New("unknown distribution (want fixed, uniform, exp or lognormal)")
}

// Random is a party whose behaviour is drawn anew for each simulated call,
// for the statistics runner. Each call, it is busy, fails, never answers,
// declines, or is picked up by voicemail with the given probabilities;
// the rest of the time a human answers. The zero value (apart from Addr)
// is a human who answers at once and stays until the caller ends the call.
type Random struct {
	// Addr is the dialed address, as in Party.
	Addr string
	// Answer is the ring time before a human answers, and before the
	// party declines (Reject).
	Answer Dist
	// Busy, Fail, NoAnswer, Reject and Voicemail are the probabilities of
	// each behaviour, each in [0, 1], summing to at most 1. Busy and Fail
	// happen at once; NoAnswer rings until cancelled; Reject declines after
	// a ring time drawn from Answer; Voicemail answers after a time drawn
	// from VoicemailAnswer.
	Busy, Fail, NoAnswer, Reject, Voicemail float64
	// VoicemailAnswer is how long the phone rings before voicemail picks
	// up. The zero value (Fixed(0)) means: drawn from Answer.
	VoicemailAnswer Dist
	// Talk is how long whoever answers (human or voicemail) stays after
	// being bridged; a drawn zero means until the other side ends.
	Talk Dist
	// Presses are what a human presses in the whisper's Gathers, as in
	// Party; voicemail presses nothing.
	Presses []Press
	// Inputs, when not nil, replace Presses: the human's inputs (keys or
	// speech) in order, drawn anew for each call (RandomPress.Draw).
	Inputs []RandomPress
	// Greeting is how long a voicemail's recorded message lasts (Party's
	// Greeting). The zero value (Fixed(0)) means VoicemailGreeting; a
	// person's "hello" is HumanGreeting.
	Greeting Dist
}

// Validate reports whether the probabilities lie in [0, 1] and sum to at
// most 1, and whether the distributions, presses and inputs are valid. Its
// errors name the party and wrap ErrProbability, ErrDist, ErrKeys,
// ErrSpeech, ErrContradiction or ErrDuration.
func (r Random) Validate() error {
	sum := 0.0
	for _, p := range []struct {
		name string
		p    float64
	}{{"busy", r.Busy}, {"fail", r.Fail}, {"noanswer", r.NoAnswer}, {"reject", r.Reject}, {"voicemail", r.Voicemail}} {
		if !(p.p >= 0 && p.p <= 1) {
			return fmt.Errorf("party %s: %s probability %v outside [0, 1]: %w", r.Addr, p.name, p.p, ErrProbability)
		}
		sum += p.p
	}
	if sum > 1+1e-9 {
		return fmt.Errorf("party %s: probabilities sum to %v, more than 1: %w", r.Addr, sum, ErrProbability)
	}
	for _, d := range []struct {
		name string
		d    Dist
	}{{"answer", r.Answer}, {"voicemail answer", r.VoicemailAnswer}, {"talk", r.Talk}, {"greeting", r.Greeting}} {
		if err := d.d.Validate(); err != nil {
			return fmt.Errorf("party %s: %s: %w", r.Addr, d.name, err)
		}
	}
	for _, pr := range r.Presses {
		if err := pr.Validate(); err != nil {
			return fmt.Errorf("party %s: %w", r.Addr, err)
		}
	}
	if r.Inputs != nil && r.Presses != nil {
		return fmt.Errorf("party %s: both Presses and Inputs: %w", r.Addr, ErrContradiction)
	}
	for _, in := range r.Inputs {
		if err := in.Validate(); err != nil {
			return fmt.Errorf("party %s: %w", r.Addr, err)
		}
	}
	return nil
}

// Draw returns the party's behaviour for one call. It takes exactly four
// values from rng whatever the outcome (the outcome, the human ring time,
// the voicemail ring time, the talk time), and a fifth, the voicemail's
// greeting, when Greeting is set, so the same rng state gives the
// same Party, and the values drawn for the parties after this one do not
// depend on which outcome it drew; with Inputs, it then takes two values
// for each input, whatever the outcome. The Party's Presses do not share
// memory with r.Presses.
func (r Random) Draw(rng *rand.Rand) Party {
	u := rng.Float64()
	ring := r.Answer.Draw(rng)
	vm := r.VoicemailAnswer
	if vm == (Dist{}) {
		vm = r.Answer
	}
	vmRing := vm.Draw(rng)
	talk := r.Talk.Draw(rng)
	var greeting time.Duration
	if r.Greeting != (Dist{}) {
		// A fifth value, drawn only by parties that set a Greeting, so
		// that the others draw what they drew before it existed.
		greeting = r.Greeting.Draw(rng)
	}
	drawn := DrawPresses(r.Inputs, rng) // nil without Inputs

	p := Party{Addr: r.Addr}
	switch c := r.Busy; {
	case u < c:
		p.Outcome = Busy
	case u < c+r.Fail:
		p.Outcome = Fail
	case u < c+r.Fail+r.NoAnswer:
		p.Outcome = NoAnswer
	case u < c+r.Fail+r.NoAnswer+r.Reject:
		p.Outcome, p.After = Reject, ring
	case u < c+r.Fail+r.NoAnswer+r.Reject+r.Voicemail:
		p.Outcome, p.After, p.Talk, p.Voicemail, p.Greeting = Answer, vmRing, talk, true, greeting
	default:
		p.Outcome, p.After, p.Talk, p.Presses = Answer, ring, talk, drawn
		if r.Inputs == nil {
			p.Presses = slices.Clone(r.Presses)
		}
	}
	return p
}
