package scenarios_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/scenarios"
)

// mixed races two random parties against a scripted one, behind a press-1
// whisper, so that what each run draws changes who wins and how.
const mixed = `call from=+15550001111 to=+15550002222 url=/voice
seed 3
policy first-accept
party client:jenny answer=uniform(1s,9s) busy=0.2 voicemail=0.3@4s press=1 talk=exp(20s)
party client:tommy answer=lognormal(5s,0.5) noanswer=0.3 reject=0.1 press=1@2s
party +14155550100 answer=6s press=1 talk=30s
-- /voice --
<Response>
  <Dial timeout="12" action="/done">
    <Client url="/screen">jenny</Client>
    <Client url="/screen">tommy</Client>
    <Number url="/screen">+14155550100</Number>
  </Dial>
</Response>
-- /screen --
<Response>
  <Gather numDigits="1" timeout="3" action="/accept"><Say>Press 1</Say></Gather>
  <Hangup/>
</Response>
-- /accept --
<Response/>
-- /done --
<Response><Hangup/></Response>
`

// prepareRuns are the runs the tests play: the file's own and a few
// others of a series.
var prepareRuns = []uint64{0, 1, 2, 17, 999, 1 << 40}

// drawsNothing reports whether every run of s plays the same: it has no
// random party, no random caller and no world (whose calls draw).
// Under -short, the tests play fewer runs of such a scenario.
func drawsNothing(s *scenarios.Scenario) bool {
	return !s.Random() && s.World == nil
}

// played is what a test compares of a run: its transcript, its outcome
// and its error's text, "" for none.
type played struct {
	Transcript string
	Status     string
	Duration   time.Duration
	Dials      []engine.DialResult
	Err        string
}

func play(res *engine.Result, err error) played {
	var p played
	if res != nil {
		p = played{Transcript: string(scenarios.Transcript(res)), Status: res.Status, Duration: res.Duration, Dials: res.Dials}
	}
	if err != nil {
		p.Err = err.Error()
	}
	return p
}

// suiteAndRandom returns the suite's scenarios, parsed, and the random
// scenarios of these tests.
func suiteAndRandom(t *testing.T) map[string]*scenarios.Scenario {
	t.Helper()
	all := map[string]*scenarios.Scenario{
		"random": parse(t, random),
		"mixed":  parse(t, mixed),
	}
	for _, file := range suite(t) {
		s, err := scenarios.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		all[file] = s
	}
	return all
}

// handRun plays a run of s on an engine built by hand from the scenario,
// its parties drawn from fake.NewRand(s.Seed, run): what Run did for each
// run before Prepare, and what Prepare and Prepared.Run must still give.
// It takes no options, and s's policy must be valid.
func handRun(ctx context.Context, s *scenarios.Scenario, run uint64) (*engine.Result, error) {
	e := &engine.Engine{AuthToken: s.Token, Policy: s.Policy}
	if s.App != "" {
		e.BaseURL = strings.TrimRight(s.App, "/")
	} else {
		docs := engine.Documents{}
		for path, doc := range s.Docs {
			docs[path] = string(doc)
		}
		e.Handler = docs
	}
	rng := fake.NewRand(s.Seed, run)
	if len(s.Parties) > 0 {
		var parties engine.Parties
		for _, spec := range s.Parties {
			p := spec.Draw(rng)
			if err := p.Validate(); err != nil {
				return nil, &scenarios.Error{File: s.Name, Line: spec.Line, Err: fmt.Errorf("%v: %w", err, scenarios.ErrContradiction)}
			}
			parties = append(parties, p)
		}
		e.Parties = parties
	}
	res, err := e.Call(ctx, engine.Inbound{
		Name:     filepath.Base(s.Name),
		From:     s.Call.From,
		To:       s.Call.To,
		URL:      s.Call.URL,
		Method:   s.Call.Method,
		Fallback: s.Call.Fallback,
		// The caller's inputs, then its messages, draw after the parties.
		Caller: engine.Caller{Presses: s.Caller.Draw(rng), Hangup: s.Caller.Hangup, Messages: s.Caller.Messages(rng)},
	})
	if err != nil {
		return res, &scenarios.Error{File: s.Name, Line: s.Call.Line, Err: fmt.Errorf("running the call: %w", err)}
	}
	return res, nil
}

// TestPrepare checks that one Prepared plays each run of a scenario as an
// engine built for that run alone does, and as Run does: the same result,
// the same error.
func TestPrepare(t *testing.T) {
	ctx := context.Background()
	for name, s := range suiteAndRandom(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, err := scenarios.Prepare(s, scenarios.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			runs := prepareRuns
			if testing.Short() && drawsNothing(s) {
				// Two runs, the second on the Prepared the first ran on.
				runs = prepareRuns[:2]
			}
			for _, run := range runs {
				if s.World != nil {
					// A world's calls are built by world.go: compare
					// Prepared.Run with a run of Run's (world_test.go
					// checks what that plays).
					want := play(scenarios.Run(ctx, s, scenarios.RunOptions{Run: run}))
					if diff := cmpDiff(want, play(p.Run(ctx, run))); diff != "" {
						t.Errorf("run %d: Prepared.Run differs from Run (-want +got):\n%s", run, diff)
					}
					continue
				}
				want := play(handRun(ctx, s, run))
				if diff := cmpDiff(want, play(p.Run(ctx, run))); diff != "" {
					t.Errorf("run %d: Prepared.Run differs from an engine built for the run (-want +got):\n%s", run, diff)
				}
				if diff := cmpDiff(want, play(scenarios.Run(ctx, s, scenarios.RunOptions{Run: run}))); diff != "" {
					t.Errorf("run %d: Run differs from an engine built for the run (-want +got):\n%s", run, diff)
				}
			}
		})
	}
}

