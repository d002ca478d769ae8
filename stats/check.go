package stats

import (
	"fmt"
	"math"
)

// check reports whether r's counts are consistent, as Merge demands of
// every report it reads (a file anyone may have edited): no count is
// negative; statuses and calls without a Dial add up to Calls; bridged
// calls are at most the calls with a Dial, and wins and connect times
// add up to them; bridged voicemails are at most the bridged calls,
// voicemail wins at most the calls with a Dial, and declined whispers
// and machines at most the answered legs; connect times increase;
// messages and a world's figures are consistent.
// Every sum is checked before it is made, so that no count, however
// large, wraps around to look right.
func (r *Report) check() error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("stats: report of shards %v/%d: %s: %w", r.Slices, r.Shards, fmt.Sprintf(format, args...), ErrMalformed)
	}
	if r.Calls < 0 || r.NoDial < 0 || r.Bridged < 0 || r.Voicemail < 0 || r.VoicemailWon < 0 || r.Answered < 0 || r.Declined < 0 || r.Machines < 0 {
		return fail("negative counts")
	}
	if r.NoDial > r.Calls || r.Bridged > r.Calls-r.NoDial || r.Voicemail > r.Bridged || r.VoicemailWon > r.Calls-r.NoDial ||
		r.Declined > r.Answered || r.Machines > r.Answered {
		return fail("impossible counts (%d calls, %d without a Dial, %d bridged, %d voicemail, %d voicemail won, %d of %d answered legs declined, %d machines)",
			r.Calls, r.NoDial, r.Bridged, r.Voicemail, r.VoicemailWon, r.Declined, r.Answered, r.Machines)
	}
	if n, ok := sumAtMost(r.Status, r.Calls-r.NoDial); !ok || n != r.Calls-r.NoDial {
		return fail("statuses do not add up to %d calls", r.Calls)
	}
	if n, ok := sumAtMost(r.Wins, r.Bridged); !ok || n != r.Bridged {
		return fail("wins do not add up to %d bridged calls", r.Bridged)
	}
	n := 0
	for i, b := range r.ConnectTimes {
		if b.N <= 0 || b.T < 0 || i > 0 && b.T <= r.ConnectTimes[i-1].T {
			return fail("connect times out of order or empty at %v", b.T)
		}
		if b.N > r.Bridged-n {
			return fail("connect times add up to more than %d bridged calls", r.Bridged)
		}
		n += b.N
	}
	if n != r.Bridged {
		return fail("connect times do not add up to %d bridged calls", r.Bridged)
	}
	if msg := r.Messages.check(r.Calls); msg != "" {
		return fail("%s", msg)
	}
	if err := r.World.check(); err != nil {
		return fail("%v", err)
	}
	return nil
}

// sumAtMost adds the counts of m, and reports false if one is negative
// or the sum would pass limit (which it then does not compute).
func sumAtMost(m map[string]int, limit int) (int, bool) {
	n := 0
	for _, c := range m {
		if c < 0 || c > limit-n {
			return 0, false
		}
		n += c
	}
	return n, true
}

// canAdd reports whether adding q's counts to r's overflows none of
// them. The counts of calls are bounded by the series' Runs (Merge checks
// each report's Calls against its slices); those of legs are not.
func (r *Report) canAdd(q *Report) error {
	if q.Answered > math.MaxInt-r.Answered || q.Calls > math.MaxInt-r.Calls {
		return fmt.Errorf("stats: report of shards %v/%d: %d answered legs overflow the sum: %w", q.Slices, q.Shards, q.Answered, ErrMalformed)
	}
	return nil
}
