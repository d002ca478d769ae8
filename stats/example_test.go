package stats_test

import (
	"context"
	"fmt"
	"log"

	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/stats"
)

// Jenny answers within 2 to 4 seconds, but she is busy one call in five,
// and one in ten her voicemail picks up after 5 seconds. A thousand
// simulated calls show how often each happens and how soon the caller is
// connected.
func ExampleRun() {
	s, err := scenarios.Parse("jenny.txt", []byte(`
call from=+15550001111 to=+15550002222 url=/voice
seed 42
party client:jenny answer=uniform(2s,4s) busy=0.2 voicemail=0.1@5s
-- /voice --
<Response><Dial><Client>jenny</Client></Dial></Response>
`))
	if err != nil {
		log.Fatal(err)
	}
	r, err := stats.Run(context.Background(), s, stats.Options{Runs: 1000})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("calls:", r.Calls)
	fmt.Println("DialCallStatus:", r.Status)
	fmt.Println("voicemail won the race:", r.VoicemailWon, "bridged:", r.Voicemail)
	fmt.Println("time to connect: p50", r.Connect.P50, "p99", r.Connect.P99, "max", r.Connect.Max)
	// Output:
	// calls: 1000
	// DialCallStatus: map[busy:193 completed:807]
	// voicemail won the race: 121 bridged: 121
	// time to connect: p50 3.188s p99 5s max 5s
}
