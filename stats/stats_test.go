package stats_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/stats"

	"github.com/google/go-cmp/cmp"
)

// The showcase scenarios of the statistics runner: ten random parties,
// first-answer without screening and first-accept with press-1 screening.
const (
	simulring = "testdata/stats_simulring.txt"
	screened  = "testdata/stats_screened.txt"
)

func parseFile(t testing.TB, file string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func runStats(t testing.TB, s *scenarios.Scenario, opts stats.Options) *stats.Report {
	t.Helper()
	r, err := stats.Run(context.Background(), s, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// runsFor returns how many calls a test simulates: fewer in -short mode.
func runsFor(t *testing.T, n int) int {
	if testing.Short() {
		return max(n/5, 1)
	}
	return n
}

// TestRunWorkers checks that the number of workers changes nothing in
// the report.
func TestRunWorkers(t *testing.T) {
	for _, file := range []string{simulring, screened} {
		t.Run(file, func(t *testing.T) {
			s := parseFile(t, file)
			runs := runsFor(t, 300)
			want := runStats(t, s, stats.Options{Runs: runs, Workers: 1})
			if want.Calls != runs || want.Bridged == 0 {
				t.Fatalf("report of %d calls, %d bridged; want %d calls, some bridged", want.Calls, want.Bridged, runs)
			}
			for _, workers := range []int{2, 4, 0} {
				got := runStats(t, s, stats.Options{Runs: runs, Workers: workers})
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("workers=%d: report differs from workers=1 (-want +got):\n%s", workers, diff)
				}
			}
		})
	}
}

// TestRunShards checks that the shards of a series merge, in any order,
// into the report of the whole series.
func TestRunShards(t *testing.T) {
	s := parseFile(t, screened)
	tests := []struct {
		runs, shards int
	}{
		{runsFor(t, 200), 1},
		{runsFor(t, 200), 2},
		{runsFor(t, 200), 3},
		{runsFor(t, 200), 7},
		{3, 5}, // shards 3 and 4 hold no runs
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("runs=%d/shards=%d", tt.runs, tt.shards), func(t *testing.T) {
			want := runStats(t, s, stats.Options{Runs: tt.runs, Workers: 2})
			var parts []*stats.Report
			calls := 0
			for i := range tt.shards {
				r := runStats(t, s, stats.Options{Runs: tt.runs, Workers: 1 + i%3, Shard: stats.Shard{I: i, N: tt.shards}})
				calls += r.Calls
				parts = append(parts, r)
			}
			if calls != tt.runs {
				t.Errorf("shards hold %d calls in all, want %d", calls, tt.runs)
			}
			for _, order := range [][]*stats.Report{parts, reversed(parts)} {
				got, err := stats.Merge(order...)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("merged shards differ from the whole series (-want +got):\n%s", diff)
				}
			}
			if tt.shards >= 3 {
				// Merging in two steps gives the same.
				a, err := stats.Merge(parts[0], parts[2])
				if err != nil {
					t.Fatal(err)
				}
				got, err := stats.Merge(append([]*stats.Report{parts[1], a}, parts[3:]...)...)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("shards merged in two steps differ from the whole series (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func reversed[T any](s []T) []T {
	out := make([]T, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// TestRunSeed checks that the seed, and only the seed, changes a series.
func TestRunSeed(t *testing.T) {
	s := parseFile(t, simulring)
	runs := runsFor(t, 100)
	a := runStats(t, s, stats.Options{Runs: runs})
	again := runStats(t, s, stats.Options{Runs: runs})
	if diff := cmp.Diff(a, again); diff != "" {
		t.Errorf("same seed, different reports (-first +second):\n%s", diff)
	}
	other := *s
	other.Seed = s.Seed + 1
	b := runStats(t, &other, stats.Options{Runs: runs})
	if b.Seed != other.Seed {
		t.Errorf("report of seed %d says seed %d", other.Seed, b.Seed)
	}
	b.Seed = a.Seed
	if cmp.Equal(a, b) {
		t.Errorf("seeds %d and %d give the same report", s.Seed, other.Seed)
	}
}

// TestRunPolicy plays the screened scenario under first-answer instead
// of its first-accept: when voicemail answers first, it now wins the race,
// declines the whisper (it never presses 1) and the caller reaches nobody.
func TestRunPolicy(t *testing.T) {
	s := parseFile(t, screened)
	runs := runsFor(t, 200)
	accept := runStats(t, s, stats.Options{Runs: runs})
	answer := runStats(t, s, stats.Options{Runs: runs, RunOptions: scenarios.RunOptions{Policy: new(engine.FirstAnswer)}})
	if accept.Policy != engine.FirstAccept || answer.Policy != engine.FirstAnswer {
		t.Errorf("policies %v and %v, want first-accept and first-answer", accept.Policy, answer.Policy)
	}
	if answer.Bridged >= accept.Bridged || answer.DeclineRate <= accept.DeclineRate {
		t.Errorf("first-accept: %d bridged, decline rate %v; first-answer: %d bridged, decline rate %v; want fewer bridged and more declined under first-answer",
			accept.Bridged, accept.DeclineRate, answer.Bridged, answer.DeclineRate)
	}
}

// scenario builds a small scenario: the header lines, a /voice document
// and a /screen whisper that asks for 1.
func scenario(t *testing.T, voice string, header ...string) *scenarios.Scenario {
	t.Helper()
	text := "call from=+15550001111 to=+15550002222 url=/voice\n" + strings.Join(header, "\n") + "\n" +
		"-- /voice --\n" + voice + "\n" +
		"-- /screen --\n<Response><Gather numDigits=\"1\" timeout=\"3\" action=\"/accept\"><Say>Press 1</Say></Gather><Hangup/></Response>\n" +
		"-- /accept --\n<Response/>\n"
	s, err := scenarios.Parse("small.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRunFigures checks the report of small scenarios whose answers are
// known.
func TestRunFigures(t *testing.T) {
	const runs = 40
	dial := func(nouns string) string { return "<Response><Dial timeout=\"20\">" + nouns + "</Dial></Response>" }
	base := stats.Report{Scenario: "small.txt", Policy: engine.FirstAnswer, Runs: runs, Shards: 1, Slices: []int{0}, Calls: runs,
		Status: map[string]int{}, Wins: map[string]int{}, ConnectTimes: []stats.Bin{},
		Histogram: stats.Histogram{Width: sec(1), Counts: []int{}}, Messages: stats.Messages{Lengths: []stats.Bin{}}}
	tests := []struct {
		name   string
		s      *scenarios.Scenario
		change func(r *stats.Report)
	}{{
		name: "answers at 3s",
		s:    scenario(t, dial("<Client>jenny</Client>"), "party client:jenny answer=3s talk=10s"),
		change: func(r *stats.Report) {
			r.Status = map[string]int{"completed": runs}
			r.Bridged, r.Answered = runs, runs
			r.Wins = map[string]int{"client:jenny": runs}
			r.Connect = stats.Connect{P50: sec(3), P90: sec(3), P99: sec(3), Max: sec(3)}
			r.ConnectTimes = []stats.Bin{{T: sec(3), N: runs}}
			r.Histogram = stats.Histogram{Width: sec(0.1), Counts: []int{30: runs}}
		},
	}, {
		name: "first of two",
		s: scenario(t, dial("<Client>jenny</Client><Client>tommy</Client>"),
			"party client:jenny answer=3s", "party client:tommy answer=2500ms"),
		change: func(r *stats.Report) {
			r.Status = map[string]int{"completed": runs}
			r.Bridged, r.Answered = runs, runs
			r.Wins = map[string]int{"client:tommy": runs}
			r.Connect = stats.Connect{P50: sec(2.5), P90: sec(2.5), P99: sec(2.5), Max: sec(2.5)}
			r.ConnectTimes = []stats.Bin{{T: sec(2.5), N: runs}}
			r.Histogram = stats.Histogram{Width: sec(0.1), Counts: []int{25: runs}}
		},
	}, {
		// Synchronous detection holds the bridge 2.4 s (machine_start)
		// after the voicemail picks up at 2 s.
		name: "machine detected",
		s: scenario(t, dial(`<Number machineDetection="Enable">+14155550100</Number>`),
			"party +14155550100 answer=2s voicemail"),
		change: func(r *stats.Report) {
			r.Status = map[string]int{"completed": runs}
			r.Bridged, r.Answered, r.Voicemail, r.VoicemailWon, r.Machines = runs, runs, runs, runs, runs
			r.Wins = map[string]int{"+14155550100": runs}
			r.Connect = stats.Connect{P50: sec(4.4), P90: sec(4.4), P99: sec(4.4), Max: sec(4.4)}
			r.ConnectTimes = []stats.Bin{{T: sec(4.4), N: runs}}
			r.Histogram = stats.Histogram{Width: sec(0.2), Counts: []int{22: runs}}
		},
	}, {
		name: "human detected",
		s: scenario(t, dial(`<Number machineDetection="Enable">+14155550100</Number>`),
			"party +14155550100 answer=2s"),
		change: func(r *stats.Report) {
			r.Status = map[string]int{"completed": runs}
			r.Bridged, r.Answered = runs, runs
			r.Wins = map[string]int{"+14155550100": runs}
			r.Connect = stats.Connect{P50: sec(4.2), P90: sec(4.2), P99: sec(4.2), Max: sec(4.2)}
			r.ConnectTimes = []stats.Bin{{T: sec(4.2), N: runs}}
			r.Histogram = stats.Histogram{Width: sec(0.2), Counts: []int{21: runs}}
		},
	}, {
		name: "busy",
		s:    scenario(t, dial("<Client>jenny</Client>"), "party client:jenny busy"),
		change: func(r *stats.Report) {
			r.Status = map[string]int{"busy": runs}
		},
	}, {
		name: "voicemail wins",
		s: scenario(t, dial("<Number>+14155550100</Number><Client>jenny</Client>"),
			"party +14155550100 answer=2s voicemail", "party client:jenny answer=5s"),
		change: func(r *stats.Report) {
			r.Status = map[string]int{"completed": runs}
			r.Bridged, r.Answered, r.Voicemail, r.VoicemailWon = runs, runs, runs, runs
			r.Wins = map[string]int{"+14155550100": runs}
			r.Connect = stats.Connect{P50: sec(2), P90: sec(2), P99: sec(2), Max: sec(2)}
			r.ConnectTimes = []stats.Bin{{T: sec(2), N: runs}}
			r.Histogram = stats.Histogram{Width: sec(0.1), Counts: []int{20: runs}}
		},
	}, {
		name: "voicemail wins the race and declines the whisper",
		s: scenario(t, dial(`<Number url="/screen">+14155550100</Number><Client url="/screen">jenny</Client>`),
			"party +14155550100 answer=2s voicemail", "party client:jenny answer=5s press=1"),
		change: func(r *stats.Report) {
			// Under first-answer the voicemail's answer cancels
			// jenny; its prompt times out: nobody is bridged.
			r.Status = map[string]int{"completed": runs}
			r.Answered, r.Declined, r.DeclineRate, r.VoicemailWon = runs, runs, 1, runs
		},
	}, {
		name: "voicemail answers first under first-accept, jenny wins",
		s: scenario(t, dial(`<Number url="/screen">+14155550100</Number><Client url="/screen">jenny</Client>`),
			"policy first-accept", "party +14155550100 answer=2s voicemail", "party client:jenny answer=5s press=1@1s"),
		change: func(r *stats.Report) {
			r.Policy = engine.FirstAccept
			r.Status = map[string]int{"completed": runs}
			r.Bridged, r.Answered, r.Declined, r.DeclineRate = runs, 2*runs, runs, 0.5
			r.Wins = map[string]int{"client:jenny": runs}
			r.Connect = stats.Connect{P50: sec(6), P90: sec(6), P99: sec(6), Max: sec(6)}
			r.ConnectTimes = []stats.Bin{{T: sec(6), N: runs}}
			r.Histogram = stats.Histogram{Width: sec(0.2), Counts: []int{30: runs}}
		},
	}, {
		name: "whisper declined",
		s:    scenario(t, dial(`<Client url="/screen">jenny</Client>`), "party client:jenny answer=1s"),
		change: func(r *stats.Report) {
			r.Status = map[string]int{"completed": runs}
			r.Answered, r.Declined, r.DeclineRate = runs, runs, 1
		},
	}, {
		name: "one in two declines under first-accept",
		s: scenario(t, dial(`<Client url="/screen">jenny</Client><Client url="/screen">tommy</Client>`),
			"policy first-accept", "party client:jenny answer=1s", "party client:tommy answer=5s press=1@1s"),
		change: func(r *stats.Report) {
			r.Policy = engine.FirstAccept
			// jenny answers at 1 s and lets the prompt time out;
			// tommy answers at 5 s and presses 1 a second later,
			// while the prompt plays.
			r.Status = map[string]int{"completed": runs}
			r.Bridged, r.Answered, r.Declined, r.DeclineRate = runs, 2*runs, runs, 0.5
			r.Wins = map[string]int{"client:tommy": runs}
			r.Connect = stats.Connect{P50: sec(6), P90: sec(6), P99: sec(6), Max: sec(6)}
			r.ConnectTimes = []stats.Bin{{T: sec(6), N: runs}}
			r.Histogram = stats.Histogram{Width: sec(0.2), Counts: []int{30: runs}}
		},
	}, {
		name: "no Dial",
		s:    scenario(t, "<Response><Say>Goodbye</Say></Response>"),
		change: func(r *stats.Report) {
			r.NoDial = runs
		},
	}, {
		name: "a message after a busy Dial",
		s: scenario(t, `<Response><Dial timeout="20" action="/vm"><Client>jenny</Client></Dial></Response>
-- /vm --
<Response><Record/></Response>`, "party client:jenny busy", "caller record=talk(12s)"),
		change: func(r *stats.Report) {
			r.Status = map[string]int{"busy": runs}
			r.Messages = stats.Messages{Calls: runs, Count: runs, P50: sec(12), P90: sec(12), Max: sec(12), Lengths: []stats.Bin{{T: sec(12), N: runs}}}
		},
	}, {
		name:   "half the callers leave a message",
		s:      scenario(t, `<Response><Record/></Response>`, "seed 7", "caller record=0.5:talk(uniform(10s,20s))|0.5:hangup(1s)"),
		change: nil, // checked below: the figures add up
	}, {
		name: "half busy",
		s: scenario(t, dial("<Client>jenny</Client>"),
			"seed 7", "party client:jenny answer=uniform(1s,3s) busy=0.5"),
		change: nil, // checked below: the figures add up
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runStats(t, tt.s, stats.Options{Runs: runs})
			if m := got.Messages; tt.change == nil && got.NoDial == runs {
				if m.Calls == 0 || m.Calls == runs || m.Count != m.Calls || m.P50 < sec(10) || m.Max > sec(20) || m.P50 > m.P90 {
					t.Errorf("messages do not add up: %+v", m)
				}
				return
			}
			if tt.change == nil {
				busy, done := got.Status["busy"], got.Status["completed"]
				if busy+done != runs || busy == 0 || done == 0 || got.Bridged != done || got.Wins["client:jenny"] != done ||
					got.Connect.P50 < sec(1) || got.Connect.Max >= sec(3) || got.Connect.P50 > got.Connect.P90 {
					t.Errorf("report does not add up: %+v", got)
				}
				return
			}
			want := base
			want.Status, want.Wins = map[string]int{}, map[string]int{}
			tt.change(&want)
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
		})
	}
}

func sec(s float64) stats.Seconds { return stats.Seconds(s * float64(time.Second)) }

// TestRunPercentiles checks the nearest-rank percentiles and the
// histogram's bins on the times to connect 1 s, 2 s, ..., 100 s: a
// series made by hand of a hundred one-call reports, call i answered at
// i seconds.
func TestRunPercentiles(t *testing.T) {
	var parts []*stats.Report
	for i := 1; i <= 100; i++ {
		s := scenario(t, "<Response><Dial timeout=\"200\"><Client>jenny</Client></Dial></Response>",
			fmt.Sprintf("party client:jenny answer=%ds", i))
		r := runStats(t, s, stats.Options{Runs: 1})
		// Pretend the calls were shard i-1 of a series of 100.
		r.Shards, r.Slices, r.Runs = 100, []int{i - 1}, 100
		parts = append(parts, r)
	}
	got, err := stats.Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	want := stats.Connect{P50: sec(50), P90: sec(90), P99: sec(99), Max: sec(100)}
	if diff := cmp.Diff(want, got.Connect); diff != "" {
		t.Errorf("percentiles of 1..100 s (-want +got):\n%s", diff)
	}
	// 100 s in at most 40 bins: 5 s wide, 21 bins, the first holding
	// 1 to 4 s.
	counts := make([]int, 21)
	for i := range counts {
		counts[i] = 5
	}
	counts[0], counts[20] = 4, 1
	if diff := cmp.Diff(stats.Histogram{Width: sec(5), Counts: counts}, got.Histogram); diff != "" {
		t.Errorf("histogram of 1..100 s (-want +got):\n%s", diff)
	}
}

// TestMergeErrors checks that Merge refuses reports that do not make up
// one series.
func TestMergeErrors(t *testing.T) {
	s := parseFile(t, simulring)
	shard := func(i, n int) *stats.Report {
		return runStats(t, s, stats.Options{Runs: 20, Shard: stats.Shard{I: i, N: n}})
	}
	otherSeed := *s
	otherSeed.Seed++
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cancelled, err := stats.Run(ctx, s, stats.Options{Runs: 20, Shard: stats.Shard{I: 1, N: 2}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run with a cancelled context: %v", err)
	}
	tests := []struct {
		name    string
		reports []*stats.Report
		want    error
	}{
		{"seed", []*stats.Report{shard(0, 2), runStats(t, &otherSeed, stats.Options{Runs: 20, Shard: stats.Shard{I: 1, N: 2}})}, stats.ErrMismatch},
		{"runs", []*stats.Report{shard(0, 2), runStats(t, s, stats.Options{Runs: 21, Shard: stats.Shard{I: 1, N: 2}})}, stats.ErrMismatch},
		{"policy", []*stats.Report{shard(0, 2), runStats(t, s, stats.Options{Runs: 20, Shard: stats.Shard{I: 1, N: 2},
			RunOptions: scenarios.RunOptions{Policy: new(engine.FirstAccept)}})}, stats.ErrMismatch},
		{"shard count", []*stats.Report{shard(0, 2), shard(1, 3)}, stats.ErrMismatch},
		{"overlap", []*stats.Report{shard(0, 2), shard(0, 2)}, stats.ErrOverlap},
		{"whole twice", []*stats.Report{shard(0, 1), shard(0, 1)}, stats.ErrOverlap},
		{"incomplete", []*stats.Report{shard(0, 2), cancelled}, stats.ErrIncomplete},
		{"wins", []*stats.Report{with(shard(0, 2), func(r *stats.Report) { r.Wins["client:zed"]++ })}, stats.ErrMalformed},
		{"order", []*stats.Report{with(shard(0, 2), func(r *stats.Report) { r.ConnectTimes = reversed(r.ConnectTimes) })}, stats.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := stats.Merge(tt.reports...)
			if !errors.Is(err, tt.want) {
				t.Errorf("Merge: %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := stats.Merge(); err == nil {
		t.Error("Merge of nothing: no error")
	}
}

func with(r *stats.Report, f func(*stats.Report)) *stats.Report {
	f(r)
	return r
}

// TestReportJSON checks that a report survives JSON, as shards travel
// between machines.
func TestReportJSON(t *testing.T) {
	want := runStats(t, parseFile(t, screened), stats.Options{Runs: runsFor(t, 100)})
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var got *stats.Report
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report after JSON (-want +got):\n%s", diff)
	}
	merged, err := stats.Merge(got)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, merged); diff != "" {
		t.Errorf("report merged alone (-want +got):\n%s", diff)
	}
}

// TestRunCancel cancels a series after its first calls: the workers
// stop at once, and the report of what was done comes with the error.
func TestRunCancel(t *testing.T) {
	s := parseFile(t, simulring)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const runs, workers = 10000, 2
	cancelledAt := -1
	r, err := stats.Run(ctx, s, stats.Options{Runs: runs, Workers: workers, Progress: func(done, total int) {
		if done >= 200 && cancelledAt < 0 {
			cancelledAt = done
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v, want context.Canceled", err)
	}
	if r == nil {
		t.Fatal("no report")
	}
	// Each worker may count the call it had finished when ctx ended.
	if r.Calls < cancelledAt || r.Calls > cancelledAt+workers {
		t.Errorf("cancelled after %d calls, report of %d; want at most %d more", cancelledAt, r.Calls, workers)
	}
	if _, err := stats.Merge(r); !errors.Is(err, stats.ErrIncomplete) {
		t.Errorf("Merge of a cancelled report: %v, want ErrIncomplete", err)
	}
}

// TestRunProgress checks that Progress sees increasing counts, ending
// with all the calls.
func TestRunProgress(t *testing.T) {
	var got []int
	runs := runsFor(t, 250)
	runStats(t, parseFile(t, simulring), stats.Options{Runs: runs, Workers: 3, Progress: func(done, total int) {
		if total != runs {
			t.Errorf("Progress total %d, want %d", total, runs)
		}
		got = append(got, done)
	}})
	if len(got) == 0 || got[len(got)-1] != runs || len(got) > 102 {
		t.Fatalf("Progress calls %v, want at most 102 ending with %d", got, runs)
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("Progress counts %v do not increase", got)
		}
	}
}

// TestRunOptions checks the options Run refuses.
func TestRunOptions(t *testing.T) {
	s := parseFile(t, simulring)
	for _, opts := range []stats.Options{
		{Runs: -1},
		{Shard: stats.Shard{I: 2, N: 2}},
		{Shard: stats.Shard{I: -1, N: 2}},
		{Shard: stats.Shard{I: 1}},
	} {
		if _, err := stats.Run(context.Background(), s, opts); err == nil {
			t.Errorf("Run with %+v: no error", opts)
		}
	}
}

// TestRunRunOptionsError checks that options no run can take (an
// unknown policy) stop the series at its first run, as every run would
// fail alike, and that a shard holding no runs has nothing to fail.
func TestRunRunOptionsError(t *testing.T) {
	s := parseFile(t, simulring)
	bad := scenarios.RunOptions{Policy: new(engine.Policy(7))}
	for _, shard := range []stats.Shard{{}, {I: 2, N: 3}} {
		r, err := stats.Run(context.Background(), s, stats.Options{Runs: 20, Workers: 2, Shard: shard, RunOptions: bad})
		var re *stats.RunError
		if !errors.As(err, &re) || re.Run != shard.I || !errors.Is(err, scenarios.ErrPolicy) {
			t.Errorf("shard %v: Run: %v, want run %d failing with %v", shard, err, shard.I, scenarios.ErrPolicy)
		}
		if r == nil || r.Calls != 0 {
			t.Errorf("shard %v: report %+v, want one of no calls", shard, r)
		}
	}
	r, err := stats.Run(context.Background(), s, stats.Options{Runs: 3, Shard: stats.Shard{I: 4, N: 5}, RunOptions: bad})
	if err != nil || r.Calls != 0 {
		t.Errorf("shard 4/5 of 3 runs: report of %v calls, error %v; want no calls and no error", r.Calls, err)
	}
}

// TestWriteSVG checks that the histogram is well-formed XML with a bar a
// non-empty bin, and the same bytes every time.
func TestWriteSVG(t *testing.T) {
	tests := []struct {
		name string
		s    *scenarios.Scenario
	}{
		{"screened", parseFile(t, screened)},
		{"nothing bridged", scenario(t, "<Response><Dial><Client>jenny</Client></Dial></Response>", "party client:jenny busy")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runStats(t, tt.s, stats.Options{Runs: runsFor(t, 100)})
			var a, b bytes.Buffer
			if err := r.WriteSVG(&a); err != nil {
				t.Fatal(err)
			}
			if err := r.WriteSVG(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("two SVGs of one report differ")
			}
			bars, title := 0, ""
			dec := xml.NewDecoder(bytes.NewReader(a.Bytes()))
			for {
				tok, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("SVG is not XML: %v\n%s", err, a.Bytes())
				}
				if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "rect" {
					bars++
				}
				if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "text" && title == "" {
					var s string
					if err := dec.DecodeElement(&s, &el); err != nil {
						t.Fatal(err)
					}
					title = s
				}
			}
			nonEmpty := 0
			for _, n := range r.Histogram.Counts {
				if n > 0 {
					nonEmpty++
				}
			}
			if bars != nonEmpty+1 { // and the background
				t.Errorf("%d rects, want %d bars and the background", bars, nonEmpty)
			}
			if want := "Time to connect: " + r.Scenario; title != want {
				t.Errorf("title %q, want %q", title, want)
			}
		})
	}
}
