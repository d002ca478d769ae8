package bench_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialsim/dialsim/bench"
	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

// callEngine builds an engine whose /voice document dials n clients, leg i
// answering at i+1 seconds, with an action; whisper adds a whisper Gather
// that every party accepts by pressing 1.
func callEngine(n int, whisper bool) *engine.Engine {
	var nouns strings.Builder
	parties := make(engine.Parties, n)
	for i := range n {
		url := ""
		if whisper {
			url = ` url="/whisper"`
		}
		fmt.Fprintf(&nouns, "<Client%s>agent%d</Client>", url, i)
		parties[i] = fake.Party{Addr: fmt.Sprintf("client:agent%d", i), Outcome: fake.Answer, After: time.Duration(i+1) * time.Second,
			Talk: 30 * time.Second, Presses: []fake.Press{{Keys: "1", After: time.Second}}}
	}
	return &engine.Engine{
		Handler: engine.Documents{
			"/voice":   `<Response><Dial action="/after">` + nouns.String() + `</Dial></Response>`,
			"/after":   `<Response><Hangup/></Response>`,
			"/whisper": `<Response><Gather numDigits="1" action="/accept"><Say>Press 1</Say></Gather><Hangup/></Response>`,
			"/accept":  `<Response/>`,
		},
		Parties: parties,
	}
}

var inbound = engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"}

// BenchmarkCall runs a whole simulated call with a Dial of N legs: embedded
// documents, the first answer connected, the action requested. The bare
// race of the same size runs beside it as the floor.
func BenchmarkCall(b *testing.B) {
	for _, n := range legCounts {
		b.Run(fmt.Sprintf("legs=%d", n), func(b *testing.B) {
			e := callEngine(n, false)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Call(context.Background(), inbound); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/call")
		})
	}
}

// BenchmarkCallWhisper is BenchmarkCall with a whisper Gather that the
// first leg to answer accepts.
func BenchmarkCallWhisper(b *testing.B) {
	b.Run("legs=10", func(b *testing.B) {
		e := callEngine(10, true)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.Call(context.Background(), inbound); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/call")
	})
}

// callsPerGoroutine is how many calls each goroutine of an iteration of
// BenchmarkCallParallel makes.
const callsPerGoroutine = 50

// BenchmarkCallParallel runs BenchmarkCall/legs=10's call on one Engine
// from K goroutines at once, callsPerGoroutine calls each an iteration,
// and reports calls/s: with K=2 on two cores, the second core's gain.
func BenchmarkCallParallel(b *testing.B) {
	for _, k := range []int{1, 2} {
		b.Run(fmt.Sprintf("goroutines=%d", k), func(b *testing.B) {
			e := callEngine(10, false)
			b.ReportAllocs()
			for b.Loop() {
				var wg sync.WaitGroup
				for range k {
					wg.Go(func() {
						for range callsPerGoroutine {
							if _, err := e.Call(context.Background(), inbound); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
			}
			calls := float64(k*callsPerGoroutine) * float64(b.N)
			b.ReportMetric(calls/b.Elapsed().Seconds(), "calls/s")
		})
	}
}

func TestCallEngines(t *testing.T) {
	for _, whisper := range []bool{false, true} {
		res, err := callEngine(10, whisper).Call(context.Background(), inbound)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Dials) != 1 || res.Dials[0].To != "client:agent0" || !res.Dials[0].Bridged {
			t.Errorf("whisper=%v: dials %+v, want agent0 bridged", whisper, res.Dials)
		}
	}
	_ = bench.RaceBare
}
