package timeline

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/dialsim/dialsim/engine"
)

// State is what a lane of a Timeline is doing during a Segment.
type State int

// The states of a lane. The caller's lane rings until the call is
// answered, is Answered while the application runs (prompts, Gathers, a
// Dial's ringing) and Bridged while connected to a leg; a leg rings, is
// Screening from its answer until it is bridged or declines (sendDigits
// and its whisper), then Bridged. The caller's lane is Recording while a
// <Record> records the caller's message.
//
// In a world (world.go), a call's lane is Queued while it waits in a
// queue or for its conference to start, Bridged while a queue's bridge
// joins it to another call, and Conference while it is in a conference
// that has started.
const (
	Ringing State = iota
	Answered
	Screening
	Bridged
	Recording
	Queued
	Conference
)

var stateNames = [...]string{Ringing: "ringing", Answered: "answered", Screening: "screening", Bridged: "bridged", Recording: "recording", Queued: "queued", Conference: "conference"}

// String returns the state's name: "ringing", "answered", "screening",
// "bridged", "recording", "queued" or "conference".
func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// Segment is a stretch of virtual time, [From, To), that a lane spends in
// one state.
type Segment struct {
	State    State
	From, To time.Duration
}

// Lane is the life of one call in a Timeline: the caller's call or a leg.
type Lane struct {
	// Label is the lane's address: the caller's From for the first lane,
	// the dialed address for a leg.
	Label string
	// SID is the CallSid of the call or leg.
	SID string
	// Segments are the lane's states in time order, without gaps from its
	// start to its end; segments of zero length are left out.
	Segments []Segment
	// Status is how the lane ended: "completed", "busy", "failed",
	// "no-answer" or "canceled" (the final CallStatus), or "declined" for
	// a leg that declined in screening; empty if the transcript stops
	// before the lane ends.
	Status string
	// End is when the lane ended, or the end of the timeline if it did not.
	End time.Duration
}

// Timeline is a call drawn over time: one Lane for the caller's call,
// then one per Dial leg in the order they were dialed. The zero value has
// no lanes.
type Timeline struct {
	// Title heads the SVG picture; empty means none.
	Title string
	// Lanes are the caller's call, then the legs.
	Lanes []Lane
	// End is the time of the last event.
	End time.Duration

	// World reports that the lanes are the calls of a world (world.go):
	// the legends then explain the queued and conference states too.
	World bool
}

// laneBuilder follows one lane through the transcript.
type laneBuilder struct {
	lane     *Lane
	state    State
	since    time.Duration
	ended    bool
	declined bool
}

func (b *laneBuilder) set(t time.Duration, s State) {
	if b.ended || s == b.state {
		return
	}
	b.close(t)
	b.state, b.since = s, t
}

func (b *laneBuilder) close(t time.Duration) {
	if t > b.since {
		b.lane.Segments = append(b.lane.Segments, Segment{State: b.state, From: b.since, To: t})
	}
}

func (b *laneBuilder) end(t time.Duration, status string) {
	if b.ended {
		return
	}
	b.close(t)
	b.ended = true
	b.lane.Status, b.lane.End = status, t
}

// New builds the timeline of a transcript: the events of an
// engine.Result.
func New(events []engine.Event) *Timeline {
	if len(events) > 0 && events[0].Call != "" {
		return newWorld(events) // world.go
	}
	tl := &Timeline{}
	var lanes []*laneBuilder
	byLeg := map[string]*laneBuilder{} // a leg's address to its latest lane
	var caller *laneBuilder
	var bridged string // the leg bridged to the caller
	str := func(e engine.Event, key string) string {
		s, _ := e.Get(key).(string)
		return s
	}
	newLane := func(label, sid string, t time.Duration) *laneBuilder {
		b := &laneBuilder{lane: &Lane{Label: label, SID: sid}, state: Ringing, since: t}
		lanes = append(lanes, b)
		return b
	}
	for _, e := range events {
		tl.End = max(tl.End, e.T)
		if e.Kind == engine.KindCallStart {
			if caller == nil {
				caller = newLane(str(e, "From"), str(e, "CallSid"), e.T)
			}
			continue
		}
		if e.Leg == "" {
			if caller == nil {
				continue
			}
			switch e.Kind {
			case engine.KindCallAnswered:
				if caller.state == Ringing {
					caller.set(e.T, Answered)
				}
			case engine.KindRecordStart:
				caller.set(e.T, Recording)
			case engine.KindRecordEnd:
				if caller.state == Recording {
					caller.set(e.T, Answered)
				}
			case engine.KindCallEnd:
				caller.end(e.T, str(e, "CallStatus"))
			}
			continue
		}
		if e.Kind == engine.KindLegInitiated {
			byLeg[e.Leg] = newLane(e.Leg, str(e, "CallSid"), e.T)
			continue
		}
		b := byLeg[e.Leg]
		if b == nil {
			continue // a note about a leg not dialed yet
		}
		switch e.Kind {
		case engine.KindLegAnswered:
			b.set(e.T, Screening)
		case engine.KindLegBridged:
			b.set(e.T, Bridged)
			bridged = e.Leg
			if caller != nil {
				caller.set(e.T, Bridged)
			}
		case engine.KindLegDeclined:
			b.declined = true
		case engine.KindLegEnd:
			status := str(e, "CallStatus")
			if b.declined {
				status = "declined"
			}
			if b.state == Bridged && bridged == e.Leg && caller != nil && caller.state == Bridged {
				caller.set(e.T, Answered)
				bridged = ""
			}
			b.end(e.T, status)
		}
	}
	for _, b := range lanes {
		if !b.ended {
			b.close(tl.End)
			b.lane.End = tl.End
		}
		tl.Lanes = append(tl.Lanes, *b.lane)
	}
	return tl
}

