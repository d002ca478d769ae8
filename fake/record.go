package fake

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// StepKind is one kind of thing a caller does while a <Record> records.
type StepKind uint8

const (
	// Talk: the caller speaks for the step's duration.
	Talk StepKind = iota
	// Silence: the caller says nothing for the step's duration.
	Silence
	// Key: the caller presses the step's key, after a silence of the
	// step's duration.
	Key
	// HangUp: the caller hangs up, after a silence of the step's
	// duration.
	HangUp
)

var stepNames = [...]string{Talk: "talk", Silence: "silent", Key: "press", HangUp: "hangup"}

// String returns the step kind as a scenario file spells it: "talk",
// "silent", "press" or "hangup".
func (k StepKind) String() string {
	if int(k) < len(stepNames) {
		return stepNames[k]
	}
	return fmt.Sprintf("StepKind(%d)", int(k))
}

// Step is one thing a caller does at a <Record>, in the order of a
// Message's Steps. Each step starts when the one before it ends; the first
// when the recording starts (after the beep).
type Step struct {
	Kind StepKind
	// D is how long the step takes: the speech of a Talk, the silence of a
	// Silence, and the silence before a Key or a HangUp.
	D time.Duration
	// Key is the DTMF key of a Key step: 0-9, * or #.
	Key string
}

// Message is what a caller does at one <Record>: its steps, then silence
// until the recording ends. The zero value stays silent.
type Message struct {
	Steps []Step
	// Transcript is the text a transcription of the recording gives.
	Transcript string
}

// Validate reports whether the steps have no negative duration, whether
// every Key step has one DTMF key and no other step a key, and whether
// nothing follows a HangUp. Its errors wrap ErrDuration, ErrKeys or
// ErrContradiction.
func (m Message) Validate() error {
	for i, s := range m.Steps {
		if s.Kind > HangUp {
			return fmt.Errorf("record step %d: %v: %w", i+1, s.Kind, ErrContradiction)
		}
		if s.D < 0 {
			return fmt.Errorf("record %s: negative duration %v: %w", s.Kind, s.D, ErrDuration)
		}
		switch {
		case s.Kind == Key && (len(s.Key) != 1 || !isKey(rune(s.Key[0]))):
			return fmt.Errorf("record press(%s): want one key of 0-9, *, #: %w", s.Key, ErrKeys)
		case s.Kind != Key && s.Key != "":
			return fmt.Errorf("record %s has a key %q: %w", s.Kind, s.Key, ErrContradiction)
		}
		if s.Kind == HangUp && i != len(m.Steps)-1 {
			return fmt.Errorf("record: %s after hangup: %w", m.Steps[i+1].Kind, ErrContradiction)
		}
	}
	return nil
}

// String returns the message as a scenario file spells it, such as
// talk(20s)+press(#).
func (m Message) String() string {
	if len(m.Steps) == 0 {
		return "silent"
	}
	parts := make([]string, len(m.Steps))
	for i, s := range m.Steps {
		switch s.Kind {
		case Key:
			parts[i] = "press(" + s.Key + "@" + s.D.String() + ")"
		default:
			parts[i] = s.Kind.String() + "(" + s.D.String() + ")"
		}
	}
	return strings.Join(parts, "+")
}

// StepDist is a Step whose duration is drawn from a distribution.
type StepDist struct {
	Kind StepKind
	D    Dist
	Key  string
}

// MessageChoice is one of the messages a random caller may leave, with
// its probability.
type MessageChoice struct {
	// P is the probability of the choice, in [0, 1].
	P          float64
	Steps      []StepDist
	Transcript string
}

// RandomMessage is what a caller does at one <Record> when it is drawn for
// each call: one of its Choices, with their probabilities. A single
// choice with probability 1 and fixed durations is a fixed message.
type RandomMessage struct {
	Choices []MessageChoice
}

// Fixed reports whether the message is the same on every draw: one
// choice, and no duration drawn from a distribution other than Fixed.
func (r RandomMessage) Fixed() bool {
	if len(r.Choices) != 1 {
		return false
	}
	for _, s := range r.Choices[0].Steps {
		if s.D.kind != distFixed {
			return false
		}
	}
	return true
}

// Validate reports whether the probabilities lie in [0, 1] and sum to 1,
// the distributions are valid, and each choice is a valid Message. Its
// errors wrap ErrProbability, ErrDist, ErrDuration, ErrKeys or
// ErrContradiction.
func (r RandomMessage) Validate() error {
	if len(r.Choices) == 0 {
		return fmt.Errorf("record: no choice: %w", ErrContradiction)
	}
	sum := 0.0
	for _, c := range r.Choices {
		if !(c.P >= 0 && c.P <= 1) {
			return fmt.Errorf("record: probability %v outside [0, 1]: %w", c.P, ErrProbability)
		}
		sum += c.P
		for _, s := range c.Steps {
			if err := s.D.Validate(); err != nil {
				return fmt.Errorf("record %s: %w", s.Kind, err)
			}
		}
		if err := c.message(func(d Dist) time.Duration { return d.a }).Validate(); err != nil {
			return err
		}
	}
	if sum < 1-1e-9 || sum > 1+1e-9 {
		return fmt.Errorf("record: probabilities sum to %v, not 1: %w", sum, ErrProbability)
	}
	return nil
}

func (c MessageChoice) message(dur func(Dist) time.Duration) Message {
	m := Message{Transcript: c.Transcript, Steps: make([]Step, len(c.Steps))}
	for i, s := range c.Steps {
		m.Steps[i] = Step{Kind: s.Kind, D: dur(s.D), Key: s.Key}
	}
	return m
}

// Draw returns the message for one call. A Fixed message takes no value
// from rng (which may then be nil); any other takes one value for the
// choice and then one for each step of every choice, whichever is chosen,
// so the values drawn after it do not depend on the choice.
func (r RandomMessage) Draw(rng *rand.Rand) Message {
	if r.Fixed() {
		return r.Choices[0].message(func(d Dist) time.Duration { return d.a })
	}
	u := rng.Float64()
	chosen := len(r.Choices) - 1
	acc := 0.0
	for i, c := range r.Choices {
		acc += c.P
		if u < acc {
			chosen = i
			break
		}
	}
	var m Message
	for i, c := range r.Choices {
		drawn := c.message(func(d Dist) time.Duration { return d.Draw(rng) })
		if i == chosen {
			m = drawn
		}
	}
	return m
}
