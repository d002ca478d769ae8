package timeline

import (
	"slices"
	"time"

	"github.com/dialsim/dialsim/engine"
)

// newWorld builds the timeline of a world's transcript (engine.World):
// each call's lanes in the order the calls started, the call's own lane
// labelled with its name and its legs' with the name and the address;
// queue waits and conference stays are states of the call's lane.
func newWorld(events []engine.Event) *Timeline {
	tl := &Timeline{World: true}
	var order []string
	byCall := map[string][]engine.Event{}
	started := map[string]time.Duration{} // a conference's SID to its start
	for _, e := range events {
		tl.End = max(tl.End, e.T)
		name := e.Call
		if _, ok := byCall[name]; !ok && e.Kind == engine.KindCallStart {
			order = append(order, name)
		}
		if e.Kind == engine.KindConfStart {
			sid, _ := e.Get("ConferenceSid").(string)
			started[sid] = e.T
		}
		e.Call = ""
		byCall[name] = append(byCall[name], e)
	}
	for _, name := range order {
		evs := byCall[name]
		one := New(evs)
		for i := range one.Lanes {
			l := &one.Lanes[i]
			if i == 0 {
				l.Label = name
				l.Segments = worldStates(evs, l.Segments, l.End, started)
			} else {
				l.Label = name + " " + l.Label
			}
		}
		tl.Lanes = append(tl.Lanes, one.Lanes...)
	}
	return tl
}

// worldStates lays a call's queue waits, queue bridges and conference
// stays over its lane's segments; started holds when each conference
// started.
func worldStates(evs []engine.Event, segs []Segment, end time.Duration, started map[string]time.Duration) []Segment {
	var waitFrom, bridgeFrom, joined time.Duration = -1, -1, -1
	conf := ""
	stay := func(to time.Duration) {
		s, ok := started[conf]
		switch {
		case !ok || s >= to:
			segs = overlay(segs, joined, to, Queued)
		default:
			s = max(s, joined)
			segs = overlay(segs, joined, s, Queued)
			segs = overlay(segs, s, to, Conference)
		}
		joined = -1
	}
	for _, e := range evs {
		switch e.Kind {
		case engine.KindEnqueue:
			waitFrom = e.T
		case engine.KindDequeued, engine.KindQueueEnd:
			if waitFrom >= 0 {
				segs = overlay(segs, waitFrom, e.T, Queued)
				waitFrom = -1
			}
			if e.Kind == engine.KindQueueEnd && bridgeFrom >= 0 {
				segs = overlay(segs, bridgeFrom, e.T, Bridged)
				bridgeFrom = -1
			}
		case engine.KindQueueBridged:
			bridgeFrom = e.T
		case engine.KindDialEnd:
			if bridgeFrom >= 0 { // the dialing side of a queue's bridge
				segs = overlay(segs, bridgeFrom, e.T, Bridged)
				bridgeFrom = -1
			}
		case engine.KindConfJoin:
			joined = e.T
			conf, _ = e.Get("ConferenceSid").(string)
		case engine.KindConfLeave:
			if joined >= 0 {
				stay(e.T)
			}
		}
	}
	if waitFrom >= 0 {
		segs = overlay(segs, waitFrom, end, Queued)
	}
	if bridgeFrom >= 0 {
		segs = overlay(segs, bridgeFrom, end, Bridged)
	}
	if joined >= 0 {
		stay(end)
	}
	return segs
}

// overlay sets the state of [from, to) in segs to s.
func overlay(segs []Segment, from, to time.Duration, s State) []Segment {
	if to <= from {
		return segs
	}
	var out []Segment
	for _, g := range segs {
		if g.To <= from || g.From >= to {
			out = append(out, g)
			continue
		}
		if g.From < from {
			out = append(out, Segment{State: g.State, From: g.From, To: from})
		}
		if g.To > to {
			out = append(out, Segment{State: g.State, From: to, To: g.To})
		}
	}
	out = append(out, Segment{State: s, From: from, To: to})
	slices.SortFunc(out, func(a, b Segment) int { return int(a.From - b.From) })
	// Merge neighbours of one state.
	merged := out[:0]
	for _, g := range out {
		if n := len(merged); n > 0 && merged[n-1].State == g.State && merged[n-1].To == g.From {
			merged[n-1].To = g.To
			continue
		}
		merged = append(merged, g)
	}
	return merged
}
