package timeline_test

import (
	"context"
	"log"
	"os"

	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/timeline"
)

// A call screened by a whisper: jenny answers after 2 seconds, hears the
// prompt and hangs up, declining, so the caller hears the rest of the
// application's document.
func Example() {
	s, err := scenarios.Parse("screened.txt", []byte(`call from=+15550001111 to=+15550002222 url=/voice
party client:jenny answer=2s
-- /voice --
<Response><Dial><Client url="/whisper">jenny</Client></Dial><Say>Nobody took the call</Say></Response>
-- /whisper --
<Response><Say>A call for you</Say><Hangup/></Response>
`))
	if err != nil {
		log.Fatal(err)
	}
	res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	timeline.New(res.Events).WriteText(os.Stdout)
	// Output:
	// +15550001111  |----------------------------------------------------C|
	// client:jenny  |rrrrrrrrrrrrrrrrrrrrWWWWWWWWWWWWWWWWD                |
	//                0s        1s        2s        3s        4s        5s
	// one column = 0.1s; r ringing, - answered, W screening (whisper), = bridged
	// ends: C completed, B busy, F failed, N no-answer, X canceled, D declined
}
