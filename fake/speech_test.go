package fake_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/fake"
)

func TestSpeechValidate(t *testing.T) {
	for _, tt := range []struct {
		p    fake.Press
		want error
	}{
		{fake.Press{Speech: "check my balance", After: time.Second}, nil},
		{fake.Press{Speech: "yes", Confidence: 1}, nil},
		{fake.Press{Speech: "yes", Confidence: 0.01}, nil},
		{fake.Press{Speech: "   "}, fake.ErrSpeech},
		{fake.Press{Speech: `say "hi"`}, fake.ErrSpeech},
		{fake.Press{Speech: "a\nb"}, fake.ErrSpeech},
		{fake.Press{Speech: "yes", Confidence: 1.5}, fake.ErrSpeech},
		{fake.Press{Speech: "yes", Confidence: -0.1}, fake.ErrSpeech},
		{fake.Press{Confidence: 0.5}, fake.ErrSpeech}, // a confidence without words
		{fake.Press{Speech: "yes", Keys: "1"}, fake.ErrSpeech},
		{fake.Press{Speech: "yes", After: -time.Second}, fake.ErrDuration},
	} {
		if err := tt.p.Validate(); !isKind(err, tt.want) {
			t.Errorf("%+v.Validate() = %v, want %v", tt.p, err, tt.want)
		}
	}
}

