package fake_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/fake"
)

func TestOutcomeString(t *testing.T) {
	for _, tt := range []struct {
		o    fake.Outcome
		want string
	}{
		{fake.NoAnswer, "noanswer"},
		{fake.Answer, "answer"},
		{fake.Busy, "busy"},
		{fake.Fail, "fail"},
		{fake.Reject, "reject"},
		{fake.Outcome(9), "Outcome(9)"},
		{fake.Outcome(-1), "Outcome(-1)"},
	} {
		if got := tt.o.String(); got != tt.want {
			t.Errorf("Outcome(%d).String() = %q, want %q", int(tt.o), got, tt.want)
		}
	}
	var zero fake.Party
	if zero.Outcome != fake.NoAnswer {
		t.Errorf("zero Party rings with %v, want noanswer", zero.Outcome)
	}
}

// isKind reports whether err is nil when want is, and wraps want
// otherwise.
func isKind(err, want error) bool {
	if want == nil {
		return err == nil
	}
	return errors.Is(err, want)
}

func TestPressValidate(t *testing.T) {
	for _, tt := range []struct {
		p    fake.Press
		want error // the kind of error, nil for none
	}{
		{fake.Press{Keys: "1", After: time.Second}, nil},
		{fake.Press{Keys: "0123456789*#"}, nil},
		{fake.Press{Keys: ""}, fake.ErrKeys},
		{fake.Press{Keys: "1a"}, fake.ErrKeys},
		{fake.Press{Keys: "w"}, fake.ErrKeys},
		{fake.Press{Keys: "1", After: -time.Second}, fake.ErrDuration},
	} {
		if err := tt.p.Validate(); !isKind(err, tt.want) {
			t.Errorf("%+v.Validate() = %v, want %v", tt.p, err, tt.want)
		}
	}
	if got, want := (fake.Press{Keys: "42#", After: 1500 * time.Millisecond}).String(), "42#@1.5s"; got != want {
		t.Errorf("Press.String() = %q, want %q", got, want)
	}
}

