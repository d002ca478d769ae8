package fake_test

import (
	"fmt"
	"time"

	"github.com/dialsim/dialsim/fake"
)

// A scripted party is a plain value: jenny's phone rings for 3 seconds,
// she answers, presses 1 in the whisper's first Gather a second after it
// starts listening, and hangs up 45 seconds into the bridged call.
func ExampleParty() {
	jenny := fake.Party{
		Addr:    "client:jenny",
		Outcome: fake.Answer,
		After:   3 * time.Second,
		Talk:    45 * time.Second,
		Presses: []fake.Press{{Keys: "1", After: time.Second}},
	}
	fmt.Println(jenny.Outcome, jenny.After, jenny.Presses, jenny.Validate())
	// Output: answer 3s [1@1s] <nil>
}

// The statistics runner draws a new behaviour for each simulated call,
// seeding run i of a series with (seed, i): the same seed replays the
// same series.
func ExampleRandom_Draw() {
	answer, _ := fake.ParseDist("lognormal(6s,0.5)")
	phone := fake.Random{
		Addr:            "+18589876543",
		Answer:          answer,
		Busy:            0.1,
		Voicemail:       0.3,
		VoicemailAnswer: fake.Uniform(time.Second, 3*time.Second),
		Talk:            fake.Exponential(time.Minute),
	}
	if err := phone.Validate(); err != nil {
		panic(err)
	}
	for i := range uint64(6) {
		p := phone.Draw(fake.NewRand(2026, i))
		fmt.Printf("run %d: %-6v after %-6v voicemail=%-5t talk %v\n",
			i, p.Outcome, p.After.Round(time.Millisecond), p.Voicemail, p.Talk.Round(time.Second))
	}
	// Output:
	// run 0: answer after 6.403s voicemail=false talk 11s
	// run 1: busy   after 0s     voicemail=false talk 0s
	// run 2: answer after 1.279s voicemail=true  talk 45s
	// run 3: answer after 2.745s voicemail=false talk 5s
	// run 4: answer after 8.324s voicemail=false talk 3s
	// run 5: answer after 8.682s voicemail=false talk 3m31s
}

func ExampleParseDist() {
	for _, s := range []string{"3s", "uniform(2s, 8s)", "exp(4s)", "lognormal(5s,0.5)"} {
		d, err := fake.ParseDist(s)
		fmt.Printf("%-18s mean %v, %v\n", d, d.Mean().Round(time.Millisecond), err)
	}
	// Output:
	// 3s                 mean 3s, <nil>
	// uniform(2s,8s)     mean 5s, <nil>
	// exp(4s)            mean 4s, <nil>
	// lognormal(5s,0.5)  mean 5.666s, <nil>
}
