package engine_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/leakcheck"
)

// promptly is how long, in real time, a cancelled call may take to return:
// far more than it needs, far less than the 15 s a request may last.
const promptly = 5 * time.Second

// app serves documents and records the requests that arrive after the
// call was cancelled. A request for the path trigger cancels the call
// (before it is answered); one for the path wait closes reached, for the
// test to cancel the call then. A path in block answers nothing until its
// request's context is done.
type app struct {
	docs    engine.Documents
	trigger string
	wait    string
	block   map[string]bool
	cancel  context.CancelFunc
	reached chan struct{}

	mu        sync.Mutex
	cancelled bool
	at        time.Time // when the call was cancelled
	after     []string  // paths requested after that
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	if a.cancelled {
		a.after = append(a.after, r.URL.Path)
	}
	if r.URL.Path == a.trigger && !a.cancelled {
		a.cancelled, a.at = true, time.Now()
		a.cancel()
	}
	if r.URL.Path == a.wait && a.reached != nil {
		close(a.reached)
		a.reached = nil
	}
	a.mu.Unlock()
	if a.block[r.URL.Path] {
		// Read the parameters first, as an application does: over
		// HTTP/1.1 the server notices that the client went away only
		// once it has read the request's body.
		r.ParseForm()
		<-r.Context().Done()
		return
	}
	a.docs.ServeHTTP(w, r)
}

// cancelNow cancels the call from the test's goroutine.
func (a *app) cancelNow() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.cancelled, a.at = true, time.Now()
	a.cancel()
}

func (a *app) report() (time.Time, []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.at, a.after
}

// afterCancel are the kinds of event a cancelled call may still record
// after the cancellation: it closes what was open, and nothing else
// happens.
var afterCancel = map[string]bool{
	engine.KindLegEnd: true, engine.KindDialEnd: true, engine.KindCallEnd: true,
	engine.KindDiagnostic: true, engine.KindNote: true,
}

