package scenarios

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/dialsim/dialsim/fake"
)

// ErrSpeech is a say whose words or confidence are invalid; it is
// fake.ErrSpeech.
var ErrSpeech = fake.ErrSpeech

// Draw returns the caller's inputs for one run: Presses, or, when the
// caller is random, each of Random drawn from rng (fake.RandomPress.Draw,
// two values each).
func (c CallerSpec) Draw(rng *rand.Rand) []fake.Press {
	if c.Random != nil {
		return fake.DrawPresses(c.Random, rng)
	}
	return c.Presses
}

// sayIsRandom reports whether say=VALUE is drawn anew for each call: a
// choice of phrases, or a distribution for its time.
func sayIsRandom(v string) bool {
	sp, err := parseSay(v)
	return err == nil && sp.random()
}

// say is a parsed say=VALUE.
type say struct {
	phrases []fake.Phrase
	choice  bool // the phrases have probabilities
	after   fake.Dist
}

func (s say) random() bool {
	return s.choice || s.after != fake.Fixed(s.after.Mean())
}

// parseSayInto reads say=VALUE (see parseSay) and appends it to presses:
// the Press itself when it is fixed; when it is random, a zero Press
// holding its place, with the input in randoms at that place. A nil
// randoms takes only a fixed say.
func parseSayInto(a arg, presses *[]fake.Press, randoms map[int]fake.RandomPress) error {
	if !a.hasVal {
		return fmt.Errorf("say: missing =\"WORDS\": %w", ErrSpeech)
	}
	sp, err := parseSay(a.val)
	if err != nil {
		return fmt.Errorf("%s: %w", a.word, err)
	}
	if !sp.random() {
		pr := fake.Press{Speech: sp.phrases[0].Text, Confidence: sp.phrases[0].Confidence, After: sp.after.Mean()}
		if err := pr.Validate(); err != nil {
			return fmt.Errorf("%s: %w", a.word, err)
		}
		*presses = append(*presses, pr)
		return nil
	}
	if randoms == nil {
		return fmt.Errorf("%s: a random say needs a random party: %w", a.word, ErrSyntax)
	}
	rp := fake.RandomPress{Phrases: sp.phrases, After: sp.after}
	if err := rp.Validate(); err != nil {
		return fmt.Errorf("%s: %w", a.word, err)
	}
	*presses = append(*presses, fake.Press{})
	randoms[len(*presses)-1] = rp
	return nil
}

// drawable returns the inputs of a directive: presses as they are if
// none is random; otherwise nil and every input as a fake.RandomPress,
// the random ones from randoms, in order.
func drawable(presses []fake.Press, randoms map[int]fake.RandomPress) ([]fake.Press, []fake.RandomPress) {
	if len(randoms) == 0 {
		return presses, nil
	}
	out := make([]fake.RandomPress, len(presses))
	for i, pr := range presses {
		if rp, ok := randoms[i]; ok {
			out[i] = rp
			continue
		}
		out[i] = fake.RandomPress{Keys: pr.Keys, After: fake.Fixed(pr.After)}
		if pr.Speech != "" {
			out[i].Phrases = []fake.Phrase{{Text: pr.Speech, Confidence: pr.Confidence, P: 1}}
		}
	}
	return nil, out
}

// parseSay reads the value of say=:
//
//	"WORDS"[~C][@DIST]
//	P:"WORDS"[~C]|P:"WORDS"[~C]...[@DIST]
//
// WORDS are said, with confidence C (default fake.DefaultConfidence),
// DIST after the Gather starts listening (default 1s); with a choice,
// each phrase is said with probability P (the P sum to 1). A single word
// may go without quotes (say=yes@1s), and the confidence may follow the
// time instead (say="yes"@1s~0.8), for every phrase that has none.
func parseSay(v string) (say, error) {
	sp := say{after: fake.Fixed(time.Second)}
	rest := v
	for {
		ph := fake.Phrase{P: 1}
		if prob, after, ok := cutProbability(rest); ok {
			p, err := parseProbability("say", prob)
			if err != nil {
				return say{}, err
			}
			ph.P, rest, sp.choice = p, after, true
		} else if len(sp.phrases) > 0 {
			return say{}, fmt.Errorf("a choice of phrases gives each a probability, P:\"WORDS\": %w", ErrSpeech)
		}
		text, after, err := cutWords(rest)
		if err != nil {
			return say{}, err
		}
		ph.Text, rest = text, after
		if c, ok := strings.CutPrefix(rest, "~"); ok {
			end := strings.IndexAny(c, "|@")
			if end < 0 {
				end = len(c)
			}
			f, err := parseConfidence(c[:end])
			if err != nil {
				return say{}, err
			}
			ph.Confidence, rest = f, c[end:]
		}
		sp.phrases = append(sp.phrases, ph)
		if r, ok := strings.CutPrefix(rest, "|"); ok {
			if !sp.choice {
				return say{}, fmt.Errorf("a choice of phrases gives each a probability, P:\"WORDS\": %w", ErrSpeech)
			}
			rest = r
			continue
		}
		break
	}
	switch {
	case rest == "":
	case strings.HasPrefix(rest, "@"):
		dist, conf, hasConf := strings.Cut(rest[1:], "~") // no distribution has a ~
		d, err := parseDist(dist)
		if err != nil {
			return say{}, err
		}
		sp.after = d
		if hasConf {
			f, err := parseConfidence(conf)
			if err != nil {
				return say{}, err
			}
			for i := range sp.phrases {
				if sp.phrases[i].Confidence == 0 {
					sp.phrases[i].Confidence = f
				}
			}
		}
	default:
		return say{}, fmt.Errorf("unexpected %q after the words (want ~CONFIDENCE, |, or @DIST): %w", rest, ErrSpeech)
	}
	return sp, nil
}

// cutProbability cuts the P: before a phrase of a choice, if there is one:
// an unquoted start whose ':' comes before any quote, ~, | or @.
func cutProbability(s string) (prob, rest string, ok bool) {
	i := strings.IndexAny(s, `:"~|@`)
	if i <= 0 || s[i] != ':' {
		return "", s, false
	}
	return s[:i], s[i+1:], true
}

// cutWords cuts the words of a phrase: in double quotes, or one bare word
// running to a ~, | or @.
func cutWords(s string) (text, rest string, err error) {
	if q, ok := strings.CutPrefix(s, `"`); ok {
		text, rest, ok := strings.Cut(q, `"`)
		if !ok {
			return "", "", fmt.Errorf("unclosed double quote: %w", ErrSpeech)
		}
		if text == "" {
			return "", "", fmt.Errorf("no words between the quotes: %w", ErrSpeech)
		}
		return text, rest, nil
	}
	end := strings.IndexAny(s, "~|@")
	if end < 0 {
		end = len(s)
	}
	if end == 0 {
		return "", "", fmt.Errorf("want \"WORDS\" or P:\"WORDS\"|P:\"WORDS\": %w", ErrSpeech)
	}
	return s[:end], s[end:], nil
}

// parseConfidence reads C of ~C: a number in (0, 1], as
// fake.Press.Validate checks it (zero would mean the default).
func parseConfidence(c string) (float64, error) {
	f, err := strconv.ParseFloat(c, 64)
	if err != nil {
		return 0, fmt.Errorf("confidence %q is not a number: %w", c, ErrSpeech)
	}
	if !(f > 0 && f <= 1) {
		return 0, fmt.Errorf("confidence %v outside (0, 1]: %w", f, ErrSpeech)
	}
	return f, nil
}
