package engine_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

// A simultaneous ring: jenny answers after 3 seconds and talks for 45; tommy
// is busy. The Dial's action learns how it ended.
func ExampleEngine_Call() {
	e := &engine.Engine{
		Handler: engine.Documents{
			"/voice": `<Response>
  <Dial action="/after"><Client>jenny</Client><Client>tommy</Client></Dial>
</Response>`,
			"/after": `<Response><Hangup/></Response>`,
		},
		Parties: engine.Parties{
			{Addr: "client:jenny", Outcome: fake.Answer, After: 3 * time.Second, Talk: 45 * time.Second},
			{Addr: "client:tommy", Outcome: fake.Busy},
		},
	}
	res, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range res.Events {
		if ev.Kind == engine.KindDialEnd || ev.Kind == engine.KindLegEnd {
			fmt.Println(ev.T, ev.Kind, ev.Leg, ev.Get("CallStatus"), ev.Get("DialCallStatus"), ev.Get("to"))
		}
	}
	fmt.Println(res.Status, res.Duration)
	// Output:
	// 0s leg.end client:tommy busy <nil> <nil>
	// 48s leg.end client:jenny completed <nil> <nil>
	// 48s dial.end  <nil> completed client:jenny
	// completed 48s
}

// Runs of one scenario share a Cache, so that each document is compiled
// once for all of them, whichever Engine plays the run.
func ExampleCache() {
	cache := engine.NewCache(1 << 20) // about 1 MiB
	docs := engine.Documents{"/voice": `<Response><Say>Hello there</Say></Response>`}
	for _, who := range []string{"+15550001111", "+15550003333"} {
		e := &engine.Engine{Handler: docs, Cache: cache}
		res, err := e.Call(context.Background(), engine.Inbound{From: who, To: "+15550002222", URL: "/voice"})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(who, res.Status, res.Duration)
	}
	// Output:
	// +15550001111 completed 800ms
	// +15550003333 completed 800ms
}
