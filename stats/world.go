package stats

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
)

// withinTimes are the waits a WorldStats reports its service levels at.
var withinTimes = [...]time.Duration{0, 10 * time.Second, 20 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute}

// WithinTimes returns the waits a WorldStats reports its service levels
// at, in increasing order: 0, 10 s, 20 s, 30 s, 1 min and 2 min. The slice
// is a copy, the caller's to change.
func WithinTimes() []time.Duration {
	return slices.Clone(withinTimes[:])
}

// WorldStats is what a series of worlds (scenarios with several calls:
// callers, agents, queues) shows about the callers' waits in queues and
// the agents' work. Its counts add up across shards as a Report's do.
type WorldStats struct {
	// Callers counts the callers' calls (not the agents').
	Callers int `json:"callers"`
	// Queued counts the callers' Enqueues that joined a queue; Full, those
	// a full queue turned away.
	Queued int `json:"queued"`
	Full   int `json:"full"`
	// Bridged counts the queued callers an agent's Dial took and bridged;
	// Abandoned, those who hung up while waiting (QueueResult=hangup);
	// Other, those who left otherwise (leave, redirected, error).
	Bridged   int `json:"bridged"`
	Abandoned int `json:"abandoned"`
	Other     int `json:"other"`
	// Waited counts the bridged callers who waited at all (QueueTime
	// above zero).
	Waited int `json:"waited"`
	// WaitTimes counts the bridged callers by their wait in the queue, to
	// the millisecond (rounded down), in increasing order.
	WaitTimes []Bin `json:"wait_times"`
	// Wait summarises WaitTimes by nearest rank, as Connect does.
	Wait Connect `json:"wait"`
	// Within is the service level at each of WithinTimes(): the bridged
	// callers who waited at most T, over the bridged and the abandoned.
	Within []Within `json:"within"`
	// AbandonRate is Abandoned / Queued, or 0.
	AbandonRate float64 `json:"abandon_rate"`
	// AgentTime is the agents' time in the world, each from the start of
	// its first call to the end of its last; TalkTime, the part of it
	// they spent bridged to callers.
	AgentTime Seconds `json:"agent_time"`
	TalkTime  Seconds `json:"talk_time"`
	// Occupancy is TalkTime / AgentTime, or 0.
	Occupancy float64 `json:"occupancy"`
}

// Within is a service level: the fraction of callers answered within T.
type Within struct {
	T        Seconds `json:"t"`
	Fraction float64 `json:"fraction"`
}

// worldTally is one worker's counts of worlds.
type worldTally struct {
	s    WorldStats
	wait map[int64]int // milliseconds → bridged callers
}

// runWorld plays run number run of a world scenario.
func runWorld(ctx context.Context, play *scenarios.Prepared, run uint64) (*engine.WorldResult, error) {
	return play.RunWorld(ctx, run)
}

// addWorld counts one world.
func (t *tally) addWorld(wr *engine.WorldResult) {
	t.calls++
	t.noDial++ // a world has no race of its own to report
	if t.world == nil {
		t.world = &worldTally{wait: map[int64]int{}}
	}
	w := t.world
	type span struct{ from, to time.Duration }
	agents := map[string]*span{}
	for _, c := range wr.Calls {
		if c.Agent {
			name, _, _ := strings.Cut(c.Name, ".")
			end := c.At + c.Duration
			if sp := agents[name]; sp == nil {
				agents[name] = &span{c.At, end}
			} else {
				sp.from, sp.to = min(sp.from, c.At), max(sp.to, end)
			}
			for _, d := range c.Dials {
				if d.Bridged && strings.HasPrefix(d.To, "queue:") {
					w.s.TalkTime += Seconds(d.Duration)
				}
			}
			continue
		}
		w.s.Callers++
		for _, v := range c.Queues {
			switch v.Result {
			case "queue-full":
				w.s.Full++
				continue
			case "bridged":
				w.s.Bridged++
				if v.Wait > 0 {
					w.s.Waited++
				}
				w.wait[v.Wait.Milliseconds()]++
			case "hangup":
				w.s.Abandoned++
			default:
				w.s.Other++
			}
			w.s.Queued++
		}
	}
	for _, sp := range agents {
		w.s.AgentTime += Seconds(sp.to - sp.from)
	}
}

