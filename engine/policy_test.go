package engine_test

import (
	"encoding/json"
	"flag"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
)

// TestPolicyText checks that a Policy's text is its name both ways, as
// flags and JSON use it, and that every policy round-trips.
func TestPolicyText(t *testing.T) {
	tests := []struct {
		text    string
		want    engine.Policy
		wantErr bool
	}{
		{"first-answer", engine.FirstAnswer, false},
		{"first-accept", engine.FirstAccept, false},
		{"", 0, true},
		{"First-Answer", 0, true},
		{"last-answer", 0, true},
	}
	for _, tt := range tests {
		var got engine.Policy = 7
		err := got.UnmarshalText([]byte(tt.text))
		if (err != nil) != tt.wantErr {
			t.Errorf("UnmarshalText(%q): %v, want error %v", tt.text, err, tt.wantErr)
			continue
		}
		if err != nil {
			if got != 7 {
				t.Errorf("UnmarshalText(%q) failed and changed the policy to %v", tt.text, got)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("UnmarshalText(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
	var names []string
	for _, p := range engine.Policies() {
		text, err := p.MarshalText()
		if err != nil {
			t.Fatalf("%v.MarshalText: %v", p, err)
		}
		var back engine.Policy
		if err := back.UnmarshalText(text); err != nil || back != p || string(text) != p.String() {
			t.Errorf("%v: text %q gives %v, %v", p, text, back, err)
		}
		names = append(names, string(text))
	}
	if diff := cmp.Diff([]string{"first-answer", "first-accept"}, names); diff != "" {
		t.Errorf("Policies' names (-want +got):\n%s", diff)
	}
	if _, err := engine.Policy(7).MarshalText(); err == nil {
		t.Error("Policy(7).MarshalText: no error")
	}
}

// TestPolicyFlagAndJSON uses a Policy as a flag.TextVar and a JSON field.
func TestPolicyFlagAndJSON(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var p engine.Policy
	fs.TextVar(&p, "policy", engine.FirstAnswer, "policy")
	if err := fs.Parse([]string{"-policy", "first-accept"}); err != nil || p != engine.FirstAccept {
		t.Errorf("-policy first-accept: %v, %v", p, err)
	}
	if err := fs.Parse([]string{"-policy", "ring-all"}); err == nil {
		t.Error("-policy ring-all: no error")
	}
	data, err := json.Marshal(struct{ P engine.Policy }{engine.FirstAccept})
	if err != nil || string(data) != `{"P":"first-accept"}` {
		t.Errorf("JSON: %s, %v", data, err)
	}
	var v struct{ P engine.Policy }
	if err := json.Unmarshal([]byte(`{"P":"first-answer2"}`), &v); err == nil {
		t.Error("JSON of an unknown policy: no error")
	}
}
