package engine_test

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
)

// cmpDiff returns what cmp.Diff(want, got) returns, "" when they are
// equal, but finds equal values equal without go-cmp's walk: it asks
// reflect.DeepEqual first, and leaves it to go-cmp to say how values that
// DeepEqual finds different differ. The tests that compare a transcript
// with another run's, many times over, spent most of their time in go-cmp:
// on the 19 events of a simulring, cmp.Diff took 610 µs, DeepEqual 13 µs
// and the call itself 23 µs (2 cores, 1 Dec 2026). Whatever DeepEqual
// finds equal go-cmp finds equal too, for every type these tests compare:
// their one Equal method, engine.Attr's, is ==, and DeepEqual compares
// the same fields.
func cmpDiff[T any](want, got T) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	return cmp.Diff(want, got)
}

// cmpDiff agrees with cmp.Diff on transcripts: equal ones, and ones that
// differ in any field of an event or of a field.
func TestCmpDiff(t *testing.T) {
	event := func(change func(*engine.Event)) []engine.Event {
		e := engine.Event{T: 3, Kind: engine.KindLegAnswered, Leg: "client:jenny", Call: "a",
			Attrs: []engine.Attr{engine.StringAttr("CallStatus", "in-progress"), engine.IntAttr("n", 1), engine.BoolAttr("b", true), engine.FloatAttr("f", 0.5)}}
		change(&e)
		return []engine.Event{{Kind: engine.KindCallStart}, e}
	}
	same := func(*engine.Event) {}
	tests := []struct {
		name  string
		a, b  []engine.Event
		equal bool
	}{
		{"equal", event(same), event(same), true},
		{"both nil", nil, nil, true},
		{"nil and empty", nil, []engine.Event{}, false},
		{"an event fewer", event(same), event(same)[:1], false},
		{"time", event(same), event(func(e *engine.Event) { e.T++ }), false},
		{"kind", event(same), event(func(e *engine.Event) { e.Kind = engine.KindLegEnd }), false},
		{"leg", event(same), event(func(e *engine.Event) { e.Leg = "client:tommy" }), false},
		{"call", event(same), event(func(e *engine.Event) { e.Call = "b" }), false},
		{"a field fewer", event(same), event(func(e *engine.Event) { e.Attrs = e.Attrs[:3] }), false},
		{"no fields, nil and empty", event(func(e *engine.Event) { e.Attrs = nil }), event(func(e *engine.Event) { e.Attrs = []engine.Attr{} }), false},
		{"a field's key", event(same), event(func(e *engine.Event) { e.Attrs[0] = engine.StringAttr("DialCallStatus", "in-progress") }), false},
		{"a string", event(same), event(func(e *engine.Event) { e.Attrs[0] = engine.StringAttr("CallStatus", "completed") }), false},
		{"an int", event(same), event(func(e *engine.Event) { e.Attrs[1] = engine.IntAttr("n", 2) }), false},
		{"an int and a string", event(same), event(func(e *engine.Event) { e.Attrs[1] = engine.StringAttr("n", "1") }), false},
		{"a bool", event(same), event(func(e *engine.Event) { e.Attrs[2] = engine.BoolAttr("b", false) }), false},
		{"a float", event(same), event(func(e *engine.Event) { e.Attrs[3] = engine.FloatAttr("f", 0.25) }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, want := cmpDiff(tt.a, tt.b), cmp.Diff(tt.a, tt.b)
			if (got == "") != (want == "") || (got == "") != tt.equal {
				t.Errorf("cmpDiff = %q, cmp.Diff = %q, want equal=%v", got, want, tt.equal)
			}
		})
	}
}
