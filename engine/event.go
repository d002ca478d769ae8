package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dialsim/dialsim/internal/weburl"
)

// Event is one line of a call's transcript: something that happened at a
// virtual instant, on the call or on one of its Dial legs.
type Event struct {
	// T is the virtual time since the call started.
	T time.Duration
	// Kind names what happened, such as "request", "leg.answered" or
	// "dial.end"; the README lists them all.
	Kind string
	// Leg is the dialed address of the leg the event belongs to, such as
	// "client:jenny"; empty for the call itself.
	Leg string
	// Attrs are the event's fields, in a fixed order per kind.
	Attrs []Attr
	// Call names the call of a World the event belongs to, and T is then
	// the time since the world started; empty for Engine.Call's events.
	Call string
}

// Attr is one named field of an Event: a string, an int, a bool or a
// float64. Make one with StringAttr, IntAttr, BoolAttr or FloatAttr. It
// holds its value unboxed, so recording a transcript allocates little.
type Attr struct {
	Key  string
	kind attrKind
	s    string
	n    uint64 // an int, a bool (0 or 1) or a float64's bits
}

type attrKind uint8

const (
	attrString attrKind = iota
	attrInt
	attrBool
	attrFloat
)

// StringAttr returns a field with a string value.
func StringAttr(key, v string) Attr { return Attr{Key: key, kind: attrString, s: v} }

// IntAttr returns a field with an int value.
func IntAttr(key string, v int) Attr { return Attr{Key: key, kind: attrInt, n: uint64(v)} }

// BoolAttr returns a field with a bool value.
func BoolAttr(key string, v bool) Attr {
	a := Attr{Key: key, kind: attrBool}
	if v {
		a.n = 1
	}
	return a
}

// FloatAttr returns a field with a float64 value.
func FloatAttr(key string, v float64) Attr {
	return Attr{Key: key, kind: attrFloat, n: math.Float64bits(v)}
}

// a returns a field of any of the four kinds.
func a[T string | int | bool | float64](key string, v T) Attr {
	switch v := any(v).(type) {
	case string:
		return StringAttr(key, v)
	case int:
		return IntAttr(key, v)
	case bool:
		return BoolAttr(key, v)
	case float64:
		return FloatAttr(key, v)
	}
	panic("unreachable")
}

// Value returns the field's value: a string, an int, a bool or a float64.
func (a Attr) Value() any {
	switch a.kind {
	case attrInt:
		return int(a.n)
	case attrBool:
		return a.n != 0
	case attrFloat:
		return math.Float64frombits(a.n)
	}
	return a.s
}

// Equal reports whether a and b have the same key and the same value, of
// the same kind. go-cmp uses it to compare events.
func (a Attr) Equal(b Attr) bool { return a == b }

// String formats the field as a transcript does: Key=value.
func (a Attr) String() string { return a.Key + "=" + a.text() }

// Get returns the value of the event's field named key, or nil.
func (e Event) Get(key string) any {
	for _, a := range e.Attrs {
		if a.Key == key {
			return a.Value()
		}
	}
	return nil
}

// String formats the event as one transcript line: the virtual time in
// seconds, the call's name for a world's event, the kind, the leg ("-"
// for the call), then the fields as Name=value. The leg and the string
// values are quoted as Go quotes strings (strconv.Quote) when they are
// empty or hold a space, a quote, an "=", a control character (a line
// break among them) or invalid UTF-8, or start with "--"; so a line never
// holds a line break, and a value from the application cannot make a
// transcript line that reads as another line, a field or a marker of a
// scenario file.
func (e Event) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%9.3f  ", e.T.Seconds())
	if e.Call != "" {
		fmt.Fprintf(&b, "%-8s ", e.Call) // a world's event (world.go): names are letters, digits, - and _
	}
	fmt.Fprintf(&b, "%-15s", e.Kind)
	leg := "-"
	if e.Leg != "" {
		leg = quote(e.Leg)
	}
	fmt.Fprintf(&b, " %-20s", leg)
	for _, a := range e.Attrs {
		b.WriteByte(' ')
		b.WriteString(a.Key)
		b.WriteByte('=')
		b.WriteString(a.text())
	}
	return strings.TrimRight(b.String(), " ")
}

