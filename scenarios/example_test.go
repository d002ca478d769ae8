package scenarios_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/timeline"
)

// A scenario file parsed from a string and played: jenny answers first
// and is connected, tommy is canceled.
func Example() {
	const file = `# Simultaneous ring.
call from=+15550001111 to=+15550002222 url=/voice
party client:jenny answer=3s talk=45s
party client:tommy answer=8s
-- /voice --
<Response>
  <Dial action="/done">
    <Client>jenny</Client>
    <Client>tommy</Client>
  </Dial>
</Response>
-- /done --
<Response><Hangup/></Response>
`
	s, err := scenarios.Parse("simulring.txt", []byte(file))
	if err != nil {
		log.Fatal(err)
	}
	res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range res.Events {
		switch e.Kind {
		case "leg.answered":
			fmt.Printf("%4.0fs %s %s\n", e.T.Seconds(), e.Kind, e.Leg)
		case "leg.end":
			fmt.Printf("%4.0fs %s %s %v\n", e.T.Seconds(), e.Kind, e.Leg, e.Get("CallStatus"))
		case "call.end":
			fmt.Printf("%4.0fs %s %v\n", e.T.Seconds(), e.Kind, e.Get("CallStatus"))
		case "dial.end":
			fmt.Printf("%4.0fs %s %v %v\n", e.T.Seconds(), e.Kind, e.Get("DialCallStatus"), e.Get("to"))
		}
	}
	fmt.Println()
	timeline.New(res.Events).WriteText(os.Stdout)
	// Output:
	//    3s leg.answered client:jenny
	//    3s leg.end client:tommy canceled
	//   48s leg.end client:jenny completed
	//   48s dial.end completed client:jenny
	//   48s call.end completed
	//
	// +15550001111  |---=============================================C|
	// client:jenny  |rrr=============================================C|
	// client:tommy  |rrrX                                             |
	//                0s        10s       20s       30s       40s
	// one column = 1s; r ringing, - answered, W screening (whisper), = bridged
	// ends: C completed, B busy, F failed, N no-answer, X canceled, D declined
}

// A series of runs of one scenario, as the statistics runner plays them:
// prepared once, then each run draws its parties from the scenario's seed
// and the run's number.
func ExamplePrepare() {
	s, err := scenarios.Parse("jenny.txt", []byte(`call from=+15550001111 to=+15550002222 url=/voice
seed 7
party client:jenny answer=uniform(2s,8s) busy=0.3 talk=30s
-- /voice --
<Response><Dial timeout="10"><Client>jenny</Client></Dial></Response>
`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := scenarios.Prepare(s, scenarios.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for run := range uint64(5) {
		res, err := p.Run(context.Background(), run)
		if err != nil {
			log.Fatal(err)
		}
		if d := res.Dials[0]; d.Bridged {
			fmt.Printf("run %d: %s, connected after %v\n", run, d.Status, d.Connect.Round(time.Millisecond))
		} else {
			fmt.Printf("run %d: %s\n", run, d.Status)
		}
	}
	// Output:
	// run 0: completed, connected after 6.935s
	// run 1: completed, connected after 6.782s
	// run 2: busy
	// run 3: completed, connected after 4.957s
	// run 4: busy
}
