package stats_test

import (
	"errors"
	"flag"
	"io"
	"math"
	"strconv"
	"testing"

	"github.com/dialsim/dialsim/stats"
)

func TestParseShard(t *testing.T) {
	maxInt := strconv.Itoa(math.MaxInt)
	tests := []struct {
		text string
		want stats.Shard
		ok   bool
	}{
		{"0/1", stats.Shard{0, 1}, true},
		{"0/4", stats.Shard{0, 4}, true},
		{"3/4", stats.Shard{3, 4}, true},
		{"0/" + maxInt, stats.Shard{0, math.MaxInt}, true},
		{"4/4", stats.Shard{}, false},  // I >= N
		{"5/4", stats.Shard{}, false},  // I >= N
		{"-1/4", stats.Shard{}, false}, // negative
		{"1/-4", stats.Shard{}, false},
		{"0/0", stats.Shard{}, false}, // N = 0
		{"1/0", stats.Shard{}, false},
		{"1", stats.Shard{}, false},
		{"", stats.Shard{}, false},
		{"a/4", stats.Shard{}, false},
		{"1/4/5", stats.Shard{}, false},
		{" 1/4", stats.Shard{}, false},
		{"1/99999999999999999999", stats.Shard{}, false}, // overflows
		{"99999999999999999999/3", stats.Shard{}, false},
	}
	for _, tt := range tests {
		got, err := stats.ParseShard(tt.text)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v, ok %v", tt.text, got, err, tt.want, tt.ok)
		}
		if err != nil && !errors.Is(err, stats.ErrShard) {
			t.Errorf("ParseShard(%q): %v, want ErrShard", tt.text, err)
		}
		var u stats.Shard
		if err := u.UnmarshalText([]byte(tt.text)); tt.ok != (err == nil) || u != tt.want {
			t.Errorf("UnmarshalText(%q) = %v, %v", tt.text, u, err)
		}
		if tt.ok {
			text, err := got.MarshalText()
			if err != nil || string(text) != tt.text {
				t.Errorf("%v.MarshalText() = %q, %v; want %q", got, text, err, tt.text)
			}
		}
	}
}

func TestShardCheck(t *testing.T) {
	tests := []struct {
		s  stats.Shard
		ok bool
	}{
		{stats.Shard{}, true}, // the whole series
		{stats.Shard{0, 1}, true},
		{stats.Shard{6, 7}, true},
		{stats.Shard{1, 0}, false},
		{stats.Shard{7, 7}, false},
		{stats.Shard{-1, 7}, false},
		{stats.Shard{0, -1}, false},
		{stats.Shard{math.MinInt, math.MaxInt}, false},
	}
	for _, tt := range tests {
		err := tt.s.Check()
		if tt.ok != (err == nil) || err != nil && !errors.Is(err, stats.ErrShard) {
			t.Errorf("%#v.Check() = %v, want ok %v", tt.s, err, tt.ok)
		}
		if _, err := tt.s.MarshalText(); tt.ok != (err == nil) {
			t.Errorf("%#v.MarshalText(): %v, want ok %v", tt.s, err, tt.ok)
		}
	}
}

// TestShardRuns checks the count of a shard's runs against counting them
// one by one, and at the limits of int, where the count must not
// overflow.
func TestShardRuns(t *testing.T) {
	for runs := -2; runs <= 30; runs++ {
		for n := 1; n <= 8; n++ {
			total := 0
			for i := range n {
				want := 0
				for r := i; r < runs; r += n {
					want++
				}
				if got := (stats.Shard{I: i, N: n}).Runs(runs); got != want {
					t.Errorf("shard %d/%d of %d runs holds %d, want %d", i, n, runs, got, want)
				}
				total += want
			}
			if total != max(runs, 0) {
				t.Errorf("the %d shards of %d runs hold %d", n, runs, total)
			}
		}
	}
	tests := []struct {
		s          stats.Shard
		runs, want int
	}{
		{stats.Shard{}, 10, 10},
		{stats.Shard{0, math.MaxInt}, math.MaxInt, 1},
		{stats.Shard{1, math.MaxInt}, math.MaxInt, 1},
		{stats.Shard{math.MaxInt - 1, math.MaxInt}, math.MaxInt, 1},
		{stats.Shard{math.MaxInt - 1, math.MaxInt}, math.MaxInt - 1, 0},
		{stats.Shard{0, 2}, math.MaxInt, math.MaxInt/2 + 1},
		{stats.Shard{1, 2}, math.MaxInt, math.MaxInt / 2},
		{stats.Shard{0, 1}, math.MaxInt, math.MaxInt},
		{stats.Shard{5, 3}, 10, 0},  // refused by Check
		{stats.Shard{0, 0}, 10, 10}, // the zero Shard
		{stats.Shard{1, 0}, 10, 0},  // refused by Check
		{stats.Shard{-1, 3}, 10, 0}, // refused by Check
		{stats.Shard{2, 3}, -5, 0},
	}
	for _, tt := range tests {
		if got := tt.s.Runs(tt.runs); got != tt.want {
			t.Errorf("%#v.Runs(%d) = %d, want %d", tt.s, tt.runs, got, tt.want)
		}
	}
}

// TestShardFlag uses a Shard as a flag.TextVar, as dialsim stats does.
func TestShardFlag(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var s stats.Shard
	fs.TextVar(&s, "shard", stats.Shard{}, "shard")
	if err := fs.Parse([]string{"-shard", "2/5"}); err != nil || s != (stats.Shard{2, 5}) {
		t.Errorf("-shard 2/5: %v, %v", s, err)
	}
	if err := fs.Parse([]string{"-shard", "5/5"}); err == nil {
		t.Error("-shard 5/5: no error")
	}
}

// TestRunHugeShard runs a shard of a huge number of slices, which holds
// one run of a short series, and merges it with nothing else: the report
// holds the run, and Merge counts the shard's runs without overflowing.
func TestRunHugeShard(t *testing.T) {
	s := parseFile(t, simulring)
	r := runStats(t, s, stats.Options{Runs: 3, Shard: stats.Shard{I: 2, N: math.MaxInt}})
	if r.Calls != 1 || r.Shards != math.MaxInt || len(r.Slices) != 1 || r.Slices[0] != 2 {
		t.Errorf("report of %d calls, shards %v of %d; want 1 call, shard 2 of MaxInt", r.Calls, r.Slices, r.Shards)
	}
	merged, err := stats.Merge(r)
	if err != nil {
		t.Fatal(err)
	}
	if merged.Calls != 1 {
		t.Errorf("merged report of %d calls, want 1", merged.Calls)
	}
}
