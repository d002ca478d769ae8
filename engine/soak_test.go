package engine_test

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/leakcheck"
)

// soakCalls is how many calls TestSoak runs; under the race detector,
// which makes each call several times slower, a twentieth of them.
const soakCalls = 100_000

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// soakHeapSlack is how much more live heap than before the calls TestSoak
// tolerates after them: room for the runtime's own noise, and less than a
// leak of 100 bytes a call over 100,000 calls (1.7 KiB a call over the
// 5,000 calls of a race-detector run).
const soakHeapSlack = 8 << 20

// soakFlow is one call TestSoak repeats, with the transcript it must give.
type soakFlow struct {
	name string
	e    *engine.Engine
	in   engine.Inbound
	want []engine.Event // set by the warm-up run
}

func soakFlows() []*soakFlow {
	s := time.Second
	// A simultaneous ring of ten legs with press-1 screening: a voicemail
	// answers at 1 s and declines at 5.6 s, a human answers at 4 s and
	// accepts at 6 s, the rest are cancelled before they answer.
	var nouns strings.Builder
	parties := engine.Parties{
		{Addr: "client:a0", Outcome: fake.Answer, After: s, Voicemail: true},
		{Addr: "client:a1", Outcome: fake.Answer, After: 4 * s, Talk: 30 * s, Presses: []fake.Press{{Keys: "1", After: 2 * s}}},
	}
	for i := range 10 {
		fmt.Fprintf(&nouns, `<Client url="/whisper">a%d</Client>`, i)
		if i >= 2 {
			parties = append(parties, fake.Party{Addr: fmt.Sprintf("client:a%d", i), Outcome: fake.Answer, After: time.Duration(i+5) * s})
		}
	}
	simulring := &soakFlow{
		name: "simulring",
		e: &engine.Engine{
			Handler: engine.Documents{
				"/voice":   `<Response><Dial action="/after" timeout="20">` + nouns.String() + `</Dial></Response>`,
				"/whisper": `<Response><Gather numDigits="1" timeout="3" action="/accept"><Say>Press 1 to accept</Say></Gather><Hangup/></Response>`,
				"/accept":  `<Response/>`,
				"/after":   `<Response><Hangup/></Response>`,
			},
			Parties: parties,
			Policy:  engine.FirstAccept,
		},
		in: engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"},
	}
	// An IVR: a menu, a choice, a second menu that times out, goodbye.
	gather := &soakFlow{
		name: "gather",
		e: &engine.Engine{
			Handler: engine.Documents{
				"/ivr":  `<Response><Gather numDigits="1" action="/menu"><Say>For sales press 1, for support press 2</Say></Gather><Redirect>/ivr</Redirect></Response>`,
				"/menu": `<Response><Say>Sales</Say><Gather finishOnKey="#" timeout="3"><Say>Your order number, then hash</Say></Gather><Say>Goodbye</Say><Hangup/></Response>`,
			},
		},
		in: engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/ivr",
			Caller: engine.Caller{Presses: []fake.Press{{Keys: "1", After: 2 * s}}}},
	}
	return []*soakFlow{simulring, gather}
}

// TestSoak runs 100,000 calls (5,000 under the race detector), the two flows of soakFlows in turn on two
// goroutines, and checks that every call gives the transcript of the
// first, and that the goroutines and the live heap come back to where they
// were before the calls. The engine's parse cache (at most 1024
// documents) is filled by the warm-up run, before the baseline.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 calls: run without -short")
	}
	ctx := context.Background()
	flows := soakFlows()
	for _, f := range flows {
		res, err := f.e.Call(ctx, f.in)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		f.want = res.Events
	}
	if got := flows[0].want; countKind(got, engine.KindLegInitiated) != 10 || countKind(got, engine.KindLegDeclined) != 1 || countKind(got, engine.KindLegBridged) != 1 {
		var b strings.Builder
		engine.WriteText(&b, got)
		t.Fatalf("the simulring does not ring ten legs, decline one and bridge one:\n%s", b.String())
	}

	calls := soakCalls
	if raceEnabled() {
		calls /= 20
	}
	goroutines := leakcheck.Count()
	heap := liveHeap()
	start := time.Now()
	workers := min(2, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < calls; i += workers {
				f := flows[i%len(flows)]
				res, err := f.e.Call(ctx, f.in)
				if err != nil {
					t.Errorf("call %d (%s): %v", i, f.name, err)
					return
				}
				if len(res.Events) != len(f.want) || res.Status != "completed" {
					t.Errorf("call %d (%s): transcript differs (-want +got):\n%s", i, f.name, cmp.Diff(f.want, res.Events))
					return
				}
				if i%1000 < 2 { // now and then, the whole transcript
					if diff := cmp.Diff(f.want, res.Events); diff != "" {
						t.Errorf("call %d (%s): transcript differs (-want +got):\n%s", i, f.name, diff)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	goroutinesAfter := leakcheck.Settle(goroutines)
	heapAfter := liveHeap()

	t.Logf("%d calls on %d goroutines in %v: %.0f calls/s", calls, workers, elapsed.Round(time.Millisecond), float64(calls)/elapsed.Seconds())
	t.Logf("goroutines: %d before, %d after", goroutines, goroutinesAfter)
	t.Logf("live heap: %.2f MiB before, %.2f MiB after (%+.2f MiB)", mib(heap), mib(heapAfter), mib(heapAfter)-mib(heap))
	if goroutinesAfter > goroutines {
		t.Errorf("%d goroutines after the calls, %d before:\n%s", goroutinesAfter, goroutines, stacks())
	}
	if heapAfter > heap+soakHeapSlack {
		t.Errorf("live heap grew by %.2f MiB over %d calls (allowed: %d MiB)", mib(heapAfter)-mib(heap), calls, soakHeapSlack>>20)
	}
}

// liveHeap returns the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC() // a second cycle frees what the first one's finalizers released
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }
