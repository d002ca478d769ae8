package stats

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
)

// DefaultRuns is how many calls Run simulates when Options.Runs is
// zero.
const DefaultRuns = 1000

// Options change how Run runs a series. The zero value runs
// DefaultRuns calls, all of them, on runtime.GOMAXPROCS(0) workers.
type Options struct {
	// Runs is the size of the series: runs 0 to Runs-1, run i drawing its
	// parties from the scenario's seed and stream i. Zero means
	// DefaultRuns.
	Runs int
	// Workers is how many calls run at once, each on its own virtual
	// clock; zero means runtime.GOMAXPROCS(0), and it is at most
	// MaxWorkers. It changes how fast the report comes, never what it says.
	Workers int
	// Shard selects the runs of the series to simulate; the zero value
	// means all of them.
	Shard Shard
	// RunOptions are how each call is played, as scenarios.Prepare takes
	// them (another policy, a running application); their Run is ignored,
	// since run i of the series plays stream i. The zero value plays the
	// scenario as its file says, on virtual time.
	RunOptions scenarios.RunOptions
	// Progress, if not nil, is called with the number of calls done so
	// far and the number the shard holds, about a hundred times in all
	// and once at the end. Calls are never concurrent and their counts
	// increase; Progress should return quickly, since a worker waits for
	// it.
	Progress func(done, total int)
}

// Seconds is a duration that JSON encodes as a number of seconds, the way
// transcripts give times. The figures of a Report are whole milliseconds.
type Seconds time.Duration

// MarshalJSON encodes s as a number of seconds, such as 3.25.
func (s Seconds) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(s)/1e9, 'f', -1, 64), nil
}

// UnmarshalJSON decodes a number of seconds, to the nearest nanosecond.
func (s *Seconds) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if math.IsNaN(f) || math.Abs(f*1e9) >= math.MaxInt64 { // float64(MaxInt64) is 2⁶³
		return fmt.Errorf("stats: %v seconds is out of range", f)
	}
	*s = Seconds(math.Round(f * 1e9))
	return nil
}

// String formats s as time.Duration does, such as "3.25s".
func (s Seconds) String() string { return time.Duration(s).String() }

// Report is what a series of simulated calls shows about the first Dial
// of each call (the race; later Dials of a call are not counted). Its
// counts add up across shards, and Merge adds them exactly; the summary
// figures (DeclineRate, Connect, Histogram) are computed from the counts.
// A Report is deterministic: the same scenario, seed, Runs and Shard give
// the same Report on any number of workers. It encodes as JSON, the form
// "dialsim stats --json" writes and "dialsim stats merge" reads.
type Report struct {
	// Scenario is the scenario's name (its file name).
	Scenario string `json:"scenario"`
	// Seed is the seed from which the random parties drew.
	Seed uint64 `json:"seed"`
	// Policy is the screening policy the calls ran under, which JSON
	// encodes by its name, such as "first-accept".
	Policy engine.Policy `json:"policy"`
	// Runs is the size of the series the report belongs to.
	Runs int `json:"runs"`
	// Shards and Slices say which runs of the series the report holds:
	// those whose index modulo Shards is one of Slices. A report of the
	// whole series has Shards 1 and Slices [0].
	Shards int   `json:"shards"`
	Slices []int `json:"slices"`
	// Calls is the number of calls simulated. It is the number of runs the
	// slices hold, unless the series was cancelled.
	Calls int `json:"calls"`
	// NoDial counts the calls that ended without reaching a Dial.
	NoDial int `json:"no_dial"`
	// Status counts the first Dial of each call by its DialCallStatus
	// (completed, busy, no-answer, failed, canceled).
	Status map[string]int `json:"status"`
	// Bridged counts the calls whose first Dial bridged a party.
	Bridged int `json:"bridged"`
	// Wins counts the bridged calls by the party that won (its address).
	Wins map[string]int `json:"wins"`
	// VoicemailWon counts the calls whose first Dial's race a voicemail
	// won (engine.DialResult.VoicemailWon): under first-answer, the
	// voicemail answered first, and its whisper, if any, then declined
	// or accepted; under first-accept, it was bridged.
	VoicemailWon int `json:"voicemail_won"`
	// Voicemail counts the bridged calls in which the winner was a
	// voicemail (a part of VoicemailWon).
	Voicemail int `json:"voicemail"`
	// Machines counts the legs of the first Dials that answering-machine
	// detection found answered by a machine (AnsweredBy machine_...),
	// whether or not they were bridged.
	Machines int `json:"machines"`
	// Answered counts the legs that answered in the first Dials; Declined,
	// the whispers that declined among them.
	Answered int `json:"answered"`
	Declined int `json:"declined"`
	// DeclineRate is Declined / Answered, or 0 if nothing answered.
	DeclineRate float64 `json:"decline_rate"`
	// Connect summarises the time to connect of the bridged calls.
	Connect Connect `json:"connect"`
	// Histogram counts the bridged calls by time to connect, in bins
	// wide enough for a picture.
	Histogram Histogram `json:"histogram"`
	// Messages counts the messages the callers left (<Record>), in all
	// of each call, not only after its first Dial (messages.go).
	Messages Messages `json:"messages"`
	// World is what a series of worlds (a scenario of several calls:
	// callers, agents, queues) shows about them (world.go); nil for a
	// scenario of one call. A world counts as a call without a Dial.
	World *WorldStats `json:"world,omitempty"`
	// ConnectTimes counts the bridged calls by time to connect, to the
	// millisecond (rounded down), in increasing order of time: the data
	// from which Connect and Histogram come, kept whole so that merged
	// shards give exact percentiles.
	ConnectTimes []Bin `json:"connect_times"`
}

