package timeline_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/internal/diff"
	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/timeline"
)

// A world's timeline: a lane for each call, named for it, with its queue
// waits (q), queue bridges (=) and conference stays (c); the pictures
// are compared with testdata/golden/NAME.golden (the text: not .txt,
// which "dialsim test ." would take for a scenario) and NAME.svg.
func TestTimelineWorld(t *testing.T) {
	for _, name := range []string{"queue_one_agent", "conf_start_end"} {
		t.Run(name, func(t *testing.T) {
			s, err := scenarios.ParseFile(filepath.Join("..", "scenarios", "testdata", name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			tl := timeline.New(res.Events)
			tl.Title = name
			if !tl.World {
				t.Error("World is false for a world's transcript")
			}
			var text, svg bytes.Buffer
			if err := tl.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if err := tl.WriteSVG(&svg); err != nil {
				t.Fatal(err)
			}
			checkXML(t, svg.Bytes())
			for ext, got := range map[string][]byte{".golden": text.Bytes(), ".svg": svg.Bytes()} {
				golden := filepath.Join("testdata", "golden", name+ext)
				if *update {
					if err := os.WriteFile(golden, got, 0o666); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if d := diff.Unified(golden, want, "got", got); d != "" {
					t.Errorf("picture differs (-want +got); -update rewrites it:\n%s", d)
				}
			}
		})
	}
}

// The states of a queued caller's lane, in order.
func TestTimelineWorldStates(t *testing.T) {
	s, err := scenarios.ParseFile(filepath.Join("..", "scenarios", "testdata", "queue_one_agent.txt"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tl := timeline.New(res.Events)
	var labels, states []string
	for _, l := range tl.Lanes {
		labels = append(labels, l.Label)
	}
	for _, g := range tl.Lanes[0].Segments {
		states = append(states, g.State.String())
	}
	if diff := cmp.Diff([]string{"alice", "bob", "agent", "agent.2", "agent.3"}, labels); diff != "" {
		t.Errorf("lanes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"queued", "bridged", "answered"}, states); diff != "" {
		t.Errorf("alice's states (-want +got):\n%s", diff)
	}
}
