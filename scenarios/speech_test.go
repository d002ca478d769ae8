package scenarios_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/scenarios"
)

// TestParseSpeech checks the say input of the caller and parties: fixed
// ones are Presses with Speech; a choice of phrases or a distribution of
// times makes the caller (or party) random, with every input, keys
// included, in order.
func TestParseSpeech(t *testing.T) {
	const head = "call from=+15550001111 to=+15550002222 url=/voice\n"
	const doc = "-- /voice --\n<Response/>\n"
	s := time.Second
	for _, tt := range []struct {
		name    string
		line    string
		caller  scenarios.CallerSpec
		parties []scenarios.PartySpec
	}{{
		name:   "fixed say",
		line:   `caller say="check my balance"@2s`,
		caller: scenarios.CallerSpec{Line: 2, Presses: []fake.Press{{Speech: "check my balance", After: 2 * s}}},
	}, {
		name:   "default time and confidence",
		line:   `caller press=1 say="yes"~0.8 say="no"`,
		caller: scenarios.CallerSpec{Line: 2, Presses: []fake.Press{{Keys: "1", After: s}, {Speech: "yes", Confidence: 0.8, After: s}, {Speech: "no", After: s}}},
	}, {
		name: "a choice makes the caller random, keys included",
		line: `caller press=1@2s say=0.7:"yes"|0.3:"no"~0.6@uniform(1s,3s) hangup=1m`,
		caller: scenarios.CallerSpec{Line: 2, Hangup: time.Minute, Random: []fake.RandomPress{
			{Keys: "1", After: fake.Fixed(2 * s)},
			{Phrases: []fake.Phrase{{Text: "yes", P: 0.7}, {Text: "no", P: 0.3, Confidence: 0.6}}, After: fake.Uniform(s, 3*s)},
		}},
	}, {
		name: "a distribution alone makes it random",
		line: `caller say="hello there"@exp(2s) say="bye"@1s`,
		caller: scenarios.CallerSpec{Line: 2, Random: []fake.RandomPress{
			{Phrases: []fake.Phrase{{Text: "hello there", P: 1}}, After: fake.Exponential(2 * s)},
			{Phrases: []fake.Phrase{{Text: "bye", P: 1}}, After: fake.Fixed(s)},
		}},
	}, {
		name: "scripted party",
		line: `party client:jenny answer=2s say="yes"@1s press=1`,
		parties: []scenarios.PartySpec{{Addr: "client:jenny", Line: 2, Scripted: &fake.Party{Addr: "client:jenny", Outcome: fake.Answer, After: 2 * s,
			Presses: []fake.Press{{Speech: "yes", After: s}, {Keys: "1", After: s}}}}},
	}, {
		name: "random party",
		line: `party client:jenny answer=2s press=2 say=50%:"yes"|50%:"no"@1s`,
		parties: []scenarios.PartySpec{{Addr: "client:jenny", Line: 2, Random: &fake.Random{Addr: "client:jenny", Answer: fake.Fixed(2 * s),
			Inputs: []fake.RandomPress{{Keys: "2", After: fake.Fixed(s)}, {Phrases: []fake.Phrase{{Text: "yes", P: 0.5}, {Text: "no", P: 0.5}}, After: fake.Fixed(s)}}}}},
	}, {
		name: "random party with fixed speech keeps Presses",
		line: `party client:jenny answer=exp(2s) say="yes"`,
		parties: []scenarios.PartySpec{{Addr: "client:jenny", Line: 2, Random: &fake.Random{Addr: "client:jenny", Answer: fake.Exponential(2 * s),
			Presses: []fake.Press{{Speech: "yes", After: s}}}}},
	}, {
		name: "a bare word, and the confidence after the time",
		line: `caller say=yes@2s say="no thanks"@1s~0.8 say=0.5:yes|0.5:"no"~0.3@1s~0.7`,
		caller: scenarios.CallerSpec{Line: 2, Random: []fake.RandomPress{
			{Phrases: []fake.Phrase{{Text: "yes", P: 1}}, After: fake.Fixed(2 * s)},
			{Phrases: []fake.Phrase{{Text: "no thanks", Confidence: 0.8, P: 1}}, After: fake.Fixed(s)},
			{Phrases: []fake.Phrase{{Text: "yes", Confidence: 0.7, P: 0.5}, {Text: "no", Confidence: 0.3, P: 0.5}}, After: fake.Fixed(s)},
		}},
	}, {
		name:   "words with # and parentheses",
		line:   `caller say="press # (hash) now"`,
		caller: scenarios.CallerSpec{Line: 2, Presses: []fake.Press{{Speech: "press # (hash) now", After: s}}},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scenarios.Parse("test.txt", []byte(head+tt.line+"\n"+doc))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.caller, got.Caller); diff != "" {
				t.Errorf("Caller (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.parties, got.Parties); diff != "" {
				t.Errorf("Parties (-want +got):\n%s", diff)
			}
			if want := tt.caller.Random != nil || len(tt.parties) > 0 && tt.parties[0].Random != nil; got.Random() != want {
				t.Errorf("Random() = %v, want %v", got.Random(), want)
			}
		})
	}
}

