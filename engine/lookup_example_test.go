package engine_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

// A test reads a transcript's events by kind and leg, and their fields
// typed.
func ExampleResult_Find() {
	e := &engine.Engine{
		Handler: engine.Documents{"/voice": `<Response><Dial><Client>jenny</Client><Client>tommy</Client></Dial></Response>`},
		Parties: engine.Parties{
			{Addr: "client:jenny", Outcome: fake.Answer, After: 3 * time.Second, Talk: 44600 * time.Millisecond},
			{Addr: "client:tommy", Outcome: fake.Busy},
		},
	}
	res, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"})
	if err != nil {
		panic(err)
	}
	end, _ := res.Find(engine.KindDialEnd, "")
	fmt.Println(end.Text("DialCallStatus"), end.Int("DialCallDuration"), end.Bool("DialBridged"), end.Seconds("DialCallDuration"))
	for _, ev := range res.Filter(engine.KindLegEnd, engine.AnyLeg) {
		fmt.Println(ev.Leg, ev.Text("CallStatus"))
	}
	fmt.Println(res.Dials[0].Duration, res.Dials[0].DialCallDuration())
	// Output:
	// completed 45 true 45s
	// client:tommy busy
	// client:jenny completed
	// 44.6s 45
}
