package scenarios_test

import (
	"errors"
	"testing"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/scenarios"

	"github.com/google/go-cmp/cmp"
)

// amdScenario is a scenario with one party line.
func amdScenario(party string) []byte {
	return []byte("call from=+15550001111 to=+15550002222 url=/voice\n" + party + "\n-- /voice --\n<Response/>\n")
}

// TestParseGreeting checks the party behaviours of answering-machine
// detection: greeting=DUR and silent on a scripted party, greeting=DIST on
// a random one.
func TestParseGreeting(t *testing.T) {
	const addr = "+14155550100"
	for _, tt := range []struct {
		line     string
		scripted *fake.Party
		random   *fake.Random
	}{
		{"party " + addr + " answer=1s voicemail greeting=6s",
			&fake.Party{Addr: addr, Outcome: fake.Answer, After: time.Second, Voicemail: true, Greeting: 6 * time.Second}, nil},
		{"party " + addr + " answer=1s silent",
			&fake.Party{Addr: addr, Outcome: fake.Answer, After: time.Second, Silent: true}, nil},
		{"party " + addr + " answer=exp(3s) voicemail=0.3 greeting=uniform(5s,15s)",
			nil, &fake.Random{Addr: addr, Answer: fake.Exponential(3 * time.Second), Voicemail: 0.3, Greeting: fake.Uniform(5*time.Second, 15*time.Second)}},
		{"party " + addr + " answer=3s greeting=uniform(5s,15s)",
			nil, &fake.Random{Addr: addr, Answer: fake.Fixed(3 * time.Second), Greeting: fake.Uniform(5*time.Second, 15*time.Second)}},
	} {
		t.Run(tt.line, func(t *testing.T) {
			s, err := scenarios.Parse("amd.txt", amdScenario(tt.line))
			if err != nil {
				t.Fatal(err)
			}
			got := s.Parties[0]
			if diff := cmp.Diff(tt.scripted, got.Scripted); diff != "" {
				t.Errorf("scripted party (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.random, got.Random); diff != "" {
				t.Errorf("random party (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseGreetingErrors checks that wrong greetings are errors of the
// right kind.
func TestParseGreetingErrors(t *testing.T) {
	const addr = "+14155550100"
	for _, tt := range []struct {
		line string
		want error
	}{
		{"party " + addr + " answer=1s greeting=long", scenarios.ErrDuration},
		{"party " + addr + " answer=1s greeting", scenarios.ErrDuration},
		{"party " + addr + " answer=1s greeting=-1s", scenarios.ErrDuration},
		{"party " + addr + " busy greeting=2s", scenarios.ErrContradiction},
		{"party " + addr + " noanswer silent", scenarios.ErrContradiction},
		{"party " + addr + " answer=1s silent greeting=2s", scenarios.ErrContradiction},
		{"party " + addr + " answer=1s silent=yes", scenarios.ErrSyntax},
		{"party " + addr + " answer=1s greeting=1s greeting=2s", scenarios.ErrDuplicate},
		{"party " + addr + " answer=exp(3s) silent", scenarios.ErrBehaviour},
		{"party " + addr + " answer=exp(3s) greeting=uniform(5s,1s)", scenarios.ErrDist},
	} {
		t.Run(tt.line, func(t *testing.T) {
			_, err := scenarios.Parse("amd.txt", amdScenario(tt.line))
			if !errors.Is(err, tt.want) {
				t.Errorf("Parse: %v, want an error wrapping %v", err, tt.want)
			}
		})
	}
}
