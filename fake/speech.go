package fake

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
)

// DefaultConfidence is the Confidence of speech whose script gives none:
// what a recognizer reports for clear speech. Twilio documents no value.
const DefaultConfidence = 0.9

// ErrSpeech is speech without words, with a character a scenario cannot
// quote (a double quote or a control character), with keys besides, or
// with a confidence outside (0, 1].
var ErrSpeech = errors.New("invalid speech")

// validSpeech checks a spoken Press: words, no keys, a confidence in
// (0, 1] or zero for DefaultConfidence, a non-negative offset.
func validSpeech(p Press) error {
	if p.Keys != "" {
		return fmt.Errorf("press %q also says %q: a press is keys or speech: %w", p.Keys, p.Speech, ErrSpeech)
	}
	if err := validPhrase(p.Speech, p.Confidence); err != nil {
		return err
	}
	if p.After < 0 {
		return fmt.Errorf("speech %q: negative offset %v: %w", p.Speech, p.After, ErrDuration)
	}
	return nil
}

func validPhrase(text string, confidence float64) error {
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("speech has no words: %w", ErrSpeech)
	}
	if i := strings.IndexFunc(text, func(r rune) bool { return r == '"' || unicode.IsControl(r) }); i >= 0 {
		return fmt.Errorf("speech %q: %q cannot be said (no double quotes or control characters): %w", text, text[i:i+1], ErrSpeech)
	}
	if confidence != 0 && !(confidence > 0 && confidence <= 1) {
		return fmt.Errorf("speech %q: confidence %v outside (0, 1]: %w", text, confidence, ErrSpeech)
	}
	return nil
}

// SpeechConfidence returns p's Confidence, or DefaultConfidence if it has
// none.
func (p Press) SpeechConfidence() float64 {
	if p.Confidence == 0 {
		return DefaultConfidence
	}
	return p.Confidence
}

func speechString(p Press) string {
	return phraseString(p.Speech, p.Confidence) + "@" + p.After.String()
}

func phraseString(text string, confidence float64) string {
	s := strconv.Quote(text)
	if confidence != 0 {
		s += "~" + strconv.FormatFloat(confidence, 'g', -1, 64)
	}
	return s
}

// Phrase is one of the things a RandomPress may say.
type Phrase struct {
	// Text is the words said.
	Text string
	// Confidence is the recognizer's confidence, as in Press; zero means
	// DefaultConfidence.
	Confidence float64
	// P is the probability that this phrase is the one said.
	P float64
}

// RandomPress is one input whose content or moment is drawn anew for each
// simulated call, for the statistics runner: keys, or one of Phrases
// chosen by their probabilities, After a time drawn from a distribution.
// The zero value is not valid: it needs Keys or Phrases.
type RandomPress struct {
	// Keys are pressed when Phrases is empty, as in Press.
	Keys string
	// Phrases are the phrases one of which is said; their probabilities
	// sum to 1.
	Phrases []Phrase
	// After is the offset from the moment the Gather starts listening.
	After Dist
}

// Validate reports whether the input has keys or phrases (not both),
// valid keys or phrases, probabilities in [0, 1] summing to 1, and a
// valid distribution. Its errors wrap ErrKeys, ErrSpeech, ErrProbability
// or ErrDist.
func (r RandomPress) Validate() error {
	if err := r.After.Validate(); err != nil {
		return err
	}
	if len(r.Phrases) == 0 {
		return Press{Keys: r.Keys}.Validate()
	}
	if r.Keys != "" {
		return fmt.Errorf("input %q also says phrases: an input is keys or speech: %w", r.Keys, ErrSpeech)
	}
	sum := 0.0
	for _, ph := range r.Phrases {
		if err := validPhrase(ph.Text, ph.Confidence); err != nil {
			return err
		}
		if !(ph.P >= 0 && ph.P <= 1) {
			return fmt.Errorf("speech %q: probability %v outside [0, 1]: %w", ph.Text, ph.P, ErrProbability)
		}
		sum += ph.P
	}
	if sum < 1-1e-9 || sum > 1+1e-9 {
		return fmt.Errorf("speech probabilities sum to %v, not 1: %w", sum, ErrProbability)
	}
	return nil
}

// Draw returns the input for one call. It takes exactly two values from
// rng whatever it draws (the phrase, the offset), so the values drawn
// after it do not depend on which phrase came out.
func (r RandomPress) Draw(rng *rand.Rand) Press {
	u := rng.Float64()
	p := Press{Keys: r.Keys, After: r.After.Draw(rng)}
	if len(r.Phrases) == 0 {
		return p
	}
	ph := r.Phrases[len(r.Phrases)-1] // rounding leaves u at most a hair above the sum
	for _, c := range r.Phrases {
		if u < c.P {
			ph = c
			break
		}
		u -= c.P
	}
	p.Speech, p.Confidence = ph.Text, ph.Confidence
	return p
}

// String returns the input as a scenario file spells it: KEYS@DIST, or
// P:"WORDS"[~C]|...@DIST.
func (r RandomPress) String() string {
	if len(r.Phrases) == 0 {
		return r.Keys + "@" + r.After.String()
	}
	parts := make([]string, len(r.Phrases))
	for i, ph := range r.Phrases {
		parts[i] = strconv.FormatFloat(ph.P, 'g', -1, 64) + ":" + phraseString(ph.Text, ph.Confidence)
	}
	return strings.Join(parts, "|") + "@" + r.After.String()
}

// DrawPresses draws each input of inputs in order (see RandomPress.Draw).
func DrawPresses(inputs []RandomPress, rng *rand.Rand) []Press {
	if inputs == nil {
		return nil
	}
	out := make([]Press, len(inputs))
	for i, in := range inputs {
		out[i] = in.Draw(rng)
	}
	return out
}