func TestParseSpeechErrors(t *testing.T) {
	const head = "call from=+15550001111 to=+15550002222 url=/voice\n"
	const doc = "-- /voice --\n<Response/>\n"
	for _, tt := range []struct {
		name string
		line string
		want error
	}{
		{"no value", `caller say`, scenarios.ErrSpeech},
		{"no words", `caller say=@1s`, scenarios.ErrSpeech},
		{"bare words with a space", `caller say=check my balance`, scenarios.ErrBehaviour},
		{"bad confidence after the time", `caller say="yes"@1s~2`, scenarios.ErrSpeech},
		{"empty words", `caller say=""@1s`, scenarios.ErrSpeech},
		{"blank words", `caller say="  "`, scenarios.ErrSpeech},
		{"unclosed quote", `caller say="yes@1s`, scenarios.ErrSyntax},
		{"confidence above one", `caller say="yes"~1.5`, scenarios.ErrSpeech},
		{"confidence zero", `caller say="yes"~0`, scenarios.ErrSpeech},
		{"confidence word", `caller say="yes"~high`, scenarios.ErrSpeech},
		{"bad time", `caller say="yes"@soon`, scenarios.ErrDist},
		{"negative time", `caller say="yes"@-1s`, scenarios.ErrDist},
		{"junk after the words", `caller say="yes"1s`, scenarios.ErrSpeech},
		{"bare word then junk", `caller say=yes"no"`, scenarios.ErrSpeech},
		{"choice without probabilities", `caller say="yes"|"no"`, scenarios.ErrSpeech},
		{"choice missing one probability", `caller say=0.5:"yes"|"no"`, scenarios.ErrSpeech},
		{"probabilities below one", `caller say=0.5:"yes"|0.3:"no"`, scenarios.ErrProbability},
		{"probability word", `caller say=often:"yes"`, scenarios.ErrProbability},
		{"voicemail speaks", `party client:jenny answer=1s voicemail say="hello"`, scenarios.ErrContradiction},
		{"busy speaks", `party client:jenny busy say="hello"`, scenarios.ErrContradiction},
		{"random party bad phrase", `party client:jenny answer=exp(1s) say=1:"a ~ b"~7`, scenarios.ErrSpeech},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenarios.Parse("bad.txt", []byte(head+tt.line+"\n"+doc))
			var e *scenarios.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse = %+v, %v; want a *scenarios.Error", s, err)
			}
			if e.Line != 2 {
				t.Errorf("error at line %d, want 2 (%v)", e.Line, err)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %q is not %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "bad.txt:2: ") {
				t.Errorf("error %q does not start with bad.txt:2:", err)
			}
		})
	}
}
