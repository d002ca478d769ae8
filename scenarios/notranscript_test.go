package scenarios_test

import (
	"context"
	"testing"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
)

// A call played without its transcript has the outcome it has with one,
// and each Dial's Answered counts its leg.answered events.
func TestNoTranscript(t *testing.T) {
	ctx := context.Background()
	for name, s := range suiteAndRandom(t) {
		runs := prepareRuns[:3]
		if testing.Short() && drawsNothing(s) {
			runs = prepareRuns[:1]
		}
		for _, run := range runs {
			with, errWith := scenarios.Run(ctx, s, scenarios.RunOptions{Run: run})
			without, errWithout := scenarios.Run(ctx, s, scenarios.RunOptions{Run: run, NoTranscript: true})
			w, wo := play(with, errWith), play(without, errWithout)
			if wo.Transcript != "" {
				t.Errorf("%s run %d: a transcript without one:\n%s", name, run, wo.Transcript)
			}
			w.Transcript = ""
			if diff := cmpDiff(w, wo); diff != "" {
				t.Errorf("%s run %d: the outcome differs without the transcript (-with +without):\n%s", name, run, diff)
			}
			if with == nil {
				continue
			}
			answered := answeredPerDial(with.Events)
			for i, d := range with.Dials {
				if i < len(answered) && d.Answered != answered[i] {
					t.Errorf("%s run %d: Dial %d: Answered %d, %d leg.answered events", name, run, i, d.Answered, answered[i])
				}
			}
		}
	}
	// Check compares transcripts, so it records one whatever the option.
	s, err := scenarios.ParseFile("simulring.txt")
	if err != nil {
		t.Fatal(err)
	}
	if diff, err := scenarios.Check(ctx, s, scenarios.RunOptions{NoTranscript: true}); err != nil || diff != "" {
		t.Errorf("Check with NoTranscript: %v\n%s", err, diff)
	}
}

// answeredPerDial counts the leg.answered events of each Dial.
func answeredPerDial(events []engine.Event) []int {
	var n []int
	for _, e := range events {
		switch e.Kind {
		case engine.KindDialStart:
			n = append(n, 0)
		case engine.KindLegAnswered:
			n[len(n)-1]++
		}
	}
	return n
}