// TestPrepareErrors checks that Prepare and Prepared.Run give the errors
// Run gives, each where Run gives it: options the engine cannot take
// from Prepare, a party that contradicts itself in a run from that run.
func TestPrepareErrors(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	badPolicy := parse(t, screening)
	badPolicy.Policy = engine.Policy(7) // no policy
	badScripted := parse(t, screening)
	jenny := *badScripted.Parties[1].Scripted
	jenny.Outcome, jenny.Talk = fake.Busy, 0
	jenny.Presses = []fake.Press{{Keys: "1"}} // presses on a busy party
	badScripted.Parties[1].Scripted = &jenny
	badRandom := parse(t, random)
	presser := *badRandom.Parties[0].Random
	presser.Presses = []fake.Press{{Keys: "x"}} // drawn by every run jenny answers
	badRandom.Parties[0].Random = &presser

	tests := []struct {
		name    string
		s       *scenarios.Scenario
		ctx     context.Context
		opts    scenarios.RunOptions
		prepare error // from Prepare, or nil
		run     error // from Prepared.Run in some run, or nil
	}{
		{"bad policy option", parse(t, screening), context.Background(), scenarios.RunOptions{Policy: new(engine.Policy(7))}, scenarios.ErrPolicy, nil},
		{"bad app option", parse(t, screening), context.Background(), scenarios.RunOptions{BaseURL: "ftp://example.com"}, scenarios.ErrSyntax, nil},
		{"bad policy in the scenario", badPolicy, context.Background(), scenarios.RunOptions{}, scenarios.ErrPolicy, nil},
		{"scripted party contradicts itself", badScripted, context.Background(), scenarios.RunOptions{}, nil, scenarios.ErrContradiction},
		{"random party contradicts itself in some runs", badRandom, context.Background(), scenarios.RunOptions{}, nil, scenarios.ErrContradiction},
		{"context canceled", parse(t, random), canceled, scenarios.RunOptions{}, nil, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := scenarios.Prepare(tt.s, tt.opts)
			if !errors.Is(err, tt.prepare) || (err == nil) != (tt.prepare == nil) {
				t.Fatalf("Prepare: %v, want %v", err, tt.prepare)
			}
			failed := 0
			for run := range uint64(20) {
				opts := tt.opts
				opts.Run = run
				want := play(scenarios.Run(tt.ctx, tt.s, opts))
				if err != nil {
					if want.Err != err.Error() {
						t.Errorf("run %d: Prepare: %v; Run: %v", run, err, want.Err)
					}
					continue
				}
				res, runErr := p.Run(tt.ctx, run)
				if diff := cmp.Diff(want, play(res, runErr)); diff != "" {
					t.Errorf("run %d: Prepared.Run differs from Run (-want +got):\n%s", run, diff)
				}
				if runErr != nil {
					failed++
					if !errors.Is(runErr, tt.run) {
						t.Errorf("run %d: Prepared.Run: %v, want %v", run, runErr, tt.run)
					}
				}
			}
			if tt.run != nil && failed == 0 {
				t.Errorf("no run of 20 failed, want some to fail with %v", tt.run)
			}
			if tt.run == nil && failed > 0 {
				t.Errorf("%d runs of 20 failed, want none", failed)
			}
		})
	}
}

// TestPrepareConcurrent plays the runs of prepared scenarios on several
// goroutines at once, as the statistics runner does, and wants the
// results of playing them one at a time. Run it under -race.
func TestPrepareConcurrent(t *testing.T) {
	const goroutines, runs = 4, 12
	ctx := context.Background()
	for name, s := range map[string]*scenarios.Scenario{
		"random":    parse(t, random),
		"mixed":     parse(t, mixed),
		"screening": parse(t, screening),
	} {
		t.Run(name, func(t *testing.T) {
			want := make([]played, runs)
			for run := range want {
				want[run] = play(scenarios.Run(ctx, s, scenarios.RunOptions{Run: uint64(run)}))
			}
			p, err := scenarios.Prepare(s, scenarios.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := make([][]played, goroutines)
			var wg sync.WaitGroup
			for g := range got {
				got[g] = make([]played, runs)
				wg.Go(func() {
					// Each goroutine plays the runs in its own order.
					for i := range runs {
						run := (i + g*runs/goroutines) % runs
						got[g][run] = play(p.Run(ctx, uint64(run)))
					}
				})
			}
			wg.Wait()
			for g := range got {
				if diff := cmpDiff(want, got[g]); diff != "" {
					t.Errorf("goroutine %d: results differ from runs one at a time (-want +got):\n%s", g, diff)
				}
			}
		})
	}
}
