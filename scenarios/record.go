package scenarios

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/dialsim/dialsim/fake"
)

// parseRecord reads the value of a caller's record=MESSAGE: what the
// caller does at one <Record> (Reference has the syntax):
//
//	record=talk(20s)                       speaks 20 s, then is silent
//	record=talk(20s,"call me back")        the same, with a transcript
//	record=silent                          says nothing
//	record=talk(20s)+press(#)              speaks, then presses # at once
//	record=silent(2s)+talk(exp(30s))       a pause, then a random length
//	record=press(#@3s)  record=hangup(5s)  a key, a hang-up, after a silence
//	record=0.6:talk(uniform(10s,60s))|0.4:hangup(3s)   one of two, by chance
//
// The message is checked by fake.RandomMessage.Validate.
func parseRecord(a arg) (fake.RandomMessage, error) {
	var r fake.RandomMessage
	if !a.hasVal || a.val == "" {
		return r, fmt.Errorf("record: missing =MESSAGE, e.g. record=talk(20s): %w", ErrSyntax)
	}
	alts, err := splitTop(a.val, '|')
	if err != nil {
		return r, fmt.Errorf("%s: %w", a.word, err)
	}
	for _, alt := range alts {
		choice := fake.MessageChoice{P: 1}
		steps := alt
		if p, rest, ok := cutTop(alt, ':'); ok {
			prob, err := parseProbability("record", p)
			if err != nil {
				return r, err
			}
			choice.P, steps = prob, rest
		} else if len(alts) > 1 {
			return r, fmt.Errorf("%s: %q needs a probability, e.g. 0.5:%s: %w", a.word, alt, alt, ErrProbability)
		}
		if err := parseSteps(steps, &choice); err != nil {
			return r, fmt.Errorf("%s: %w", a.word, err)
		}
		r.Choices = append(r.Choices, choice)
	}
	if err := r.Validate(); err != nil {
		return r, fmt.Errorf("%s: %w", a.word, err)
	}
	return r, nil
}

// parseSteps reads STEP+STEP+... into c.
func parseSteps(s string, c *fake.MessageChoice) error {
	if s == "silent" {
		return nil // no step: silent to the end
	}
	parts, err := splitTop(s, '+')
	if err != nil {
		return err
	}
	var texts []string
	for _, part := range parts {
		name, args, hasArgs := strings.Cut(part, "(")
		if hasArgs {
			var ok bool
			if args, ok = strings.CutSuffix(args, ")"); !ok {
				return fmt.Errorf("%q: missing ')': %w", part, ErrSyntax)
			}
		}
		step := fake.StepDist{}
		switch name {
		case "talk":
			step.Kind = fake.Talk
			if !hasArgs {
				return fmt.Errorf("talk needs a duration, e.g. talk(20s): %w", ErrSyntax)
			}
			dist, text, hasText := cutTop(args, ',')
			if hasText {
				t, err := strconv.Unquote(strings.TrimSpace(text))
				if err != nil {
					return fmt.Errorf("talk(%s): the transcript must be a quoted string, e.g. talk(20s,\"call me back\"): %w", args, ErrSyntax)
				}
				texts = append(texts, t)
			}
			if step.D, err = parseDist(dist); err != nil {
				return fmt.Errorf("talk(%w)", err)
			}
		case "silent":
			step.Kind = fake.Silence
			if !hasArgs {
				return fmt.Errorf("silent in a sequence needs a duration, e.g. silent(2s): %w", ErrSyntax)
			}
			if step.D, err = parseDist(args); err != nil {
				return fmt.Errorf("silent(%w)", err)
			}
		case "press":
			step.Kind = fake.Key
			if !hasArgs {
				return fmt.Errorf("press needs a key, e.g. press(#) or press(#@3s): %w", ErrKeys)
			}
			key, at, hasAt := strings.Cut(args, "@")
			step.Key = key
			if hasAt {
				if step.D, err = parseDist(at); err != nil {
					return fmt.Errorf("press(%s@%w)", key, err)
				}
			}
		case "hangup":
			step.Kind = fake.HangUp
			if hasArgs {
				if step.D, err = parseDist(args); err != nil {
					return fmt.Errorf("hangup(%w)", err)
				}
			}
		default:
			return fmt.Errorf("%q (want talk, silent, press or hangup): %w", part, ErrBehaviour)
		}
		c.Steps = append(c.Steps, step)
	}
	c.Transcript = strings.Join(texts, " ")
	return nil
}

// splitTop splits s at each sep outside parentheses and double quotes.
func splitTop(s string, sep byte) ([]string, error) {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted:
			if c == '\\' {
				i++
			} else if c == '"' {
				quoted = false
			}
		case c == '"':
			quoted = true
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if quoted {
		return nil, fmt.Errorf("unclosed '\"' in %q: %w", s, ErrSyntax)
	}
	out = append(out, s[start:])
	for _, p := range out {
		if p == "" {
			return nil, fmt.Errorf("empty part in %q: %w", s, ErrSyntax)
		}
	}
	return out, nil
}

// cutTop cuts s around the first sep outside parentheses and quotes.
func cutTop(s string, sep byte) (before, after string, found bool) {
	parts, err := splitTop(s, sep)
	if err != nil || len(parts) < 2 {
		return s, "", false
	}
	return parts[0], s[len(parts[0])+1:], true
}

// randomRecords reports whether some message of the caller is drawn for
// each run.
func (c CallerSpec) randomRecords() bool {
	for _, r := range c.Records {
		if !r.Fixed() {
			return true
		}
	}
	return false
}

// Messages returns what the caller does at each <Record> in one run:
// each of Records drawn from rng (which may be nil when none is random;
// see fake.RandomMessage.Draw). Drawn after the parties, they shift none
// of the parties' draws.
func (c CallerSpec) Messages(rng *rand.Rand) []fake.Message {
	if len(c.Records) == 0 {
		return nil
	}
	ms := make([]fake.Message, len(c.Records))
	for i, r := range c.Records {
		ms[i] = r.Draw(rng)
	}
	return ms
}
