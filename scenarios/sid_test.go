package scenarios_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/dialsim/dialsim/scenarios"
)

// TestSIDFromName checks that a scenario's SIDs derive from its file's base
// name: two files of a suite with the same call have different CallSids,
// and one file run from another directory keeps its own.
func TestSIDFromName(t *testing.T) {
	const text = "call from=+15550001111 to=+15550002222 url=/voice\n-- /voice --\n<Response><Dial><Client>a</Client></Dial></Response>\n"
	sid := func(name string) (call, leg string) {
		t.Helper()
		s, err := scenarios.Parse(name, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range res.Events {
			if ev.Kind == "leg.initiated" {
				return res.SID, fmt.Sprint(ev.Get("CallSid"))
			}
		}
		t.Fatalf("%s: no leg.initiated", name)
		return "", ""
	}
	aCall, aLeg := sid("suite/a.txt")
	bCall, bLeg := sid("suite/b.txt")
	if aCall == bCall || aLeg == bLeg {
		t.Errorf("a.txt and b.txt share SIDs: calls %s and %s, legs %s and %s", aCall, bCall, aLeg, bLeg)
	}
	for _, name := range []string{"a.txt", "../elsewhere/suite/a.txt"} {
		if c, l := sid(name); c != aCall || l != aLeg {
			t.Errorf("%s: SIDs %s, %s; want suite/a.txt's %s, %s", name, c, l, aCall, aLeg)
		}
	}
}
