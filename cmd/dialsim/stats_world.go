package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dialsim/dialsim/stats"
)

// writeWorld prints the figures of a series of worlds: the callers'
// waits in queues and the agents' occupancy.
func writeWorld(b *strings.Builder, r *stats.Report) {
	w := r.World
	fmt.Fprintf(b, "worlds    %d, %d callers\n", r.Calls, w.Callers)
	writeTable(b, "Callers in queues", "lrrl", [][]string{
		{"queued", strconv.Itoa(w.Queued), percent(w.Queued, w.Callers), "of callers"},
		{"turned away (queue full)", strconv.Itoa(w.Full), percent(w.Full, w.Callers), "of callers"},
		{"answered by an agent", strconv.Itoa(w.Bridged), percent(w.Bridged, w.Queued), "of queued"},
		{"abandoned (hung up waiting)", strconv.Itoa(w.Abandoned), percent(w.Abandoned, w.Queued), "of queued"},
		{"left otherwise", strconv.Itoa(w.Other), percent(w.Other, w.Queued), "of queued"},
		{"waited at all", strconv.Itoa(w.Waited), percent(w.Waited, w.Bridged), "of answered"},
	})
	// A section with nothing to count in it is left out: a wait of no
	// answered caller, a service level of no caller answered or
	// abandoned, an occupancy of no agent are not 0.
	if w.Bridged > 0 {
		c := w.Wait
		writeTable(b, "Wait in the queue of the answered callers (s)", "lr", [][]string{
			{"p50", seconds(c.P50, 3)}, {"p90", seconds(c.P90, 3)}, {"p99", seconds(c.P99, 3)}, {"max", seconds(c.Max, 3)},
		})
	}
	if w.Bridged+w.Abandoned > 0 {
		var rows [][]string
		for _, x := range w.Within {
			rows = append(rows, []string{"within " + seconds(x.T, 0) + " s", fmt.Sprintf("%.1f%%", 100*x.Fraction)})
		}
		writeTable(b, "Service level (answered within T, of answered and abandoned)", "lr", rows)
	}
	if w.AgentTime > 0 {
		writeTable(b, "Agents", "lr", [][]string{
			{"occupancy (talk time / time in the world)", fmt.Sprintf("%.1f%%", 100*w.Occupancy)},
			{"talk time (s)", seconds(w.TalkTime, 0)},
			{"agent time (s)", seconds(w.AgentTime, 0)},
		})
	}
}
