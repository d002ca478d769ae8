package stats_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/stats"
)

// TestMessagesShards checks that the messages of a series with a random
// caller at a Record are the same on any number of workers, and that its
// shards merge into the whole series' messages.
func TestMessagesShards(t *testing.T) {
	s := scenario(t, `<Response><Dial timeout="20" action="/vm"><Client>jenny</Client></Dial></Response>
-- /vm --
<Response><Record/></Response>`,
		"seed 11", "party client:jenny answer=uniform(5s,30s) busy=0.3",
		"caller record=0.7:talk(exp(40s))|0.2:silent|0.1:hangup(2s)")
	runs := runsFor(t, 300)
	want := runStats(t, s, stats.Options{Runs: runs, Workers: 1})
	if m := want.Messages; m.Count == 0 || m.Calls > runs*8/10 || m.P50 > m.P90 || m.P90 > m.Max {
		t.Fatalf("messages do not add up: %+v in %d calls (at most 70%% talk)", m, runs)
	}
	if got := runStats(t, s, stats.Options{Runs: runs, Workers: 3}); !cmp.Equal(want, got) {
		t.Errorf("workers=3: report differs from workers=1 (-want +got):\n%s", cmp.Diff(want, got))
	}
	var parts []*stats.Report
	for i := range 3 {
		parts = append(parts, runStats(t, s, stats.Options{Runs: runs, Workers: 1, Shard: stats.Shard{I: i, N: 3}}))
	}
	got, err := stats.Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Messages, got.Messages); diff != "" {
		t.Errorf("merged messages differ from the whole series (-want +got):\n%s", diff)
	}
}
