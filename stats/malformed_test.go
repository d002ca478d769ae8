package stats_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/dialsim/dialsim/stats"
)

// TestMergeMalformed: crafted reports whose counts wrap around, or
// exceed the calls they belong to, are refused with ErrMalformed, never
// merged into figures that do not add up.
func TestMergeMalformed(t *testing.T) {
	s := parseFile(t, simulring)
	shard := func(i int) *stats.Report {
		return runStats(t, s, stats.Options{Runs: 20, Shard: stats.Shard{I: i, N: 2}})
	}
	const huge = math.MaxInt
	for _, tt := range []struct {
		name   string
		change func(r *stats.Report)
	}{
		{"statuses wrap around to the calls", func(r *stats.Report) {
			r.Status = map[string]int{"completed": huge, "busy": huge, "no-answer": r.Calls - r.NoDial + 2}
		}},
		{"bridged more than the calls", func(r *stats.Report) {
			r.Bridged, r.Wins = huge, map[string]int{"client:a": huge}
			r.ConnectTimes = []stats.Bin{{T: 1e6, N: huge}}
		}},
		{"connect times wrap around", func(r *stats.Report) {
			r.ConnectTimes = append(r.ConnectTimes, stats.Bin{T: 1 << 60, N: huge}, stats.Bin{T: 1<<60 + 1, N: huge}, stats.Bin{T: 1<<60 + 2, N: 2})
		}},
		{"wins wrap around", func(r *stats.Report) {
			r.Wins["client:x"] = huge
			r.Wins["client:y"] = huge
			r.Wins["client:z"] = 2
		}},
		{"more without a Dial than calls", func(r *stats.Report) { r.NoDial = r.Calls + 1 }},
		{"answered legs overflow the sum", func(r *stats.Report) { r.Answered, r.Declined = huge, 0 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, b := shard(0), shard(1)
			tt.change(a)
			tt.change(b)
			r, err := stats.Merge(a, b)
			if !errors.Is(err, stats.ErrMalformed) {
				t.Errorf("Merge: %v, want %v; merged: %+v", err, stats.ErrMalformed, r)
			}
		})
	}
}

// TestSecondsOutOfRange: a time of 2⁶³ ns or more is refused, not
// turned into a negative duration.
func TestSecondsOutOfRange(t *testing.T) {
	for _, in := range []string{"9223372036.854775807", "9223372037", "-9223372037", "1e300"} {
		var s stats.Seconds
		if err := json.Unmarshal([]byte(in), &s); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("Unmarshal(%s) = %v (%d), want out of range", in, err, s)
		}
	}
}