func TestSpeechPartyValidate(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    fake.Party
		want error
	}{
		{"says in a whisper", fake.Party{Addr: "client:a", Outcome: fake.Answer, Presses: []fake.Press{{Speech: "yes"}}}, nil},
		{"voicemail never speaks", fake.Party{Addr: "client:a", Outcome: fake.Answer, Voicemail: true, Presses: []fake.Press{{Speech: "yes"}}}, fake.ErrContradiction},
		{"busy never speaks", fake.Party{Addr: "client:a", Outcome: fake.Busy, Presses: []fake.Press{{Speech: "yes"}}}, fake.ErrContradiction},
		{"bad speech", fake.Party{Addr: "client:a", Outcome: fake.Answer, Presses: []fake.Press{{Speech: "yes"}, {Speech: "x", Confidence: 2}}}, fake.ErrSpeech},
	} {
		if err := tt.p.Validate(); !isKind(err, tt.want) {
			t.Errorf("%s: Validate() = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestRandomPressValidate(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    fake.RandomPress
		want error
	}{
		{"choice", fake.RandomPress{Phrases: []fake.Phrase{{Text: "yes", P: 0.7}, {Text: "no", P: 0.3}}, After: fake.Uniform(time.Second, 3*time.Second)}, nil},
		{"keys", fake.RandomPress{Keys: "1", After: fake.Exponential(time.Second)}, nil},
		{"nothing", fake.RandomPress{After: fake.Fixed(time.Second)}, fake.ErrKeys},
		{"keys and phrases", fake.RandomPress{Keys: "1", Phrases: []fake.Phrase{{Text: "yes", P: 1}}}, fake.ErrSpeech},
		{"sum below 1", fake.RandomPress{Phrases: []fake.Phrase{{Text: "yes", P: 0.5}, {Text: "no", P: 0.3}}}, fake.ErrProbability},
		{"sum above 1", fake.RandomPress{Phrases: []fake.Phrase{{Text: "yes", P: 0.8}, {Text: "no", P: 0.3}}}, fake.ErrProbability},
		{"negative P", fake.RandomPress{Phrases: []fake.Phrase{{Text: "yes", P: 1.5}, {Text: "no", P: -0.5}}}, fake.ErrProbability},
		{"bad confidence", fake.RandomPress{Phrases: []fake.Phrase{{Text: "yes", P: 1, Confidence: 3}}}, fake.ErrSpeech},
		{"bad dist", fake.RandomPress{Phrases: []fake.Phrase{{Text: "yes", P: 1}}, After: fake.Uniform(3*time.Second, time.Second)}, fake.ErrDist},
	} {
		if err := tt.r.Validate(); !isKind(err, tt.want) {
			t.Errorf("%s: Validate() = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestRandomPressDraw checks that a choice of phrases comes out with its
// probabilities, that each draw takes two values from the source whatever
// it draws, and that a seed replays the same draws.
func TestRandomPressDraw(t *testing.T) {
	r := fake.RandomPress{
		Phrases: []fake.Phrase{{Text: "yes", P: 0.7}, {Text: "no", P: 0.2, Confidence: 0.5}, {Text: "maybe", P: 0.1}},
		After:   fake.Uniform(time.Second, 3*time.Second),
	}
	const n = 20000
	rng := fake.NewRand(1, 2)
	count := map[string]int{}
	for range n {
		p := r.Draw(rng)
		count[p.Speech]++
		if p.After < time.Second || p.After >= 3*time.Second {
			t.Fatalf("drew After %v outside [1s, 3s)", p.After)
		}
		if p.Speech == "no" && p.Confidence != 0.5 {
			t.Fatalf("drew %+v, want the phrase's confidence 0.5", p)
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("drew an invalid press: %v", err)
		}
	}
	for text, want := range map[string]float64{"yes": 0.7, "no": 0.2, "maybe": 0.1} {
		if got := float64(count[text]) / n; got < want-0.02 || got > want+0.02 {
			t.Errorf("%q drawn %.3f of the time, want about %.1f", text, got, want)
		}
	}
	// Two values a draw: the value after it is the third of the stream.
	a, b := fake.NewRand(5, 5), fake.NewRand(5, 5)
	r.Draw(a)
	b.Float64()
	b.Float64()
	if x, y := a.Float64(), b.Float64(); x != y {
		t.Errorf("after a Draw the source gives %v, want %v (two values taken)", x, y)
	}
	// The same seed and stream replay the same inputs.
	draw := func() []fake.Press {
		return fake.DrawPresses([]fake.RandomPress{r, {Keys: "1", After: fake.Exponential(time.Second)}}, fake.NewRand(9, 1))
	}
	if diff := cmp.Diff(draw(), draw()); diff != "" {
		t.Errorf("same seed, different draws (-first +second):\n%s", diff)
	}
}

// TestRandomInputs checks that a random party's Inputs are drawn for a
// human and left out for a voicemail, and that they take their values
// after the party's own four whatever the outcome.
func TestRandomInputs(t *testing.T) {
	in := []fake.RandomPress{{Phrases: []fake.Phrase{{Text: "yes", P: 1}}, After: fake.Fixed(2 * time.Second)}}
	human := fake.Random{Addr: "client:a", Answer: fake.Fixed(time.Second), Inputs: in}
	got := human.Draw(fake.NewRand(1, 1))
	want := fake.Party{Addr: "client:a", Outcome: fake.Answer, After: time.Second, Presses: []fake.Press{{Speech: "yes", After: 2 * time.Second}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("human Draw (-want +got):\n%s", diff)
	}
	vm := human
	vm.Voicemail = 1
	if p := vm.Draw(fake.NewRand(1, 1)); p.Presses != nil || !p.Voicemail {
		t.Errorf("voicemail Draw = %+v, want a voicemail without inputs", p)
	}
	a, b := fake.NewRand(3, 3), fake.NewRand(3, 3)
	vm.Draw(a)
	for range 4 + 2 {
		b.Float64()
	}
	if x, y := a.Float64(), b.Float64(); x != y {
		t.Errorf("after a Draw with one input the source gives %v, want %v (six values taken)", x, y)
	}
	both := human
	both.Presses = []fake.Press{{Keys: "1"}}
	if err := both.Validate(); !isKind(err, fake.ErrContradiction) {
		t.Errorf("Presses and Inputs: Validate() = %v, want %v", err, fake.ErrContradiction)
	}
}

func TestSpeechString(t *testing.T) {
	for _, tt := range []struct {
		s    interface{ String() string }
		want string
	}{
		{fake.Press{Speech: "check my balance", After: 2 * time.Second}, `"check my balance"@2s`},
		{fake.Press{Speech: "yes", Confidence: 0.8, After: time.Second}, `"yes"~0.8@1s`},
		{fake.RandomPress{Phrases: []fake.Phrase{{Text: "yes", P: 0.7}, {Text: "no", P: 0.3, Confidence: 0.6}}, After: fake.Uniform(time.Second, 3*time.Second)}, `0.7:"yes"|0.3:"no"~0.6@uniform(1s,3s)`},
		{fake.RandomPress{Keys: "1", After: fake.Exponential(time.Second)}, `1@exp(1s)`},
	} {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("String() = %s, want %s", got, tt.want)
		}
	}
}