// worldReport returns the worker's world counts as a WorldStats to add,
// or nil if it counted no world.
func (t *tally) worldReport() *WorldStats {
	if t.world == nil {
		return nil
	}
	s := t.world.s
	s.WaitTimes = make([]Bin, 0, len(t.world.wait))
	for _, ms := range slices.Sorted(maps.Keys(t.world.wait)) {
		s.WaitTimes = append(s.WaitTimes, Bin{T: Seconds(time.Duration(ms) * time.Millisecond), N: t.world.wait[ms]})
	}
	return &s
}

// addWorld adds q's world counts to r's.
func (r *Report) addWorld(q *WorldStats) {
	if q == nil {
		return
	}
	if r.World == nil {
		r.World = &WorldStats{}
	}
	w := r.World
	w.Callers += q.Callers
	w.Queued += q.Queued
	w.Full += q.Full
	w.Bridged += q.Bridged
	w.Abandoned += q.Abandoned
	w.Other += q.Other
	w.Waited += q.Waited
	w.AgentTime += q.AgentTime
	w.TalkTime += q.TalkTime
	w.WaitTimes = mergeBins(w.WaitTimes, q.WaitTimes)
}

// finishWorld computes the world's summary figures from its counts.
func (r *Report) finishWorld() {
	w := r.World
	if w == nil {
		return
	}
	if w.WaitTimes == nil {
		w.WaitTimes = []Bin{}
	}
	w.Wait = Connect{P50: percentile(w.WaitTimes, 50), P90: percentile(w.WaitTimes, 90), P99: percentile(w.WaitTimes, 99)}
	if n := len(w.WaitTimes); n > 0 {
		w.Wait.Max = w.WaitTimes[n-1].T
	}
	w.Within = w.Within[:0]
	for _, t := range withinTimes {
		n := 0
		for _, b := range w.WaitTimes {
			if time.Duration(b.T) <= t {
				n += b.N
			}
		}
		f := 0.0
		if d := w.Bridged + w.Abandoned; d > 0 {
			f = float64(n) / float64(d)
		}
		w.Within = append(w.Within, Within{T: Seconds(t), Fraction: f})
	}
	w.AbandonRate, w.Occupancy = 0, 0
	if w.Queued > 0 {
		w.AbandonRate = float64(w.Abandoned) / float64(w.Queued)
	}
	if w.AgentTime > 0 {
		w.Occupancy = float64(w.TalkTime) / float64(w.AgentTime)
	}
}

// checkWorld reports whether the world's counts are consistent.
func (w *WorldStats) check() error {
	if w == nil {
		return nil
	}
	if w.Callers < 0 || w.Queued < 0 || w.Full < 0 || w.Bridged < 0 || w.Abandoned < 0 || w.Other < 0 ||
		w.Waited < 0 || w.Waited > w.Bridged || w.Bridged+w.Abandoned+w.Other != w.Queued ||
		w.AgentTime < 0 || w.TalkTime < 0 || w.TalkTime > w.AgentTime {
		return fmt.Errorf("world counts do not add up")
	}
	n := 0
	for i, b := range w.WaitTimes {
		if b.N <= 0 || b.T < 0 || i > 0 && b.T <= w.WaitTimes[i-1].T {
			return fmt.Errorf("wait times out of order or empty at %v", b.T)
		}
		n += b.N
	}
	if n != w.Bridged {
		return fmt.Errorf("wait times do not add up to %d bridged callers", w.Bridged)
	}
	return nil
}
