package fake_test

import (
	"fmt"
	"time"

	"github.com/dialsim/dialsim/fake"
)

// A caller who answers a speech Gather says yes 70% of the time and,
// less clearly, no otherwise, one to three seconds after the Gather
// starts listening: each call draws its phrase and its moment.
func ExampleRandomPress() {
	answer := fake.RandomPress{
		Phrases: []fake.Phrase{{Text: "yes", P: 0.7}, {Text: "no", P: 0.3, Confidence: 0.6}},
		After:   fake.Uniform(time.Second, 3*time.Second),
	}
	if err := answer.Validate(); err != nil {
		panic(err)
	}
	rng := fake.NewRand(1, 0)
	for range 3 {
		p := answer.Draw(rng)
		fmt.Printf("%q confidence %.1f after %v\n", p.Speech, p.SpeechConfidence(), p.After.Round(time.Millisecond))
	}
	fmt.Println(fake.Press{Speech: "check my balance", After: 2 * time.Second})
	// Output:
	// "yes" confidence 0.9 after 2.002s
	// "yes" confidence 0.9 after 1.979s
	// "no" confidence 0.6 after 2.145s
	// "check my balance"@2s
}
