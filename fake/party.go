package fake

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Outcome is what a party does when it is rung.
type Outcome int

const (
	// NoAnswer rings until the call is cancelled. It is the zero value: a
	// party nobody scripted never picks up.
	NoAnswer Outcome = iota
	// Answer picks up after Party.After.
	Answer
	// Busy signals busy after Party.After (0: at once).
	Busy
	// Fail cannot be reached; the leg fails after Party.After.
	Fail
	// Reject declines while ringing after Party.After, like pressing
	// decline on a phone.
	Reject
)

var outcomeNames = [...]string{
	NoAnswer: "noanswer",
	Answer:   "answer",
	Busy:     "busy",
	Fail:     "fail",
	Reject:   "reject",
}

// String returns the outcome's name as a scenario file spells it:
// "noanswer", "answer", "busy", "fail" or "reject".
func (o Outcome) String() string {
	if o >= 0 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// The kinds of problem the Validate methods report. Every error of
// Press.Validate, Party.Validate, Random.Validate and Dist.Validate wraps
// one of them, so that a caller, such as a scenario file's parser, can say
// which kind of setting is wrong without checking the rules itself.
var (
	// ErrOutcome is an Outcome that is none of the constants.
	ErrOutcome = errors.New("unknown outcome")
	// ErrDuration is a negative duration.
	ErrDuration = errors.New("invalid duration")
	// ErrKeys is a press without keys, or with a key that is not DTMF.
	ErrKeys = errors.New("invalid keys")
	// ErrContradiction is behaviour that cannot happen together, such as
	// talk time on a party that never answers.
	ErrContradiction = errors.New("contradictory settings")
	// ErrProbability is a probability outside [0, 1], or probabilities
	// summing to more than 1.
	ErrProbability = errors.New("invalid probability")
	// ErrDist is a distribution whose parameters make no sense.
	ErrDist = errors.New("invalid distribution")
)

// Press is one input at a point of input: a key sequence that a party
// presses in its whisper's Gather, or that a caller presses in the call's
// Gather, or, with Speech, words said instead of keys.
type Press struct {
	// Keys are the DTMF keys pressed, from 0-9, * and #, e.g. "1" or "42#".
	// Empty when Speech is set.
	Keys string
	// Speech is what is said instead of pressing keys, e.g. "check my
	// balance"; empty for a key press. See speech.go.
	Speech string
	// Confidence is the recognizer's confidence in Speech, in (0, 1]; zero
	// means DefaultConfidence. It is zero for a key press.
	Confidence float64
	// After is the offset from the moment the Gather starts listening.
	After time.Duration
}

// String returns the press as a scenario file spells it: "KEYS@DUR", or
// for speech "\"WORDS\"@DUR" with "~CONFIDENCE" when one is set.
func (p Press) String() string {
	if p.Speech != "" {
		return speechString(p)
	}
	return p.Keys + "@" + p.After.String()
}

// Validate reports whether the press has at least one key, only DTMF keys
// a Gather accepts, and a non-negative offset; or, for speech, valid
// speech (see validSpeech) and no keys. Its errors wrap ErrKeys,
// ErrSpeech or ErrDuration.
func (p Press) Validate() error {
	if p.Speech != "" || p.Confidence != 0 {
		return validSpeech(p)
	}
	if p.Keys == "" {
		return fmt.Errorf("press has no keys: %w", ErrKeys)
	}
	if i := strings.IndexFunc(p.Keys, func(r rune) bool { return !isKey(r) }); i >= 0 {
		return fmt.Errorf("press %q: %q is not a key (0-9, *, #): %w", p.Keys, p.Keys[i:i+1], ErrKeys)
	}
	if p.After < 0 {
		return fmt.Errorf("press %q: negative offset %v: %w", p.Keys, p.After, ErrDuration)
	}
	return nil
}

func isKey(r rune) bool {
	return '0' <= r && r <= '9' || r == '*' || r == '#'
}

// Party is the scripted behaviour of one dialed address. It is a plain
// value: the engine reads it when it rings the address and never changes
// it. The zero value (apart from Addr) is a party that rings until it is
// cancelled.
type Party struct {
	// Addr is the dialed address: an E.164 number such as "+18589876543",
	// or a client such as "client:jenny".
	Addr string
	// Outcome is what the party does when it is rung.
	Outcome Outcome
	// After is how long the party rings before its Outcome happens; it is
	// ignored for NoAnswer.
	After time.Duration
	// Talk is how long after being bridged the party hangs up.
	// Zero means it stays until the other side ends the call.
	Talk time.Duration
	// Hangup is how long after answering the party hangs up, whether a
	// whisper is still running or the call is bridged. Zero means never.
	Hangup time.Duration
	// Presses are the keys the party presses in its whisper's Gathers: the
	// i-th Press at the i-th Gather it meets. A Gather beyond the last
	// Press hears nothing.
	Presses []Press
	// Voicemail marks an answering machine: it answers (usually fast) and
	// never presses a key.
	Voicemail bool
	// Greeting is how long the party speaks when it picks up, before it
	// listens: a person's "hello", a voicemail's recorded message, which
	// a beep ends. Zero means the default, HumanGreeting or
	// VoicemailGreeting. Only answering-machine detection listens to it.
	Greeting time.Duration
	// Silent marks a party that says nothing when it picks up (a dead
	// line, someone who waits for the caller to speak): answering-machine
	// detection hears only silence.
	Silent bool
}

// The greetings of parties whose Greeting is zero.
const (
	// HumanGreeting is how long a person's "hello" lasts.
	HumanGreeting = time.Second
	// VoicemailGreeting is how long a voicemail's recorded message
	// lasts, up to its beep.
	VoicemailGreeting = 10 * time.Second
)

// GreetingTime returns how long the party speaks when it picks up: its
// Greeting, or the default for a person or a voicemail; zero for a
// Silent party.
func (p Party) GreetingTime() time.Duration {
	switch {
	case p.Silent:
		return 0
	case p.Greeting > 0:
		return p.Greeting
	case p.Voicemail:
		return VoicemailGreeting
	}
	return HumanGreeting
}

// Validate reports whether the party's behaviour is consistent: a known
// outcome, no negative durations, valid presses, and no answering
// behaviour (talk, hangup, presses, voicemail, greeting, silence) on a
// party that does not answer, and no greeting on a silent party. It does
// not check the form of Addr (twiml.ValidAddress does). Its errors name the party and wrap ErrOutcome, ErrDuration, ErrKeys or
// ErrContradiction.
func (p Party) Validate() error {
	if p.Outcome < NoAnswer || p.Outcome > Reject {
		return fmt.Errorf("party %s: %v: %w", p.Addr, p.Outcome, ErrOutcome)
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"ring time", p.After}, {"talk", p.Talk}, {"hangup", p.Hangup}, {"greeting", p.Greeting}} {
		if d.d < 0 {
			return fmt.Errorf("party %s: negative %s %v: %w", p.Addr, d.name, d.d, ErrDuration)
		}
	}
	for _, pr := range p.Presses {
		if err := pr.Validate(); err != nil {
			return fmt.Errorf("party %s: %w", p.Addr, err)
		}
	}
	if p.Outcome != Answer {
		what := ""
		switch {
		case p.Talk != 0:
			what = "talk time"
		case p.Hangup != 0:
			what = "hangup time"
		case len(p.Presses) != 0:
			what = "presses"
		case p.Voicemail:
			what = "voicemail"
		case p.Greeting != 0:
			what = "greeting"
		case p.Silent:
			what = "silence"
		}
		if what != "" {
			return fmt.Errorf("party %s: %s on a party that does not answer (%v): %w", p.Addr, what, p.Outcome, ErrContradiction)
		}
	}
	if p.Voicemail && len(p.Presses) != 0 {
		return fmt.Errorf("party %s: voicemail never presses keys: %w", p.Addr, ErrContradiction)
	}
	if p.Silent && p.Greeting != 0 {
		return fmt.Errorf("party %s: a silent party has no greeting: %w", p.Addr, ErrContradiction)
	}
	return nil
}