// Connect summarises times to connect: the time from the start of a Dial
// to the bridge, rounded down to the millisecond. Percentiles are by
// nearest rank: P90 is the smallest time that at least 90% of the bridged
// calls took at most. All are zero when no call was bridged.
type Connect struct {
	P50 Seconds `json:"p50"`
	P90 Seconds `json:"p90"`
	P99 Seconds `json:"p99"`
	Max Seconds `json:"max"`
}

// Histogram counts values in bins of equal Width from zero: Counts[i] is
// the number of values in [i·Width, (i+1)·Width).
type Histogram struct {
	Width  Seconds `json:"width"`
	Counts []int   `json:"counts"`
}

// Bin is the count N of bridged calls that took time T to connect.
type Bin struct {
	T Seconds `json:"t"`
	N int     `json:"n"`
}

// RunError is a run of a series that the simulator could not play to its
// end, such as a deadlock or a party the scenario contradicts. Replay it
// alone with scenarios.Run and RunOptions.Run.
type RunError struct {
	// Run is the index of the run in the series.
	Run int
	// Err is what went wrong.
	Err error
}

// Error returns "run N: " and the error.
func (e *RunError) Error() string { return fmt.Sprintf("run %d: %v", e.Run, e.Err) }

// Unwrap returns e.Err.
func (e *RunError) Unwrap() error { return e.Err }

// Errors from Merge.
var (
	// ErrMismatch: the reports belong to different series (scenario,
	// seed, policy, runs) or were split into different numbers of shards.
	ErrMismatch = errors.New("reports of different series")
	// ErrOverlap: two reports hold the same slice of the series.
	ErrOverlap = errors.New("reports overlap")
	// ErrIncomplete: a report holds fewer calls than its slices do, as
	// when its run was cancelled.
	ErrIncomplete = errors.New("report is incomplete")
	// ErrMalformed: a report's counts do not add up, as when its JSON was
	// edited by hand.
	ErrMalformed = errors.New("malformed report")
)