// Cancelling the context of Engine.Call in the middle of a long call
// returns promptly with the context's error and the transcript so far: it
// closes the legs, the Dial and the call that were open, and records
// nothing else after the cancellation; no request reaches the application
// after it, and no goroutine is left. On virtual time nothing can happen
// in the middle of a call but a request to the application, so the
// application's handler cancels the call; a call blocked in a request, or
// on a clock.Mock nobody steps, is cancelled by the test once it is there.
func TestCancel(t *testing.T) {
	s := time.Second
	ringing := engine.Documents{
		"/voice":   `<Response><Dial timeout="600"><Client statusCallback="/ringing" statusCallbackEvent="ringing">nobody</Client></Dial><Say>never</Say></Response>`,
		"/ringing": `<Response/>`,
	}
	screening := func(action string) engine.Documents {
		return engine.Documents{
			"/voice":    `<Response><Dial` + action + `><Client url="/whisper">a</Client><Client statusCallback="/answered" statusCallbackEvent="answered">b</Client></Dial></Response>`,
			"/whisper":  `<Response><Pause length="600"/></Response>`,
			"/answered": `<Response/>`,
		}
	}
	screeners := engine.Parties{
		{Addr: "client:a", Outcome: fake.Answer, After: s},
		{Addr: "client:b", Outcome: fake.Answer, After: 5 * s},
	}
	tests := []struct {
		name    string
		docs    engine.Documents
		parties engine.Parties
		policy  engine.Policy
		trigger string   // the request whose handler cancels the call
		wait    string   // or: the test cancels the call once this is requested
		block   []string // requests that answer only when abandoned
		clock   func() clock.Clock
		over    bool // over HTTP on loopback, not in process
	}{{
		name:    "a Dial ringing for 600 s, cancelled at the leg's ringing callback",
		docs:    ringing,
		trigger: "/ringing",
	}, {
		name: "a Dial with an action that hangs, cancelled while it rings",
		docs: engine.Documents{
			"/voice":   `<Response><Dial timeout="600" action="/after"><Client statusCallback="/ringing" statusCallbackEvent="ringing">nobody</Client></Dial></Response>`,
			"/ringing": `<Response/>`,
		},
		trigger: "/ringing",
		block:   []string{"/after"},
	}, {
		name:    "a whisper's 600 s Pause, cancelled when another leg answers",
		docs:    screening(""),
		parties: screeners,
		policy:  engine.FirstAccept,
		trigger: "/answered",
	}, {
		name:    "a whisper's 600 s Pause with an action that hangs, cancelled when another leg answers",
		docs:    screening(` action="/after"`),
		parties: screeners,
		policy:  engine.FirstAccept,
		trigger: "/answered",
		block:   []string{"/after"},
	}, {
		name: "a leg ended after the cancellation, whose completed status callback hangs",
		docs: engine.Documents{
			"/voice":    `<Response><Dial><Client url="/whisper" statusCallback="/completed">a</Client><Client statusCallback="/answered" statusCallbackEvent="answered">b</Client></Dial></Response>`,
			"/whisper":  `<Response><Pause length="600"/></Response>`,
			"/answered": `<Response/>`,
		},
		parties: screeners,
		policy:  engine.FirstAccept,
		trigger: "/answered",
		block:   []string{"/completed"},
	}, {
		name: "a Record cancelled at its in-progress recording status callback",
		docs: engine.Documents{
			"/voice": `<Response><Record action="/after" recordingStatusCallback="/rec" recordingStatusCallbackEvent="in-progress completed absent"/></Response>`,
			"/rec":   `<Response/>`,
		},
		trigger: "/rec",
		block:   []string{"/after"},
	}, {
		name:  "a 600 s Pause on a clock.Mock nobody steps",
		docs:  engine.Documents{"/voice": `<Response><Pause length="600"/></Response>`},
		clock: func() clock.Clock { return clock.NewMock() },
		wait:  "/voice",
	}, {
		name:  "a handler that answers only when the request is abandoned, in process",
		docs:  engine.Documents{},
		wait:  "/voice",
		block: []string{"/voice"},
	}, {
		name:  "a handler that answers only when the request is abandoned, over HTTP",
		docs:  engine.Documents{},
		wait:  "/voice",
		block: []string{"/voice"},
		over:  true,
	}, {
		name: "a whisper document that never comes, over HTTP",
		docs: engine.Documents{
			"/voice": `<Response><Dial><Client url="/whisper">a</Client></Dial></Response>`,
		},
		parties: engine.Parties{{Addr: "client:a", Outcome: fake.Answer, After: s}},
		wait:    "/whisper",
		block:   []string{"/whisper"},
		over:    true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := leakcheck.Count()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			reached := make(chan struct{})
			a := &app{docs: tt.docs, trigger: tt.trigger, wait: tt.wait, block: map[string]bool{}, cancel: cancel, reached: reached}
			for _, p := range tt.block {
				a.block[p] = true
			}
			e := &engine.Engine{Handler: a, Parties: tt.parties, Policy: tt.policy}
			var srv *httptest.Server
			if tt.over {
				srv = httptest.NewServer(a)
				defer srv.Close()
				e.Handler, e.BaseURL = nil, srv.URL
			}
			if tt.clock != nil {
				e.Clock = tt.clock()
			}
			in := engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"}

			type result struct {
				res *engine.Result
				err error
				at  time.Time
			}
			done := make(chan result, 1)
			go func() {
				res, err := e.Call(ctx, in)
				done <- result{res, err, time.Now()}
			}()
			if tt.wait != "" {
				<-reached
				a.cancelNow()
			}
			watchdog := time.NewTimer(time.Minute)
			defer watchdog.Stop()
			var r result
			select {
			case r = <-done:
			case <-watchdog.C:
				t.Fatalf("Call has not returned a minute after the cancellation:\n%s", stacks())
			}
			cancelAt, after := a.report()
			if srv != nil {
				srv.Close() // and with it the client's idle connection
			}

			if !errors.Is(r.err, context.Canceled) {
				t.Errorf("Call returned %v, want context.Canceled", r.err)
			}
			if took := r.at.Sub(cancelAt); took > promptly {
				t.Errorf("Call returned %v after the cancellation, want within %v", took.Round(time.Millisecond), promptly)
			}
			if len(after) > 0 {
				t.Errorf("requests after the cancellation: %v", after)
			}
			if r.res == nil {
				t.Fatal("no Result: want the transcript so far")
			}
			checkCallTranscript(t, r.res)
			if tt.trigger != "" || a.block[tt.wait] {
				// The cancellation came during that request; on the
				// Mock, it comes at some point after it.
				checkNothingAfter(t, r.res.Events, tt.trigger+tt.wait)
			}
			if n := leakcheck.Settle(base); n > base {
				t.Errorf("%d goroutines after the call, %d before:\n%s", n, base, stacks())
			}
		})
	}
}

// checkNothingAfter checks that after the (first) request to path, the
// cancellation point, the transcript only closes what was open.
func checkNothingAfter(t *testing.T, events []engine.Event, path string) {
	t.Helper()
	from := -1
	for i, e := range events {
		if (e.Kind == engine.KindRequest || e.Kind == engine.KindCallback) && e.Get("URL") == path {
			from = i
			break
		}
	}
	if from < 0 {
		t.Fatalf("no request for %s in the transcript", path)
	}
	var extra []string
	for _, e := range events[from+1:] {
		if !afterCancel[e.Kind] {
			extra = append(extra, e.String())
		}
	}
	if len(extra) > 0 {
		var b strings.Builder
		engine.WriteText(&b, events)
		t.Errorf("after the cancellation (at the request for %s), the transcript goes on:\n%s\ntranscript:\n%s", path, strings.Join(extra, "\n"), b.String())
	}
}
