package bench_test

import (
	"fmt"
	"testing"

	"github.com/dialsim/dialsim/bench"
)

// legCounts are the race sizes every race benchmark is run at.
var legCounts = []int{1, 2, 5, 10}

// BenchmarkRace runs the same first-answer race of N legs, leg i answering
// at i+1 seconds, on three clocks: bare goroutines and channels with no clock
// at all (the floor), fake's virtual clock, and benbjohnson/clock's Mock
// stepped as its documentation shows. Each picks a winner, cancels the losers
// through a context and joins them.
func BenchmarkRace(b *testing.B) {
	clocks := []struct {
		name string
		race func(n int) int
	}{
		{"bare", bench.RaceBare},
		{"virtual", bench.RaceVirtual},
		{"mock", bench.RaceMock},
	}
	for _, c := range clocks {
		for _, n := range legCounts {
			b.Run(fmt.Sprintf("clock=%s/legs=%d", c.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					c.race(n)
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/race")
			})
		}
	}
}

func TestRaces(t *testing.T) {
	for _, n := range legCounts {
		if got := bench.RaceVirtual(n); got != 0 {
			t.Errorf("RaceVirtual(%d) = %d, want leg 0", n, got)
		}
		if got := bench.RaceMock(n); got != 0 {
			t.Errorf("RaceMock(%d) = %d, want leg 0", n, got)
		}
		if got := bench.RaceBare(n); got < 0 || got >= n {
			t.Errorf("RaceBare(%d) = %d, want a leg", n, got)
		}
	}
}
