package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/dialsim/dialsim/scenarios"
)

// benchRuns is the size of the series each iteration of BenchmarkStats
// simulates.
const benchRuns = 500

// BenchmarkStats runs a series of the 10-leg simulring scenario
// (testdata/stats_simulring.txt: random parties, first answer wins) on K
// workers and reports calls/s. The baseline plays the same calls one
// after another with scenarios.Run and no runner, so workers=1 over the
// baseline is the runner's overhead.
func BenchmarkStats(b *testing.B) {
	benchStats(b, "testdata/stats_simulring.txt")
}

// BenchmarkStatsScreened is BenchmarkStats on the screened variant
// (testdata/stats_screened.txt: press-1 whispers under first-accept).
func BenchmarkStatsScreened(b *testing.B) {
	benchStats(b, "testdata/stats_screened.txt")
}

func benchStats(b *testing.B, file string) {
	s, err := scenarios.ParseFile(file)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	report := func(b *testing.B) {
		calls := float64(benchRuns) * float64(b.N)
		b.ReportMetric(calls/b.Elapsed().Seconds(), "calls/s")
		b.ReportMetric(float64(b.Elapsed().Microseconds())/calls, "µs/call")
	}
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range benchRuns {
				if _, err := scenarios.Run(ctx, s, scenarios.RunOptions{Run: uint64(i)}); err != nil {
					b.Fatal(err)
				}
			}
		}
		report(b)
	})
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Stats(ctx, s, StatsOptions{Runs: benchRuns, Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
			report(b)
		})
	}
}

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
