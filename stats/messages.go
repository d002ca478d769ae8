package stats

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/dialsim/dialsim/engine"
)

// Messages counts the messages the callers of a series left: the
// recordings of their <Record>s that were not empty (a silent or too
// short one is none, as Twilio keeps no file for it). <Dial record>
// recordings are not messages. Like a Report's other counts, they add up
// across shards.
type Messages struct {
	// Calls counts the calls that left at least one message.
	Calls int `json:"calls"`
	// Count is the number of messages left, in all calls.
	Count int `json:"count"`
	// P50, P90 and Max summarise their lengths (RecordingDuration, whole
	// seconds) by nearest rank; zero without a message.
	P50 Seconds `json:"p50"`
	P90 Seconds `json:"p90"`
	Max Seconds `json:"max"`
	// Lengths counts the messages by length, in whole seconds, in
	// increasing order: the data the summary comes from.
	Lengths []Bin `json:"lengths"`
}

// addMessages counts the messages of one call into lengths (whole
// seconds → messages) and reports whether it left any.
func addMessages(lengths map[int64]int, res *engine.Result) bool {
	left := false
	for _, r := range res.Recordings {
		if r.Source != "RecordVerb" {
			continue
		}
		left = true
		lengths[int64(r.Duration.Round(time.Second)/time.Second)]++
	}
	return left
}

// messagesOf returns the Messages of a tally's counts.
func messagesOf(calls int, lengths map[int64]int) Messages {
	m := Messages{Calls: calls, Lengths: make([]Bin, 0, len(lengths))}
	for s, n := range lengths {
		m.Lengths = append(m.Lengths, Bin{T: Seconds(time.Duration(s) * time.Second), N: n})
		m.Count += n
	}
	slices.SortFunc(m.Lengths, func(a, b Bin) int { return cmp.Compare(a.T, b.T) })
	return m
}

// add adds q's counts to m.
func (m *Messages) add(q *Messages) {
	m.Calls += q.Calls
	m.Count += q.Count
	m.Lengths = mergeBins(m.Lengths, q.Lengths)
}

// finish computes the summary from the counts.
func (m *Messages) finish() {
	if m.Lengths == nil {
		m.Lengths = []Bin{}
	}
	m.P50, m.P90, m.Max = percentile(m.Lengths, 50), percentile(m.Lengths, 90), 0
	if n := len(m.Lengths); n > 0 {
		m.Max = m.Lengths[n-1].T
	}
}

// check reports what is inconsistent in m, for a report of calls calls,
// or "".
func (m *Messages) check(calls int) string {
	if m.Calls < 0 || m.Calls > calls || m.Count < m.Calls {
		return fmt.Sprintf("%d messages in %d calls of %d", m.Count, m.Calls, calls)
	}
	n := 0
	for i, b := range m.Lengths {
		if b.N <= 0 || b.T < 0 || i > 0 && b.T <= m.Lengths[i-1].T {
			return fmt.Sprintf("message lengths out of order or empty at %v", b.T)
		}
		n += b.N
	}
	if n != m.Count {
		return fmt.Sprintf("message lengths do not add up to %d messages", m.Count)
	}
	return ""
}