// Run simulates a series of calls of the scenario, or the Shard of it
// that opts select, and reports on their first Dials. Run i draws its
// parties from fake.NewRand(s.Seed, i) (set s.Seed, on a copy, for
// another seed), and each call runs on its own virtual clock, so the
// report is the same whatever the number of workers and whatever the
// order in which they run. A call the simulator cannot finish stops the
// series with a *RunError. When ctx ends, the workers abandon the calls
// in progress, and Run returns at once the report of the calls done,
// with ctx's error; its Calls then falls short, and Merge refuses it.
func Run(ctx context.Context, s *scenarios.Scenario, opts Options) (*Report, error) {
	runs := opts.Runs
	switch {
	case runs == 0:
		runs = DefaultRuns
	case runs < 0:
		return nil, fmt.Errorf("stats: %d runs", runs)
	}
	if err := opts.Shard.Check(); err != nil {
		return nil, err
	}
	shard := opts.Shard.whole()
	total := shard.Runs(runs)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(min(workers, total, MaxWorkers), 1)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64 // the next task: the shard's next-th run
		done     atomic.Int64
		errMu    sync.Mutex
		firstErr *RunError
	)
	// What every run shares is done once; an error here is one that every
	// run would give, so the series stops at its first run.
	// The report counts outcomes: the calls need no transcript.
	ro := opts.RunOptions
	ro.NoTranscript = true
	play, err := scenarios.Prepare(s, ro)
	policy := s.Policy // the policy the calls run under, as Prepare took it
	if ro.Policy != nil {
		policy = *ro.Policy
	}
	if err != nil {
		if total > 0 {
			firstErr = &RunError{Run: shard.I, Err: err}
		}
		workers = 0
	}
	p := progress{f: opts.Progress, total: total, step: max((total+99)/100, 1)}
	tallies := make([]*tally, workers)
	var wg sync.WaitGroup
	for w := range tallies {
		t := newTally()
		tallies[w] = t
		wg.Go(func() {
			for ctx.Err() == nil {
				task := int(next.Add(1) - 1)
				if task >= total {
					return
				}
				run := shard.I + task*shard.N
				var (
					res *engine.Result
					wr  *engine.WorldResult
					err error
				)
				if s.World != nil {
					wr, err = runWorld(ctx, play, uint64(run)) // world.go
				} else {
					res, err = play.Run(ctx, uint64(run))
				}
				if err != nil {
					if ctx.Err() != nil {
						return // cancelled: the call does not count
					}
					errMu.Lock()
					if firstErr == nil || run < firstErr.Run {
						firstErr = &RunError{Run: run, Err: err}
					}
					errMu.Unlock()
					cancel()
					return
				}
				if wr != nil {
					t.addWorld(wr)
				} else {
					t.add(res)
				}
				if n := int(done.Add(1)); n%p.step == 0 {
					p.report(n)
				}
			}
		})
	}
	wg.Wait()
	p.report(int(done.Load()))

	r := &Report{Scenario: s.Name, Seed: s.Seed, Policy: policy,
		Runs: runs, Shards: shard.N, Slices: []int{shard.I}}
	for _, t := range tallies {
		t.addTo(r)
	}
	r.finish()
	switch {
	case firstErr != nil:
		return r, firstErr
	case r.Calls < total:
		return r, context.Cause(ctx) // the caller's ctx ended
	}
	return r, nil
}

// progress calls f with increasing counts, one call at a time.
type progress struct {
	f           func(done, total int)
	total, step int
	mu          sync.Mutex
	called      bool
	last        int
}

func (p *progress) report(done int) {
	if p.f == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.called || done > p.last {
		p.called, p.last = true, done
		p.f(done, p.total)
	}
}

// tally is one worker's counts. It holds no per-call memory: its maps grow
// with the distinct statuses, winners and milliseconds seen.
type tally struct {
	calls, noDial, bridged, voicemail, voicemailWon, answered, declined int
	machines                                                            int
	status, wins                                                        map[string]int
	connect                                                             map[int64]int // milliseconds → calls
	msgCalls                                                            int           // calls that left a message
	msgLengths                                                          map[int64]int // whole seconds → messages
	world                                                               *worldTally   // world.go
}

func newTally() *tally {
	return &tally{status: map[string]int{}, wins: map[string]int{}, connect: map[int64]int{}, msgLengths: map[int64]int{}}
}