// text formats the field's value for a transcript line.
func (a Attr) text() string {
	switch a.kind {
	case attrInt:
		return strconv.Itoa(int(a.n))
	case attrBool:
		return strconv.FormatBool(a.n != 0)
	case attrFloat:
		return strconv.FormatFloat(math.Float64frombits(a.n), 'f', -1, 64)
	}
	if a.s == "" {
		return `""`
	}
	return quote(a.s)
}

// quote returns v as a transcript prints it: as it is when it is plain,
// quoted otherwise (see Event.String). A leg named "-" is quoted, so that
// it does not read as the call.
func quote(v string) string {
	if v == "" || v == "-" || strings.ContainsAny(v, " \t\n\r\"=") || strings.HasPrefix(v, "--") || !strconv.CanBackquote(v) {
		return strconv.Quote(v)
	}
	return v
}

// MarshalJSON encodes the event as one JSON object: "t" (virtual seconds,
// a number), "call" for a world's event, "kind", "leg" when the event is a leg's, then the fields.
func (e Event) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"t":`)
	b.WriteString(strconv.FormatFloat(e.T.Seconds(), 'f', -1, 64))
	if e.Call != "" {
		b.WriteString(`,"call":`)
		writeJSON(&b, e.Call)
	}
	b.WriteString(`,"kind":`)
	writeJSON(&b, e.Kind)
	if e.Leg != "" {
		b.WriteString(`,"leg":`)
		writeJSON(&b, e.Leg)
	}
	for _, a := range e.Attrs {
		b.WriteByte(',')
		writeJSON(&b, a.Key)
		b.WriteByte(':')
		if err := writeJSON(&b, a.Value()); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, v any) error {
	enc, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.Write(enc)
	return nil
}

// WriteText writes the events as transcript lines.
func WriteText(w io.Writer, events []Event) error {
	var b bytes.Buffer
	for _, e := range events {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteJSON writes the events as JSON lines, one object a line.
func WriteJSON(w io.Writer, events []Event) error {
	var b bytes.Buffer
	for _, e := range events {
		line, err := e.MarshalJSON()
		if err != nil {
			return err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Event kinds. The JSON field names of dial.end, call.end and diagnostic
// are fixed (docs/design.md), because scripts depend on them.
const (
	KindCallStart    = "call.start"    // From, To, CallSid
	KindCallAnswered = "call.answered" // the caller's call is answered
	KindRequest      = "request"       // Method, URL and the parameters that matter
	KindCallback     = "callback"      // a status callback: CallStatus, SequenceNumber, URL
	KindDiagnostic   = "diagnostic"    // code, level, message
	KindNote         = "note"          // message: something worth knowing that is not an error
	KindSay          = "say"           // Text, Loop, Duration
	KindPlay         = "play"          // URL or Digits, Loop, Duration
	KindPause        = "pause"         // Length
	KindGather       = "gather"        // Timeout, NumDigits, FinishOnKey
	KindGatherEnd    = "gather.end"    // Digits, FinishedOnKey, or Result=timeout
	KindPress        = "press"         // Keys: the caller (or a party, on its leg) presses keys
	KindHangup       = "hangup"        // the document hangs up
	KindReject       = "reject"        // Reason
	KindRedirect     = "redirect"      // URL, Method
	KindCallerHangup = "caller.hangup" // the caller hangs up
	KindDialStart    = "dial.start"    // Nouns, Timeout, Policy, Sequential
	KindLegInitiated = "leg.initiated" // CallSid, From, To
	KindLegRinging   = "leg.ringing"
	KindLegAnswered  = "leg.answered"
	KindLegAMD       = "leg.amd"        // AnsweredBy, MachineDetectionDuration (ms): answering-machine detection's result
	KindSendDigits   = "leg.senddigits" // Digits played to the answered party
	KindLegAccepted  = "leg.accepted"   // the whisper ran out of verbs: the party accepts
	KindLegDeclined  = "leg.declined"   // Reason: hangup, reject, party hung up, whisper failed
	KindLegBridged   = "leg.bridged"
	KindLegHangup    = "leg.hangup" // the party hangs up
	KindLegEnd       = "leg.end"    // CallStatus, CallDuration, Reason
	KindDialEnd      = "dial.end"   // DialCallStatus, DialCallSid, DialCallDuration, DialBridged, to
	KindCallEnd      = "call.end"   // CallStatus, CallDuration

	// <Record> and <Dial record> (record.go).
	KindBeep            = "beep"           // Duration: Record's beep
	KindRecordStart     = "record.start"   // RecordingSid, Timeout, FinishOnKey, MaxLength, Trim
	KindCallerTalk      = "caller.talk"    // Duration: the caller speaks, in a recording
	KindRecordEnd       = "record.end"     // RecordingSid, RecordingDuration, Reason, Digits, Result=empty, ErrorCode
	KindDialRecordStart = "dial.rec.start" // RecordingSid, Channels
	KindDialRecordEnd   = "dial.rec.end"   // RecordingSid, RecordingDuration
)

// emit appends an event at the current virtual time.
func (c *call) emit(kind, leg string, attrs ...Attr) {
	if c.e.NoTranscript {
		return
	}
	t := c.now()
	c.mu.Lock()
	if c.events == nil {
		c.sizeTranscript()
	}
	if len(c.attrs)+len(attrs) > cap(c.attrs) {
		c.attrs = make([]Attr, 0, max(attrChunk, len(attrs)))
	}
	n := len(c.attrs)
	c.attrs = append(c.attrs, attrs...)
	c.nattrs += len(attrs)
	var fields []Attr // nil for an event without fields, as before chunks
	if len(attrs) > 0 {
		fields = c.attrs[n:len(c.attrs):len(c.attrs)]
	}
	c.events = append(c.events, Event{T: t, Kind: kind, Leg: leg, Attrs: fields})
	c.mu.Unlock()
	if c.wc != nil {
		c.wc.record(Event{T: t, Kind: kind, Leg: leg, Attrs: fields}) // world.go
	}
}

// Events' attributes are carved from chunks of at least attrChunk, each
// event's capped so that appending to one cannot touch the next;
// eventsFirst is the transcript's first capacity. A Dial reserves room
// for the events of its legs (initiated, ringing, end: eventsPerLeg) and
// their attributes (attrsPerLeg), and for the events that follow it.
//
// BenchmarkCall/legs=10 (bench), with reserve and without (the transcript
// growing by append alone), interleaved runs of two test binaries on 2
// cores, 1 Dec 2026, medians of 5: 40.3 µs, 41 allocations and 13.6 KB a
// call with, 55.1 µs, 44 allocations and 17.2 KB without.
const (
	attrChunk    = 32
	eventsFirst  = 8
	eventsPerLeg = 3
	attrsPerLeg  = 6
	eventsAfter  = 16
	attrsAfter   = 36
)

// sizeTranscript gives the transcript its first capacity, at its first
// event: as long as the last transcript of a call of the same Cache, if
// there was one, since calls of one Engine or one scenario usually record
// the same transcript or nearly; the Dials of such a call need not reserve
// room. Otherwise eventsFirst events, and a Dial reserves room for its
// legs. c.mu is held.
//
// BenchmarkCall/legs=10 (bench), with the hint and without (eventsFirst,
// and the Dial's reserve), interleaved runs of two test binaries on 2
// cores, 1 Dec 2026, medians of 9: 25.9 µs, 41 allocations and 10.7 KB a call with,
// 26.7 µs, 43 allocations and 14.4 KB without.
func (c *call) sizeTranscript() {
	events, attrs := c.cache.transcriptHint()
	if events == 0 {
		c.events = make([]Event, 0, eventsFirst)
		return
	}
	c.hinted = true
	c.events = make([]Event, 0, events)
	c.attrs = make([]Attr, 0, max(attrs, attrChunk))
}

// reserve makes room for at least n more events and m more attributes,
// so that a Dial's events do not grow the transcript a step at a time.
func (c *call) reserve(n, m int) {
	if c.e.NoTranscript {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hinted {
		return // sized from the last call's transcript: see sizeTranscript
	}
	if cap(c.events)-len(c.events) < n {
		c.events = slices.Grow(c.events, n)
	}
	if cap(c.attrs)-len(c.attrs) < m {
		c.attrs = make([]Attr, 0, max(attrChunk, m))
	}
}

func (c *call) diagnostic(leg string, code int, level, msg string) {
	// A message may quote a URL of the application or of a document:
	// never with its user information.
	c.emit(KindDiagnostic, leg, a("code", code), a("level", level), a("message", weburl.Redact(msg)))
}

// sortAttrs sorts a few fields by name.
func sortAttrs(s []Attr) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Key < s[j-1].Key; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