// The characters of the text timeline.
var (
	stateChars  = [...]byte{Ringing: 'r', Answered: '-', Screening: 'W', Bridged: '=', Recording: 'R', Queued: 'q', Conference: 'c'}
	statusChars = map[string]byte{
		"completed": 'C',
		"busy":      'B',
		"failed":    'F',
		"no-answer": 'N',
		"canceled":  'X',
		"declined":  'D',
	}
)

// textWidth is the most columns a text timeline's lanes take.
const textWidth = 60

// niceSteps are the durations one column (or one axis tick) may stand for.
var niceSteps = []time.Duration{
	100 * time.Millisecond, 200 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond,
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour,
}

// niceStep returns the smallest nice step that covers d in at most n steps.
func niceStep(d time.Duration, n int) time.Duration {
	for _, s := range niceSteps {
		if d <= s*time.Duration(n) {
			return s
		}
	}
	return (d + time.Duration(n) - 1) / time.Duration(n)
}

// secondsLabel formats d in seconds, as axis labels do: "0s", "2.5s", "90s".
func secondsLabel(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}

// WriteText draws the timeline in fixed-width text: one line a lane, a
// column a fixed step of time, an axis in seconds and a legend, such as
//
//	+15550001111  |---=============================================C|
//	+18589876543  |rrrX                                             |
//	client:jenny  |rrr=============================================C|
//
// A state shorter than a column still takes one.
func (tl *Timeline) WriteText(w io.Writer) error {
	step := niceStep(tl.End, textWidth-1)
	cols := int(tl.End/step) + 1
	col := func(t time.Duration) int { return min(int(t/step), cols-1) }
	width := 0
	for _, l := range tl.Lanes {
		width = max(width, len(l.Label))
	}
	var b bytes.Buffer
	for _, l := range tl.Lanes {
		row := bytes.Repeat([]byte{' '}, cols)
		for _, s := range l.Segments {
			from, to := col(s.From), col(s.To)
			if to <= from {
				to = from + 1
			}
			for i := from; i < to && i < cols; i++ {
				row[i] = stateChars[s.State]
			}
		}
		if c, ok := statusChars[l.Status]; ok {
			row[col(l.End)] = c
		}
		fmt.Fprintf(&b, "%-*s  |%s|\n", width, l.Label, row)
	}
	// The axis: a tick label every ten columns, under the column's left
	// edge (after the lanes' opening |).
	var axis []byte
	for i := 0; i < cols; i += 10 {
		pad := i + 1 - len(axis)
		if pad < 1 && i > 0 {
			pad = 1
		}
		axis = append(axis, bytes.Repeat([]byte{' '}, max(pad, 0))...)
		axis = append(axis, secondsLabel(time.Duration(i)*step)...)
	}
	fmt.Fprintf(&b, "%-*s  %s\n", width, "", axis)
	recording := ""
	if tl.records() {
		recording = ", R recording"
	}
	fmt.Fprintf(&b, "one column = %s; r ringing, - answered, W screening (whisper), = bridged%s\n", secondsLabel(step), recording)
	b.WriteString("ends: C completed, B busy, F failed, N no-answer, X canceled, D declined\n")
	if tl.World {
		b.WriteString("q waiting in a queue or for a conference, c in a conference\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Colours and sizes of the SVG picture.
var (
	stateColours  = [...]string{Ringing: "#f2b134", Answered: "#b0bec5", Screening: "#8e6bbf", Bridged: "#2e9e5b", Recording: "#d84315", Queued: "#4fa3e0", Conference: "#00897b"}
	statusColours = map[string]string{
		"completed": "#1b5e20",
		"busy":      "#c62828",
		"failed":    "#6d1b7b",
		"no-answer": "#e65100",
		"canceled":  "#546e7a",
		"declined":  "#ad1457",
	}
	statusOrder = []string{"completed", "busy", "failed", "no-answer", "canceled", "declined"}
)

const (
	svgCharWidth = 7.8 // of the 13px monospace font
	svgPlotWidth = 720.0
	svgLane      = 22.0 // lane height
	svgGap       = 10.0 // between lanes
	svgMargin    = 16.0
	svgRight     = 90.0 // room for the last end label
)

// WriteSVG draws the timeline as a self-contained SVG picture: a legend,
// one lane a call with its label, coloured segments by state, a marker
// and a word at each lane's end, and a time axis in seconds. The same
// timeline always gives the same bytes.
func (tl *Timeline) WriteSVG(w io.Writer) error {
	width := 0
	for _, l := range tl.Lanes {
		width = max(width, len(l.Label))
	}
	labelW := float64(width)*svgCharWidth + 2*svgMargin
	tick := niceStep(tl.End, 10)
	ticks := int((tl.End + tick - 1) / tick)
	ticks = max(ticks, 1)
	span := tick * time.Duration(ticks)
	x := func(t time.Duration) float64 { return labelW + float64(t)/float64(span)*svgPlotWidth }

	top := svgMargin
	if tl.Title != "" {
		top += 24
	}
	legendY := top
	lanesY := legendY + 44
	axisY := lanesY + float64(len(tl.Lanes))*(svgLane+svgGap)
	totalW := labelW + svgPlotWidth + svgRight
	totalH := axisY + 44

	var b bytes.Buffer
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	esc := func(s string) string {
		var e strings.Builder
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="13">`+"\n",
		f(totalW), f(totalH), f(totalW), f(totalH))
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#ffffff"/>`+"\n")
	if tl.Title != "" {
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="15" font-weight="bold">%s</text>`+"\n", f(svgMargin), f(svgMargin+14), esc(tl.Title))
	}

	// Legend: the states, then the ends.
	lx := svgMargin
	type entry struct {
		state State
		name  string
	}
	legend := []entry{{Ringing, "ringing"}, {Answered, "answered (app)"}, {Screening, "screening (whisper)"}, {Bridged, "bridged"}}
	if tl.records() {
		legend = append(legend, entry{Recording, "recording"})
	}
	if tl.World {
		legend = append(legend, entry{Queued, "queued"}, entry{Conference, "conference"})
	}
	for _, e := range legend {
		name := e.name
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="14" height="12" fill="%s"/>`, f(lx), f(legendY), stateColours[e.state])
		fmt.Fprintf(&b, `<text x="%s" y="%s">%s</text>`+"\n", f(lx+18), f(legendY+11), esc(name))
		lx += 18 + float64(len(name))*svgCharWidth + 18
	}
	lx = svgMargin
	for _, st := range statusOrder {
		fmt.Fprintf(&b, `<path d="%s" fill="%s"/>`, endMarker(lx+5, legendY+26), statusColours[st])
		fmt.Fprintf(&b, `<text x="%s" y="%s">%s</text>`+"\n", f(lx+14), f(legendY+31), st)
		lx += 14 + float64(len(st))*svgCharWidth + 18
	}

	// Grid and axis.
	fmt.Fprintf(&b, `<g stroke="#dddddd" stroke-width="1">`)
	for i := 0; i <= ticks; i++ {
		tx := x(tick * time.Duration(i))
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s"/>`, f(tx), f(lanesY-4), f(tx), f(axisY))
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333333" stroke-width="1"/>`+"\n", f(labelW), f(axisY), f(labelW+svgPlotWidth), f(axisY))
	for i := 0; i <= ticks; i++ {
		tx := x(tick * time.Duration(i))
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333333"/>`, f(tx), f(axisY), f(tx), f(axisY+5))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle">%s</text>`+"\n", f(tx), f(axisY+19), secondsLabel(tick*time.Duration(i)))
	}
	fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="#555555">time (seconds)</text>`+"\n", f(labelW+svgPlotWidth/2), f(axisY+37))

	// Lanes.
	for i, l := range tl.Lanes {
		y := lanesY + float64(i)*(svgLane+svgGap)
		weight := ""
		if i == 0 {
			weight = ` font-weight="bold"`
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end"%s>%s</text>`+"\n", f(labelW-10), f(y+svgLane/2+4.5), weight, esc(l.Label))
		for _, s := range l.Segments {
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s %s: %s to %s</title></rect>`+"\n",
				f(x(s.From)), f(y), f(max(x(s.To)-x(s.From), 1)), f(svgLane), stateColours[s.State],
				esc(l.Label), s.State, secondsLabel(s.From), secondsLabel(s.To))
		}
		if c, ok := statusColours[l.Status]; ok {
			ex := x(l.End)
			fmt.Fprintf(&b, `<path d="%s" fill="%s" stroke="#ffffff" stroke-width="1"><title>%s %s at %s</title></path>`,
				endMarker(ex, y+svgLane/2), c, esc(l.Label), l.Status, secondsLabel(l.End))
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" fill="%s">%s</text>`+"\n", f(ex+9), f(y+svgLane/2+4), c, l.Status)
		}
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// endMarker is the path of the diamond that marks a lane's end at (x, y).
func endMarker(x, y float64) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	return "M" + f(x) + " " + f(y-7) + "L" + f(x+6) + " " + f(y) + "L" + f(x) + " " + f(y+7) + "L" + f(x-6) + " " + f(y) + "Z"
}

// records reports whether a lane of the timeline has a Recording
// segment: only then do the legends name the state.
func (tl *Timeline) records() bool {
	for _, l := range tl.Lanes {
		for _, s := range l.Segments {
			if s.State == Recording {
				return true
			}
		}
	}
	return false
}
