package stats_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/stats"
)

// callCentre is 120 callers an hour for 8 agents who talk 3 minutes on
// average, all exponential: an M/M/8 queue with an offered load of 6
// erlangs.
const (
	callCentre        = "testdata/world_callcentre.txtar"
	ccAgents          = 8
	ccArrival         = 30 * time.Second // mean time between arrivals
	ccService         = 3 * time.Minute  // mean talk time
	ccRuns            = 40               // of 500 callers each
	ccSigmas          = 3.5              // the tolerance, in standard errors
	ccWarmUpTolerance = 0.01             // each world starts empty
)

// erlangC returns the probability that a caller waits at all in an M/M/n
// queue with offered load a (erlangs): Erlang's C formula.
func erlangC(n int, a float64) float64 {
	sum, term := 0.0, 1.0 // term is a^k/k!
	for k := 0; k < n; k++ {
		sum += term
		term *= a / float64(k+1)
	}
	last := term * float64(n) / (float64(n) - a)
	return last / (sum + last)
}

// waitOver returns P(wait > t) in an M/M/n queue: C·exp(-(nμ-λ)t).
func waitOver(n int, lambda, mu float64, t time.Duration) float64 {
	return erlangC(n, lambda/mu) * math.Exp(-(float64(n)*mu-lambda)*t.Seconds())
}

// The simulated call centre against Erlang C: the share of callers who
// wait at all, and who wait more than 20 s, 30 s and a minute, within
// sampling error (batch means over the worlds of the series, one a
// shard, and a margin for each world starting empty).
func TestWorldErlangC(t *testing.T) {
	if testing.Short() {
		t.Skip("20000 callers")
	}
	s := parseFile(t, callCentre)
	lambda, mu := 1/ccArrival.Seconds(), 1/ccService.Seconds()
	thresholds := []time.Duration{0, 20 * time.Second, 30 * time.Second, time.Minute}
	per := make([][]float64, len(thresholds)) // per threshold, per world
	var reports []*stats.Report
	for i := range ccRuns {
		r, err := stats.Run(context.Background(), s, stats.Options{Runs: ccRuns, Shard: stats.Shard{I: i, N: ccRuns}, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, r)
		for j, th := range thresholds {
			per[j] = append(per[j], over(r.World, th))
		}
	}
	for j, th := range thresholds {
		want := waitOver(ccAgents, lambda, mu, th)
		mean, se := meanSE(per[j])
		if d := math.Abs(mean - want); d > ccSigmas*se+ccWarmUpTolerance {
			t.Errorf("P(wait > %v) = %.4f ± %.4f, Erlang C %.4f: off by %.4f", th, mean, se, want, d)
		} else {
			t.Logf("P(wait > %v) = %.4f ± %.4f, Erlang C %.4f", th, mean, se, want)
		}
	}
	// The shards add up to the series run at once.
	whole, err := stats.Run(context.Background(), s, stats.Options{Runs: ccRuns, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	merged, err := stats.Merge(reports...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(whole, merged); diff != "" {
		t.Errorf("merged shards differ from the whole series (-whole +merged):\n%s", diff)
	}
	if w := whole.World; math.Abs(w.Occupancy-lambda/mu/ccAgents) > 0.03 {
		t.Errorf("occupancy %.3f, want about %.3f", w.Occupancy, lambda/mu/ccAgents)
	}
}

// over returns the share of answered callers who waited more than t.
func over(w *stats.WorldStats, t time.Duration) float64 {
	n := 0
	for _, b := range w.WaitTimes {
		if time.Duration(b.T) > t {
			n += b.N
		}
	}
	return float64(n) / float64(w.Bridged)
}

func meanSE(xs []float64) (mean, se float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	v /= float64(len(xs) - 1)
	return mean, math.Sqrt(v / float64(len(xs)))
}

// Abandonment: callers with a patience hang up while waiting; the
// counts add up and the report is the same on one worker and on four.
func TestWorldAbandonment(t *testing.T) {
	s := parseFile(t, "testdata/world_abandon.txtar")
	one, err := stats.Run(context.Background(), s, stats.Options{Runs: 4, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	four, err := stats.Run(context.Background(), s, stats.Options{Runs: 4, Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(one, four); diff != "" {
		t.Errorf("1 worker and 4 differ (-1 +4):\n%s", diff)
	}
	w := one.World
	if w.Abandoned == 0 || w.Bridged == 0 || w.Bridged+w.Abandoned+w.Other != w.Queued || w.Callers != 4*200 {
		t.Errorf("callers %d, queued %d, bridged %d, abandoned %d, other %d", w.Callers, w.Queued, w.Bridged, w.Abandoned, w.Other)
	}
	if w.AbandonRate <= 0 || w.AbandonRate >= 1 {
		t.Errorf("abandon rate %v", w.AbandonRate)
	}
}

// TestWithinTimesCopy checks that WithinTimes is the caller's to change:
// changing it changes neither the next call's answer nor the reports.
func TestWithinTimesCopy(t *testing.T) {
	want := []time.Duration{0, 10 * time.Second, 20 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute}
	got := stats.WithinTimes()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("WithinTimes (-want +got):\n%s", diff)
	}
	got[0] = time.Hour
	if diff := cmp.Diff(want, stats.WithinTimes()); diff != "" {
		t.Errorf("WithinTimes after changing a copy (-want +got):\n%s", diff)
	}
}
