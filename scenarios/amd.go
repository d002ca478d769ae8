package scenarios

import (
	"fmt"

	"github.com/dialsim/dialsim/fake"
)

// The party behaviours of answering-machine detection: greeting=DUR (how
// long the party speaks when it picks up, fake.Party.Greeting) and silent
// (it says nothing, fake.Party.Silent). A random party's greeting=DIST is
// its voicemail's greeting (fake.Random.Greeting).

// scriptedGreeting sets a scripted party's greeting=DUR or silent from a.
// Whether they fit the party's other behaviours is fake.Party.Validate's
// rule.
func scriptedGreeting(party *fake.Party, a arg) error {
	if a.key == "silent" {
		if a.hasVal {
			return fmt.Errorf("%s: silent takes no value: %w", a.word, ErrSyntax)
		}
		party.Silent = true
		return nil
	}
	d, err := parseDuration(a)
	if err != nil {
		return err
	}
	party.Greeting = d
	return nil
}

// randomGreeting sets a random party's greeting=DIST from a.
func randomGreeting(r *fake.Random, a arg) error {
	if a.key == "silent" {
		return fmt.Errorf("%s (not available in a random party): %w", a.word, ErrBehaviour)
	}
	if !a.hasVal {
		return fmt.Errorf("%s: missing =DIST: %w", a.key, ErrDist)
	}
	d, err := parseDist(a.val)
	if err != nil {
		return fmt.Errorf("%s=%w", a.key, err)
	}
	r.Greeting = d
	return nil
}
