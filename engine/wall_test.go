package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

// On a clock.Mock, a call whose bridged party talks for a second ends a
// few seconds in, though the party would hang up by itself only after an
// hour: the end of the leg ends the party's hangup timer, which waits on
// its context's Done on a real clock or a mock.
func TestMockCallEndsBeforePartyHangup(t *testing.T) {
	mock := clock.NewMock()
	e := &engine.Engine{
		Handler: engine.Documents{"/voice": `<Response><Dial><Client>a</Client></Dial></Response>`},
		Parties: engine.Parties{{Addr: "client:a", Outcome: fake.Answer, After: time.Second, Talk: time.Second, Hangup: time.Hour}},
		Clock:   mock,
	}
	done := make(chan error, 1)
	go func() {
		_, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"})
		done <- err
	}()
	// Each step moves the mock a second; the call needs two or three of
	// them, the hangup timer 3,600.
	for steps := 0; ; steps++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			return
		default:
		}
		if steps == 120 {
			t.Fatal("the call still runs two minutes of mock time in: it waits for the party's hangup timer")
		}
		mock.Add(time.Second)
	}
}
