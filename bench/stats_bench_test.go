package bench_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/stats"
)

// benchRuns is the size of the series each iteration of BenchmarkStats
// simulates.
const benchRuns = 500

// BenchmarkStats runs stats.Run on a series of the 10-leg simulring scenario
// (stats/testdata/stats_simulring.txt: random parties, first answer wins) on K
// workers and reports calls/s. The baseline plays the same calls one
// after another with scenarios.Run and no runner, so workers=1 over the
// baseline is the runner's overhead.
func BenchmarkStats(b *testing.B) {
	benchStats(b, "../stats/testdata/stats_simulring.txt")
}

// BenchmarkStatsScreened is BenchmarkStats on the screened variant
// (stats/testdata/stats_screened.txt: press-1 whispers under first-accept).
func BenchmarkStatsScreened(b *testing.B) {
	benchStats(b, "../stats/testdata/stats_screened.txt")
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
				if _, err := stats.Run(ctx, s, stats.Options{Runs: benchRuns, Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
			report(b)
		})
	}
}