// add counts one call.
func (t *tally) add(res *engine.Result) {
	t.calls++
	if addMessages(t.msgLengths, res) {
		t.msgCalls++
	}
	if len(res.Dials) == 0 {
		t.noDial++
		return
	}
	d := &res.Dials[0]
	t.status[d.Status]++
	t.answered += d.Answered
	t.declined += d.Declined
	t.machines += d.Machines
	if d.VoicemailWon {
		t.voicemailWon++
	}
	if d.Bridged {
		t.bridged++
		t.wins[d.To]++
		t.connect[d.Connect.Milliseconds()]++
		if d.Voicemail {
			t.voicemail++
		}
	}
}

// addTo adds the tally's counts to r, leaving r.ConnectTimes sorted.
func (t *tally) addTo(r *Report) {
	bins := make([]Bin, 0, len(t.connect))
	for ms, n := range t.connect {
		bins = append(bins, Bin{T: Seconds(time.Duration(ms) * time.Millisecond), N: n})
	}
	slices.SortFunc(bins, func(a, b Bin) int { return cmp.Compare(a.T, b.T) })
	r.add(&Report{Calls: t.calls, NoDial: t.noDial, Bridged: t.bridged, Voicemail: t.voicemail, VoicemailWon: t.voicemailWon,
		Answered: t.answered, Declined: t.declined, Machines: t.machines, Status: t.status, Wins: t.wins, ConnectTimes: bins,
		Messages: messagesOf(t.msgCalls, t.msgLengths), World: t.worldReport()})
}

// add adds q's counts to r: the one place a report's figures are summed,
// for a worker's tally and for a merged shard alike.
func (r *Report) add(q *Report) {
	r.Calls += q.Calls
	r.NoDial += q.NoDial
	r.Bridged += q.Bridged
	r.Voicemail += q.Voicemail
	r.VoicemailWon += q.VoicemailWon
	r.Answered += q.Answered
	r.Declined += q.Declined
	r.Machines += q.Machines
	r.Status = addCounts(r.Status, q.Status)
	r.Wins = addCounts(r.Wins, q.Wins)
	r.ConnectTimes = mergeBins(r.ConnectTimes, q.ConnectTimes)
	r.Messages.add(&q.Messages)
	r.addWorld(q.World)
}

// addCounts adds the counts of b to a, allocating a if it is nil.
func addCounts(a, b map[string]int) map[string]int {
	if a == nil {
		a = make(map[string]int, len(b))
	}
	for k, n := range b {
		a[k] += n
	}
	return a
}

