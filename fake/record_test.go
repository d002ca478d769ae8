package fake_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/fake"
)

func TestMessageValidate(t *testing.T) {
	tests := []struct {
		name string
		m    fake.Message
		want error
	}{
		{"silent", fake.Message{}, nil},
		{"talk then key", fake.Message{Steps: []fake.Step{{Kind: fake.Talk, D: time.Second}, {Kind: fake.Key, Key: "#"}}}, nil},
		{"negative", fake.Message{Steps: []fake.Step{{Kind: fake.Talk, D: -time.Second}}}, fake.ErrDuration},
		{"no key", fake.Message{Steps: []fake.Step{{Kind: fake.Key}}}, fake.ErrKeys},
		{"two keys", fake.Message{Steps: []fake.Step{{Kind: fake.Key, Key: "12"}}}, fake.ErrKeys},
		{"key on talk", fake.Message{Steps: []fake.Step{{Kind: fake.Talk, Key: "1"}}}, fake.ErrContradiction},
		{"after hangup", fake.Message{Steps: []fake.Step{{Kind: fake.HangUp}, {Kind: fake.Talk}}}, fake.ErrContradiction},
		{"unknown kind", fake.Message{Steps: []fake.Step{{Kind: fake.HangUp + 1}}}, fake.ErrContradiction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Validate()
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Validate() = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRandomMessage(t *testing.T) {
	fixed := fake.RandomMessage{Choices: []fake.MessageChoice{{P: 1, Steps: []fake.StepDist{{Kind: fake.Talk, D: fake.Fixed(5 * time.Second)}}, Transcript: "hi"}}}
	if !fixed.Fixed() {
		t.Fatal("a single fixed choice is not Fixed")
	}
	want := fake.Message{Steps: []fake.Step{{Kind: fake.Talk, D: 5 * time.Second}}, Transcript: "hi"}
	if diff := cmp.Diff(want, fixed.Draw(nil)); diff != "" {
		t.Errorf("Draw (-want +got):\n%s", diff)
	}
	if got := want.String(); got != "talk(5s)" {
		t.Errorf("String() = %q", got)
	}

	random := fake.RandomMessage{Choices: []fake.MessageChoice{
		{P: 0.5, Steps: []fake.StepDist{{Kind: fake.Talk, D: fake.Uniform(time.Second, 2*time.Second)}}},
		{P: 0.5, Steps: []fake.StepDist{{Kind: fake.HangUp, D: fake.Exponential(time.Second)}, {Kind: fake.HangUp}}},
	}}
	if err := random.Validate(); !errors.Is(err, fake.ErrContradiction) {
		t.Errorf("a choice with two hang-ups: Validate() = %v", err)
	}
	random.Choices[1].Steps = random.Choices[1].Steps[:1]
	if err := random.Validate(); err != nil {
		t.Fatal(err)
	}
	// Draw takes one value for the choice and one a step of every
	// choice, whichever is chosen.
	for seed := range uint64(20) {
		a, b := fake.NewRand(seed, 0), fake.NewRand(seed, 0)
		random.Draw(a)
		for range 3 {
			b.Float64()
		}
		if x, y := a.Float64(), b.Float64(); x != y {
			t.Fatalf("seed %d: Draw took a different number of values", seed)
		}
	}
	random.Choices[0].P = 0.7
	if err := random.Validate(); !errors.Is(err, fake.ErrProbability) {
		t.Errorf("probabilities summing to 1.2: Validate() = %v", err)
	}
}
