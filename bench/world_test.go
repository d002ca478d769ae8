package bench_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

// worldCallers are the sizes of BenchmarkWorld: callers arriving at 100
// an hour, so 100 callers take an hour of virtual time.
var worldCallers = []int{10, 100, 1000}

// callCentre builds a world of n callers, arriving every 36 s on average
// (exponential, drawn from seed 1), queued for 10 agents who talk 3
// minutes on average: 5 erlangs. Nothing is recorded (NoTranscript).
func callCentre(n int) *engine.World {
	e := &engine.Engine{NoTranscript: true, Handler: engine.Documents{
		"/voice": `<Response><Enqueue>support</Enqueue></Response>`,
		"/agent": `<Response><Dial timeout="600"><Queue>support</Queue></Dial></Response>`,
	}}
	rng := fake.NewRand(1, 0)
	w := engine.NewWorld(e, rng)
	var at time.Duration
	for i := range n {
		at += fake.Exponential(36 * time.Second).Draw(rng)
		w.Add(engine.WorldCall{Name: fmt.Sprintf("c%d", i), At: at,
			Inbound: engine.Inbound{From: "+15550001111", To: "+15550009999", URL: "/voice"}})
	}
	for i := range 10 {
		w.Add(engine.WorldCall{Name: fmt.Sprintf("agent%d", i), Agent: true, Talk: fake.Exponential(3 * time.Minute),
			Inbound: engine.Inbound{From: "client:agent", To: "+15550009999", URL: "/agent"}})
	}
	return w
}

// BenchmarkWorld runs a call centre of N callers and 10 agents on one
// clock: the cost should grow linearly with the callers (compare the
// µs/caller of the sizes, in one run).
func BenchmarkWorld(b *testing.B) {
	for _, n := range worldCallers {
		b.Run(fmt.Sprintf("callers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				w := callCentre(n)
				b.StartTimer()
				res, err := w.Run(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Calls) < n {
					b.Fatalf("%d calls, want at least %d", len(res.Calls), n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/caller")
		})
	}
}
