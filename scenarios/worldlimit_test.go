package scenarios_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/scenarios"
)

// TestWorldDurationLimit checks that a world's time too long is refused
// naming the limit, engine.LongestCall, whether time.Duration holds it or
// not, and that a malformed one still gets the example.
func TestWorldDurationLimit(t *testing.T) {
	const doc = "-- /voice --\n<Response/>\n"
	const call = "call name=a from=+15550001111 to=+15550002222 url=/voice"
	tests := []struct{ name, text, want string }{
		{"at, beyond time.Duration", call + "\nat 99999999h hangup a\n" + doc,
			"x.txt:2: at 99999999h: more than the longest call, 4h0m0s (engine.LongestCall): invalid duration"},
		{"at, beyond the limit", call + "\nat 5h hangup a\n" + doc,
			"x.txt:2: at 5h: more than the longest call, 4h0m0s (engine.LongestCall): invalid duration"},
		{"call at=", call + " at=99999999.5h\n" + doc,
			"x.txt:1: call at=99999999.5h: more than the longest call, 4h0m0s (engine.LongestCall): invalid duration"},
		{"malformed", call + "\nat 3x hangup a\n" + doc,
			"x.txt:2: at 3x: want e.g. 3s, 1m30s, 500ms: invalid duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenarios.Parse("x.txt", []byte(tt.text))
			if !errors.Is(err, scenarios.ErrDuration) {
				t.Fatalf("Parse: %v, want %v", err, scenarios.ErrDuration)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}
