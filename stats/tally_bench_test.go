package stats

import (
	"context"
	"fmt"
	"testing"

	"github.com/dialsim/dialsim/scenarios"
)

// BenchmarkTally measures the runner's own work per call: counting one
// call's result into a worker's tally.
func BenchmarkTally(b *testing.B) {
	for _, file := range []string{"testdata/stats_simulring.txt", "testdata/stats_screened.txt"} {
		s, err := scenarios.ParseFile(file)
		if err != nil {
			b.Fatal(err)
		}
		res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("events=%d", len(res.Events)), func(b *testing.B) {
			t := newTally()
			b.ReportAllocs()
			for b.Loop() {
				t.add(res)
			}
		})
	}
}
