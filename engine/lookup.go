package engine

import (
	"math"
	"time"
)

// Lookup returns the event's field named key, and false if it has none.
func (e Event) Lookup(key string) (Attr, bool) {
	for _, a := range e.Attrs {
		if a.Key == key {
			return a, true
		}
	}
	return Attr{}, false
}

// Text returns the string value of the field named key, such as
// ev.Text("DialCallStatus"); "" if the event has no such field or its
// value is not a string. (String, the name of the other getters' kind, is
// the event's transcript line.)
func (e Event) Text(key string) string {
	a, ok := e.Lookup(key)
	if !ok || a.kind != attrString {
		return ""
	}
	return a.s
}

// Int returns the int value of the field named key, such as
// ev.Int("code"); 0 if the event has no such field or its value is not
// an int.
func (e Event) Int(key string) int {
	a, ok := e.Lookup(key)
	if !ok || a.kind != attrInt {
		return 0
	}
	return int(a.n)
}

// Bool returns the bool value of the field named key, such as
// ev.Bool("DialBridged"); false if the event has no such field or its
// value is not a bool.
func (e Event) Bool(key string) bool {
	a, ok := e.Lookup(key)
	return ok && a.kind == attrBool && a.n != 0
}

// Float returns the number value of the field named key, an int's as
// well as a float64's; 0 if the event has no such field or its value is
// not a number.
func (e Event) Float(key string) float64 {
	a, ok := e.Lookup(key)
	switch {
	case !ok:
		return 0
	case a.kind == attrFloat:
		return math.Float64frombits(a.n)
	case a.kind == attrInt:
		return float64(int(a.n))
	}
	return 0
}

// Seconds returns a field that counts seconds (CallDuration,
// DialCallDuration, Timeout, a say's Duration) as a time.Duration, such
// as ev.Seconds("CallDuration"); 0 if the event has no such field or its
// value is not a number.
func (e Event) Seconds(key string) time.Duration {
	return time.Duration(math.Round(e.Float(key) * float64(time.Second)))
}

// AnyLeg, as the leg of Result.Find and Result.Filter, matches the events
// of the call and of every leg.
const AnyLeg = "*"

// Find returns the first event of the transcript of the given kind (such
// as KindDialEnd; "" for any) on the given leg (its address, such as
// "client:jenny"; "" for the caller's call, AnyLeg for any), and false if
// there is none.
func (r *Result) Find(kind, leg string) (Event, bool) {
	for _, ev := range r.Events {
		if ev.matches(kind, leg) {
			return ev, true
		}
	}
	return Event{}, false
}

// Filter returns the events of the transcript of the given kind on the
// given leg, as Find chooses them, in order; nil if there is none.
func (r *Result) Filter(kind, leg string) []Event {
	var out []Event
	for _, ev := range r.Events {
		if ev.matches(kind, leg) {
			out = append(out, ev)
		}
	}
	return out
}

// matches reports whether the event is of kind ("" for any) on leg
// (AnyLeg for any).
func (e Event) matches(kind, leg string) bool {
	return (kind == "" || e.Kind == kind) && (leg == AnyLeg || e.Leg == leg)
}