// mergeBins merges two lists of bins sorted by time, adding the counts of
// equal times.
func mergeBins(a, b []Bin) []Bin {
	out := make([]Bin, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0].T < b[0].T:
			out, a = append(out, a[0]), a[1:]
		case b[0].T < a[0].T:
			out, b = append(out, b[0]), b[1:]
		default:
			out = append(out, Bin{T: a[0].T, N: a[0].N + b[0].N})
			a, b = a[1:], b[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}

// finish computes the summary figures from the counts.
func (r *Report) finish() {
	r.DeclineRate = 0
	if r.Answered > 0 {
		r.DeclineRate = float64(r.Declined) / float64(r.Answered)
	}
	if r.Status == nil {
		r.Status = map[string]int{}
	}
	if r.Wins == nil {
		r.Wins = map[string]int{}
	}
	if r.ConnectTimes == nil {
		r.ConnectTimes = []Bin{}
	}
	r.Connect = Connect{
		P50: percentile(r.ConnectTimes, 50),
		P90: percentile(r.ConnectTimes, 90),
		P99: percentile(r.ConnectTimes, 99),
	}
	if n := len(r.ConnectTimes); n > 0 {
		r.Connect.Max = r.ConnectTimes[n-1].T
	}
	r.Histogram = histogram(r.ConnectTimes)
	r.Messages.finish()
	r.finishWorld()
}

// percentile returns the nearest-rank p-th percentile of sorted bins:
// the smallest time t such that at least p% of their counts are <= t;
// zero for no counts. Connect times, queue waits and message lengths all
// take theirs here.
func percentile(bins []Bin, p int) Seconds {
	total := 0
	for _, b := range bins {
		total += b.N
	}
	if total == 0 {
		return 0
	}
	rank := (total*p + 99) / 100 // ceil(total·p/100), at least 1 for p > 0
	seen := 0
	for _, b := range bins {
		seen += b.N
		if seen >= rank {
			return b.T
		}
	}
	return bins[len(bins)-1].T
}

// maxBins is the most bins histogram makes.
const maxBins = 40

// histogram bins sorted times in the narrowest of 1, 2 and 5 times a power
// of ten milliseconds that covers them in at most maxBins bins.
func histogram(times []Bin) Histogram {
	if len(times) == 0 {
		return Histogram{Width: Seconds(time.Second), Counts: []int{}}
	}
	last := time.Duration(times[len(times)-1].T)
	width := time.Millisecond
	for i := 1; int(last/width)+1 > maxBins; i++ {
		width = niceWidth(i)
	}
	counts := make([]int, int(last/width)+1)
	for _, b := range times {
		counts[time.Duration(b.T)/width] += b.N
	}
	return Histogram{Width: Seconds(width), Counts: counts}
}

// niceWidth returns the i-th of 1, 2, 5, 10, 20, 50, ... milliseconds.
func niceWidth(i int) time.Duration {
	w := time.Millisecond * time.Duration([]int{1, 2, 5}[i%3])
	for range i / 3 {
		w *= 10
	}
	return w
}

// Merge combines reports of shards of one series into the report of
// their union. Merging the reports of all n shards gives exactly the
// report of the whole series, as if it had been run at once. The reports
// must belong to one series (ErrMismatch), hold different slices
// (ErrOverlap) and be complete (ErrIncomplete). The reports are not
// changed.
func Merge(reports ...*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, errors.New("stats: no reports to merge")
	}
	first := reports[0]
	r := &Report{Scenario: first.Scenario, Seed: first.Seed, Policy: first.Policy, Runs: first.Runs, Shards: first.Shards}
	if r.Runs < 0 || r.Shards < 1 {
		return nil, fmt.Errorf("stats: report of %s: %d runs in %d shards: %w", r.Scenario, r.Runs, r.Shards, ErrMismatch)
	}
	seen := map[int]bool{}
	for _, q := range reports {
		switch {
		case q.Scenario != r.Scenario:
			return nil, fmt.Errorf("stats: scenario %s and %s: %w", r.Scenario, q.Scenario, ErrMismatch)
		case q.Seed != r.Seed:
			return nil, fmt.Errorf("stats: seed %d and %d: %w", r.Seed, q.Seed, ErrMismatch)
		case q.Policy != r.Policy:
			return nil, fmt.Errorf("stats: policy %s and %s: %w", r.Policy, q.Policy, ErrMismatch)
		case q.Runs != r.Runs:
			return nil, fmt.Errorf("stats: %d runs and %d: %w", r.Runs, q.Runs, ErrMismatch)
		case q.Shards != r.Shards:
			return nil, fmt.Errorf("stats: %d shards and %d: %w", r.Shards, q.Shards, ErrMismatch)
		}
		want := 0
		for _, i := range q.Slices {
			if i < 0 || i >= r.Shards {
				return nil, fmt.Errorf("stats: shard %d/%d: %w", i, r.Shards, ErrMismatch)
			}
			if seen[i] {
				return nil, fmt.Errorf("stats: shard %d/%d twice: %w", i, r.Shards, ErrOverlap)
			}
			seen[i] = true
			want += Shard{I: i, N: r.Shards}.Runs(r.Runs)
		}
		if err := q.check(); err != nil {
			return nil, err
		}
		if err := r.canAdd(q); err != nil {
			return nil, err
		}
		if q.Calls != want {
			return nil, fmt.Errorf("stats: report of shards %v/%d holds %d of its %d calls: %w", q.Slices, r.Shards, q.Calls, want, ErrIncomplete)
		}
		r.add(q)
	}
	r.Slices = slices.Sorted(maps.Keys(seen))
	if len(r.Slices) == r.Shards {
		r.Shards, r.Slices = 1, []int{0}
	}
	r.finish()
	return r, nil
}