func TestPartyValidate(t *testing.T) {
	const addr = "client:jenny"
	for _, tt := range []struct {
		name string
		p    fake.Party
		want error
	}{
		{"zero", fake.Party{Addr: addr}, nil},
		{"answer", fake.Party{Addr: addr, Outcome: fake.Answer, After: 3 * time.Second, Talk: time.Minute,
			Hangup: 2 * time.Minute, Presses: []fake.Press{{Keys: "1", After: time.Second}}}, nil},
		{"voicemail", fake.Party{Addr: addr, Outcome: fake.Answer, After: time.Second, Voicemail: true}, nil},
		{"busy", fake.Party{Addr: addr, Outcome: fake.Busy}, nil},
		{"reject", fake.Party{Addr: addr, Outcome: fake.Reject, After: 4 * time.Second}, nil},
		{"unknown outcome", fake.Party{Addr: addr, Outcome: 7}, fake.ErrOutcome},
		{"negative after", fake.Party{Addr: addr, Outcome: fake.Answer, After: -1}, fake.ErrDuration},
		{"negative talk", fake.Party{Addr: addr, Outcome: fake.Answer, Talk: -1}, fake.ErrDuration},
		{"negative hangup", fake.Party{Addr: addr, Outcome: fake.Answer, Hangup: -1}, fake.ErrDuration},
		{"bad press", fake.Party{Addr: addr, Outcome: fake.Answer, Presses: []fake.Press{{Keys: "x"}}}, fake.ErrKeys},
		{"busy talks", fake.Party{Addr: addr, Outcome: fake.Busy, Talk: time.Second}, fake.ErrContradiction},
		{"noanswer hangs up", fake.Party{Addr: addr, Hangup: time.Second}, fake.ErrContradiction},
		{"fail presses", fake.Party{Addr: addr, Outcome: fake.Fail, Presses: []fake.Press{{Keys: "1"}}}, fake.ErrContradiction},
		{"rejecting voicemail", fake.Party{Addr: addr, Outcome: fake.Reject, Voicemail: true}, fake.ErrContradiction},
		{"voicemail presses", fake.Party{Addr: addr, Outcome: fake.Answer, Voicemail: true,
			Presses: []fake.Press{{Keys: "1"}}}, fake.ErrContradiction},
		{"greeting", fake.Party{Addr: addr, Outcome: fake.Answer, Voicemail: true, Greeting: 6 * time.Second}, nil},
		{"silent", fake.Party{Addr: addr, Outcome: fake.Answer, Silent: true}, nil},
		{"negative greeting", fake.Party{Addr: addr, Outcome: fake.Answer, Greeting: -1}, fake.ErrDuration},
		{"busy greets", fake.Party{Addr: addr, Outcome: fake.Busy, Greeting: time.Second}, fake.ErrContradiction},
		{"noanswer silent", fake.Party{Addr: addr, Silent: true}, fake.ErrContradiction},
		{"silent greeting", fake.Party{Addr: addr, Outcome: fake.Answer, Silent: true, Greeting: time.Second}, fake.ErrContradiction},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.p.Validate(); !isKind(err, tt.want) {
				t.Errorf("Validate() = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPartyGreetingTime(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    fake.Party
		want time.Duration
	}{
		{"person", fake.Party{Outcome: fake.Answer}, fake.HumanGreeting},
		{"voicemail", fake.Party{Outcome: fake.Answer, Voicemail: true}, fake.VoicemailGreeting},
		{"set", fake.Party{Outcome: fake.Answer, Voicemail: true, Greeting: 3 * time.Second}, 3 * time.Second},
		{"silent", fake.Party{Outcome: fake.Answer, Silent: true}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.GreetingTime(); got != tt.want {
				t.Errorf("GreetingTime() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseDist(t *testing.T) {
	for _, tt := range []struct {
		in, str string // str: what String gives back ("" means in)
		want    fake.Dist
	}{
		{in: "3s", want: fake.Fixed(3 * time.Second)},
		{in: "0s", want: fake.Dist{}},
		{in: "0", str: "0s", want: fake.Fixed(0)},
		{in: "1m30s", want: fake.Fixed(90 * time.Second)},
		{in: "500ms", want: fake.Fixed(500 * time.Millisecond)},
		{in: "fixed(3s)", str: "3s", want: fake.Fixed(3 * time.Second)},
		{in: "uniform(2s,8s)", want: fake.Uniform(2*time.Second, 8*time.Second)},
		{in: " uniform( 2s , 8s ) ", str: "uniform(2s,8s)", want: fake.Uniform(2*time.Second, 8*time.Second)},
		{in: "uniform(3s,3s)", want: fake.Uniform(3*time.Second, 3*time.Second)},
		{in: "exp(4s)", want: fake.Exponential(4 * time.Second)},
		{in: "exponential(1m)", str: "exp(1m0s)", want: fake.Exponential(time.Minute)},
		{in: "lognormal(5s,0.5)", want: fake.LogNormal(5*time.Second, 0.5)},
		{in: "lognormal(5s,0)", want: fake.LogNormal(5*time.Second, 0)},
		{in: "lognormal(2.5s,1e-3)", str: "lognormal(2.5s,0.001)", want: fake.LogNormal(2500*time.Millisecond, 0.001)},
	} {
		got, err := fake.ParseDist(tt.in)
		if err != nil {
			t.Errorf("ParseDist(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseDist(%q) (-want +got):\n%s", tt.in, diff)
		}
		str := tt.str
		if str == "" {
			str = tt.in
		}
		if got.String() != str {
			t.Errorf("ParseDist(%q).String() = %q, want %q", tt.in, got.String(), str)
		}
		back, err := fake.ParseDist(got.String())
		if err != nil || back != got {
			t.Errorf("ParseDist(%q) = %v, %v; want the round trip to give %v", got.String(), back, err, got)
		}
	}
}

func TestParseDistErrors(t *testing.T) {
	for _, in := range []string{
		"", "3", "soon", "-1s",
		"uniform(2s)", "uniform(8s,2s)", "uniform(-1s,2s)", "uniform(2s,8s", "uniform(2s,x)",
		"exp(0s)", "exp(-4s)", "exp()", "exp(4s,5s)",
		"lognormal(5s)", "lognormal(0s,0.5)", "lognormal(5s,-1)", "lognormal(5s,NaN)",
		"lognormal(5s,Inf)", "lognormal(5s,big)",
		"normal(5s,1s)", "fixed(-1s)",
	} {
		if d, err := fake.ParseDist(in); err == nil {
			t.Errorf("ParseDist(%q) = %v, want an error", in, d)
		}
	}
}

func TestDistDrawDeterministic(t *testing.T) {
	for _, d := range []fake.Dist{
		fake.Fixed(time.Second),
		fake.Uniform(2*time.Second, 8*time.Second),
		fake.Exponential(4 * time.Second),
		fake.LogNormal(5*time.Second, 0.5),
	} {
		t.Run(d.String(), func(t *testing.T) {
			draws := func(seed, stream uint64) []time.Duration {
				r := fake.NewRand(seed, stream)
				var ds []time.Duration
				for range 50 {
					ds = append(ds, d.Draw(r))
				}
				return ds
			}
			a, b := draws(7, 3), draws(7, 3)
			if diff := cmp.Diff(a, b); diff != "" {
				t.Errorf("same seed, different draws (-first +second):\n%s", diff)
			}
			if d.String() != "1s" && cmp.Equal(a, draws(7, 4)) {
				t.Errorf("streams 3 and 4 gave the same draws")
			}

			// Each draw takes exactly one value from the source.
			r, ref := fake.NewRand(1, 2), fake.NewRand(1, 2)
			d.Draw(r)
			ref.Uint64()
			if got, want := r.Uint64(), ref.Uint64(); got != want {
				t.Errorf("after one Draw the source is not one value ahead")
			}
		})
	}
}

func TestDistDrawStatistics(t *testing.T) {
	const n = 100_000
	for _, tt := range []struct {
		d         fake.Dist
		mean      time.Duration
		lo, hi    time.Duration // every draw in [lo, hi]
		below     time.Duration // a quantile: the fraction of draws below it...
		fracBelow float64       // ...should be this
	}{
		{fake.Fixed(3 * time.Second), 3 * time.Second, 3 * time.Second, 3 * time.Second, 4 * time.Second, 1},
		{fake.Uniform(2*time.Second, 8*time.Second), 5 * time.Second, 2 * time.Second, 8 * time.Second, 5 * time.Second, 0.5},
		{fake.Exponential(4 * time.Second), 4 * time.Second, 0, time.Hour, 4 * time.Second, 1 - math.Exp(-1)},
		{fake.LogNormal(5*time.Second, 0.5), time.Duration(5e9 * math.Exp(0.125)), 0, time.Hour, 5 * time.Second, 0.5},
		{fake.LogNormal(5*time.Second, 0), 5 * time.Second, 5 * time.Second, 5 * time.Second, 5 * time.Second, 0},
	} {
		t.Run(tt.d.String(), func(t *testing.T) {
			if got := tt.d.Mean(); got != tt.mean {
				t.Errorf("Mean() = %v, want %v", got, tt.mean)
			}
			r := fake.NewRand(2026, 1)
			var sum float64
			below := 0
			for range n {
				x := tt.d.Draw(r)
				if x < tt.lo || x > tt.hi {
					t.Fatalf("draw %v outside [%v, %v]", x, tt.lo, tt.hi)
				}
				sum += float64(x)
				if x < tt.below {
					below++
				}
			}
			mean := sum / n
			if rel := math.Abs(mean-float64(tt.mean)) / float64(tt.mean); rel > 0.02 {
				t.Errorf("mean of %d draws = %v, want %v within 2%%", n, time.Duration(mean), tt.mean)
			}
			if frac := float64(below) / n; math.Abs(frac-tt.fracBelow) > 0.01 {
				t.Errorf("fraction of draws below %v = %.4f, want %.4f", tt.below, frac, tt.fracBelow)
			}
		})
	}
}

func TestDistZeroValue(t *testing.T) {
	var d fake.Dist
	if d != fake.Fixed(0) || d.String() != "0s" || d.Validate() != nil {
		t.Errorf("zero Dist = %v (valid: %v), want 0s", d, d.Validate())
	}
	if got := d.Draw(fake.NewRand(1, 1)); got != 0 {
		t.Errorf("zero Dist drew %v, want 0", got)
	}
}

func TestRandomValidate(t *testing.T) {
	ok := fake.Random{Addr: "+18589876543", Answer: fake.Uniform(2*time.Second, 8*time.Second),
		Busy: 0.1, Fail: 0.05, NoAnswer: 0.1, Reject: 0.05, Voicemail: 0.2, Talk: fake.Exponential(time.Minute)}
	for _, tt := range []struct {
		name string
		edit func(*fake.Random)
		want error
	}{
		{"ok", func(*fake.Random) {}, nil},
		{"zero", func(r *fake.Random) { *r = fake.Random{} }, nil},
		{"sum is one", func(r *fake.Random) { r.Busy, r.Fail, r.NoAnswer, r.Reject, r.Voicemail = 0.7, 0.1, 0.1, 0.05, 0.05 }, nil},
		{"all busy", func(r *fake.Random) { *r = fake.Random{Busy: 1} }, nil},
		{"sum above one", func(r *fake.Random) { r.Voicemail = 0.75 }, fake.ErrProbability},
		{"negative", func(r *fake.Random) { r.Fail = -0.01 }, fake.ErrProbability},
		{"above one", func(r *fake.Random) { *r = fake.Random{NoAnswer: 1.5} }, fake.ErrProbability},
		{"NaN", func(r *fake.Random) { r.Reject = math.NaN() }, fake.ErrProbability},
		{"bad answer", func(r *fake.Random) { r.Answer = fake.Uniform(8*time.Second, 2*time.Second) }, fake.ErrDist},
		{"bad voicemail answer", func(r *fake.Random) { r.VoicemailAnswer = fake.Exponential(0) }, fake.ErrDist},
		{"bad talk", func(r *fake.Random) { r.Talk = fake.LogNormal(time.Second, -1) }, fake.ErrDist},
		{"bad press", func(r *fake.Random) { r.Presses = []fake.Press{{Keys: ""}} }, fake.ErrKeys},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.edit(&r)
			if err := r.Validate(); !isKind(err, tt.want) {
				t.Errorf("Validate() = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRandomDraw(t *testing.T) {
	const addr = "client:jenny"
	presses := []fake.Press{{Keys: "1", After: 2 * time.Second}}
	for _, tt := range []struct {
		name string
		r    fake.Random
		want fake.Party
	}{
		{"human", fake.Random{Addr: addr, Answer: fake.Fixed(3 * time.Second), Talk: fake.Fixed(time.Minute), Presses: presses},
			fake.Party{Addr: addr, Outcome: fake.Answer, After: 3 * time.Second, Talk: time.Minute, Presses: presses}},
		{"busy", fake.Random{Addr: addr, Answer: fake.Fixed(3 * time.Second), Busy: 1, Talk: fake.Fixed(time.Minute), Presses: presses},
			fake.Party{Addr: addr, Outcome: fake.Busy}},
		{"fail", fake.Random{Addr: addr, Fail: 1}, fake.Party{Addr: addr, Outcome: fake.Fail}},
		{"noanswer", fake.Random{Addr: addr, Answer: fake.Fixed(3 * time.Second), NoAnswer: 1},
			fake.Party{Addr: addr, Outcome: fake.NoAnswer}},
		{"reject", fake.Random{Addr: addr, Answer: fake.Fixed(3 * time.Second), Reject: 1, Presses: presses},
			fake.Party{Addr: addr, Outcome: fake.Reject, After: 3 * time.Second}},
		{"voicemail", fake.Random{Addr: addr, Answer: fake.Fixed(3 * time.Second), Voicemail: 1,
			VoicemailAnswer: fake.Fixed(time.Second), Talk: fake.Fixed(20 * time.Second), Presses: presses},
			fake.Party{Addr: addr, Outcome: fake.Answer, After: time.Second, Talk: 20 * time.Second, Voicemail: true}},
		{"voicemail rings as long as a human by default", fake.Random{Addr: addr, Answer: fake.Fixed(3 * time.Second), Voicemail: 1},
			fake.Party{Addr: addr, Outcome: fake.Answer, After: 3 * time.Second, Voicemail: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.r.Validate(); err != nil {
				t.Fatal(err)
			}
			rng, ref := fake.NewRand(5, 6), fake.NewRand(5, 6)
			got := tt.r.Draw(rng)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Draw (-want +got):\n%s", diff)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("drawn party is not valid: %v", err)
			}
			for range 4 {
				ref.Uint64()
			}
			if rng.Uint64() != ref.Uint64() {
				t.Errorf("Draw did not take exactly four values from the source")
			}
			if len(got.Presses) > 0 && &got.Presses[0] == &tt.r.Presses[0] {
				t.Errorf("drawn Presses share memory with Random.Presses")
			}
		})
	}
}

// TestRandomDrawGreeting checks that a Random with a Greeting gives it to
// its voicemail, not to its human, and takes a fifth value for it whatever
// the outcome.
func TestRandomDrawGreeting(t *testing.T) {
	const addr = "+14155550100"
	for _, tt := range []struct {
		name string
		r    fake.Random
		want fake.Party
	}{
		{"voicemail", fake.Random{Addr: addr, Answer: fake.Fixed(3 * time.Second), Voicemail: 1, Greeting: fake.Fixed(6 * time.Second)},
			fake.Party{Addr: addr, Outcome: fake.Answer, After: 3 * time.Second, Voicemail: true, Greeting: 6 * time.Second}},
		{"human", fake.Random{Addr: addr, Answer: fake.Fixed(3 * time.Second), Greeting: fake.Fixed(6 * time.Second)},
			fake.Party{Addr: addr, Outcome: fake.Answer, After: 3 * time.Second}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.r.Validate(); err != nil {
				t.Fatal(err)
			}
			rng, ref := fake.NewRand(5, 6), fake.NewRand(5, 6)
			got := tt.r.Draw(rng)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Draw (-want +got):\n%s", diff)
			}
			for range 5 {
				ref.Uint64()
			}
			if rng.Uint64() != ref.Uint64() {
				t.Errorf("Draw did not take exactly five values from the source")
			}
		})
	}
}

func TestRandomDrawSameSeed(t *testing.T) {
	r := fake.Random{Addr: "+18589876543", Answer: fake.LogNormal(6*time.Second, 0.6),
		Busy: 0.1, Fail: 0.05, NoAnswer: 0.1, Reject: 0.05, Voicemail: 0.2,
		VoicemailAnswer: fake.Uniform(time.Second, 3*time.Second), Talk: fake.Exponential(time.Minute)}
	series := func(seed uint64) []fake.Party {
		var ps []fake.Party
		for i := range uint64(100) {
			ps = append(ps, r.Draw(fake.NewRand(seed, i)))
		}
		return ps
	}
	if diff := cmp.Diff(series(42), series(42)); diff != "" {
		t.Errorf("same seeds, different parties (-first +second):\n%s", diff)
	}
	if cmp.Equal(series(42), series(43)) {
		t.Errorf("seeds 42 and 43 gave the same parties")
	}
}

func TestRandomDrawFrequencies(t *testing.T) {
	const n = 100_000
	r := fake.Random{Addr: "client:tommy", Answer: fake.Uniform(2*time.Second, 8*time.Second),
		Busy: 0.1, Fail: 0.05, NoAnswer: 0.1, Reject: 0.05, Voicemail: 0.2,
		VoicemailAnswer: fake.Fixed(time.Second), Talk: fake.Exponential(time.Minute)}
	counts := map[string]int{}
	rng := rand.New(rand.NewPCG(9, 9))
	for range n {
		p := r.Draw(rng)
		kind := p.Outcome.String()
		if p.Voicemail {
			kind = "voicemail"
			if p.After != time.Second {
				t.Fatalf("voicemail answered after %v, want 1s", p.After)
			}
		}
		counts[kind]++
	}
	for kind, want := range map[string]float64{
		"busy": 0.1, "fail": 0.05, "noanswer": 0.1, "reject": 0.05, "voicemail": 0.2, "answer": 0.5,
	} {
		if got := float64(counts[kind]) / n; math.Abs(got-want) > 0.01 {
			t.Errorf("%s in %.4f of draws, want %.2f", kind, got, want)
		}
	}
}
