package engine_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

// A caller waits in a queue until an agent's call takes her; the agent
// talks for a minute and hangs up.
func ExampleWorld() {
	e := &engine.Engine{Handler: engine.Documents{
		"/voice": `<Response><Enqueue>support</Enqueue></Response>`,
		"/agent": `<Response><Dial><Queue>support</Queue></Dial></Response>`,
	}}
	w := engine.NewWorld(e, nil)
	w.Add(engine.WorldCall{Name: "alice", Inbound: engine.Inbound{From: "+15550001111", To: "+15550009999", URL: "/voice"}})
	w.Add(engine.WorldCall{Name: "agent", At: 25 * time.Second, Agent: true, Talk: fake.Fixed(time.Minute),
		Inbound: engine.Inbound{From: "client:agent", To: "+15550009999", URL: "/agent"}})
	res, err := w.Run(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range res.Calls {
		fmt.Println(c.Name, c.At, c.Status, c.Duration, c.Queues)
	}
	// Output:
	// alice 0s completed 1m25s [{support 0s bridged 25s}]
	// agent 25s completed 1m0s []
	// agent.2 1m25s completed 0s []
}
