package scenarios_test

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
)

// cmpDiff returns what cmp.Diff(want, got) returns, "" when they are
// equal, but finds equal values equal without go-cmp's walk: it asks
// reflect.DeepEqual first, and leaves it to go-cmp to say how values that
// DeepEqual finds different differ. The tests that compare runs, or a
// file read back, thousands of times spent most of their time in go-cmp
// (TestTranscriptCannotForge: 0.12 of its 0.13 CPU-s under -short).
// Whatever DeepEqual finds equal go-cmp finds equal too, for the types
// these tests compare: they have no Equal method, and DeepEqual compares
// the same fields.
func cmpDiff[T any](want, got T) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	return cmp.Diff(want, got)
}

// cmpDiff agrees with cmp.Diff on what the tests compare with it.
func TestCmpDiff(t *testing.T) {
	docs := func(voice []byte) map[string][]byte {
		return map[string][]byte{"/voice": voice, "/after": []byte("<Response/>")}
	}
	run := played{Transcript: "    0.000  call.start\n", Status: "completed", Duration: 5, Dials: []engine.DialResult{{Status: "completed", To: "client:jenny"}}}
	changed := func(change func(*played)) played {
		p := run
		p.Dials = append([]engine.DialResult(nil), run.Dials...)
		change(&p)
		return p
	}
	tests := []struct {
		name  string
		a, b  any
		equal bool
	}{
		{"equal documents", docs([]byte("<Response/>")), docs([]byte("<Response/>")), true},
		{"a document changed", docs([]byte("<Response/>")), docs([]byte("<Response></Response>")), false},
		{"an empty document and none", docs([]byte{}), docs(nil), false},
		{"a document more", docs(nil), map[string][]byte{"/voice": nil}, false},
		{"equal runs", run, changed(func(*played) {}), true},
		{"the transcript", run, changed(func(p *played) { p.Transcript += "x" }), false},
		{"the status", run, changed(func(p *played) { p.Status = "busy" }), false},
		{"the duration", run, changed(func(p *played) { p.Duration++ }), false},
		{"a Dial's result", run, changed(func(p *played) { p.Dials[0].Bridged = true }), false},
		{"a Dial fewer", run, changed(func(p *played) { p.Dials = p.Dials[:0] }), false},
		{"the error", run, changed(func(p *played) { p.Err = "x" }), false},
		{"strings", "a\nb", "a\nc", false},
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
