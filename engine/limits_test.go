package engine_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

// counting serves docs and counts the requests it gets by path.
type counting struct {
	docs     engine.Documents
	requests atomic.Int64
	paths    map[string]*atomic.Int64
}

func (c *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.requests.Add(1)
	if n := c.paths[r.URL.Path]; n != nil {
		n.Add(1)
	}
	c.docs.ServeHTTP(w, r)
}

func newCounting(docs engine.Documents, paths ...string) *counting {
	c := &counting{docs: docs, paths: map[string]*atomic.Int64{}}
	for _, p := range paths {
		c.paths[p] = new(atomic.Int64)
	}
	return c
}

// count returns how many events of kind the transcript has, and how many
// diagnostics whose message holds text.
func count(res *engine.Result, kind, text string) (kinds, diagnostics int) {
	for _, e := range res.Events {
		if e.Kind == kind {
			kinds++
		}
		if msg, _ := e.Get("message").(string); e.Kind == engine.KindDiagnostic && text != "" && strings.Contains(msg, text) {
			diagnostics++
		}
	}
	return kinds, diagnostics
}

// TestLongestCall: a call ends at LongestCall of virtual time in all,
// however its waits add up, with a diagnostic and call.end.
func TestLongestCall(t *testing.T) {
	const four = "14400"
	for _, tt := range []struct {
		name string
		docs engine.Documents
	}{
		{"two pauses of 4 hours", engine.Documents{"/voice": `<Response><Pause length="` + four + `"/><Pause length="` + four + `"/><Say>never</Say></Response>`}},
		{"a Gather that times out, forever, on one document", engine.Documents{"/voice": `<Response><Pause length="14000"/><Gather timeout="600"/><Redirect>/voice</Redirect></Response>`}},
		{"a bridge of 4 hours after an hour", engine.Documents{
			"/voice": `<Response><Pause length="3600"/><Dial action="/after" timeLimit="` + four + `"><Client>a</Client></Dial></Response>`,
			"/after": `<Response><Say>never run</Say></Response>`,
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := &engine.Engine{Handler: tt.docs, MaxDocuments: 1000,
				Parties: engine.Parties{{Addr: "client:a", Outcome: fake.Answer, After: time.Second}}}
			res, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"})
			if err != nil {
				t.Fatal(err)
			}
			if res.Duration != engine.LongestCall {
				t.Errorf("Duration %v, want %v", res.Duration, engine.LongestCall)
			}
			last := res.Events[len(res.Events)-1]
			if last.Kind != engine.KindCallEnd || last.T != engine.LongestCall {
				t.Errorf("last event %v, want call.end at %v", last, engine.LongestCall)
			}
			if _, n := count(res, "", "Twilio's longest call"); n != 1 {
				t.Errorf("%d diagnostics of the longest call, want 1:\n%s", n, text(res))
			}
			if _, n := count(res, engine.KindSay, ""); n != 0 {
				t.Errorf("a Say after the call's end:\n%s", text(res))
			}
			for _, d := range res.Dials {
				if d.Status != "completed" {
					t.Errorf("Dial %+v, want completed", d)
				}
			}
		})
	}
}

func text(res *engine.Result) string {
	var b strings.Builder
	engine.WriteText(&b, res.Events)
	return b.String()
}

// TestStatusCallbackBudget: a document of Dials whose every noun asks for
// every status callback event makes at most DefaultMaxRequests callbacks
// in all, reported once.
func TestStatusCallbackBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("<Response>")
	for range 40 {
		b.WriteString(`<Dial timeout="5">`)
		for i := range 10 {
			fmt.Fprintf(&b, `<Number statusCallback="/cb" statusCallbackEvent="initiated ringing answered completed">+1555000%04d</Number>`, i)
		}
		b.WriteString(`</Dial>`)
	}
	b.WriteString("</Response>")
	app := newCounting(engine.Documents{"/voice": b.String(), "/cb": "<Response/>"}, "/cb")
	e := &engine.Engine{Handler: app}
	res, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"})
	if err != nil {
		t.Fatal(err)
	}
	// Without the budget: 40 Dials × 10 legs × 3 events (none answers).
	if got := app.paths["/cb"].Load(); got != engine.DefaultMaxRequests {
		t.Errorf("%d status callbacks, want %d (the budget)", got, engine.DefaultMaxRequests)
	}
	if n, _ := count(res, engine.KindCallback, ""); n != engine.DefaultMaxRequests {
		t.Errorf("%d callback events, want %d", n, engine.DefaultMaxRequests)
	}
	if _, n := count(res, "", "Engine.MaxRequests"); n != 1 {
		t.Errorf("%d diagnostics of the budget, want 1", n)
	}
	if n, _ := count(res, engine.KindDialEnd, ""); n != 40 {
		t.Errorf("%d Dials ended, want 40: the budget stops requests, not the call", n)
	}
}

// TestWhisperLoopKeepsAction: legs whose whisper redirects to itself
// forever use up their own budget, not the call's: the Dial's action is
// still requested and runs.
func TestWhisperLoopKeepsAction(t *testing.T) {
	for _, legs := range []int{1, 10} {
		t.Run(fmt.Sprint(legs, " legs"), func(t *testing.T) {
			var nouns strings.Builder
			var parties engine.Parties
			for i := range legs {
				addr := fmt.Sprintf("client:p%d", i)
				fmt.Fprintf(&nouns, `<Client url="/whisper">p%d</Client>`, i)
				parties = append(parties, fake.Party{Addr: addr, Outcome: fake.Answer, After: time.Duration(i+1) * time.Second})
			}
			app := newCounting(engine.Documents{
				"/voice":   `<Response><Dial action="/after">` + nouns.String() + `</Dial></Response>`,
				"/whisper": `<Response><Gather timeout="1" actionOnEmptyResult="true" action="/whisper"/></Response>`,
				"/after":   `<Response><Say>after</Say></Response>`,
			}, "/after", "/whisper")
			e := &engine.Engine{Handler: app, Parties: parties}
			res, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"})
			if err != nil {
				t.Fatal(err)
			}
			if got := app.paths["/after"].Load(); got != 1 {
				t.Errorf("the action was requested %d times, want 1:\n%s", got, text(res))
			}
			if n, _ := count(res, engine.KindSay, ""); n != 1 {
				t.Errorf("the action's Say did not run:\n%s", text(res))
			}
			if got := app.paths["/whisper"].Load(); got != engine.DefaultMaxDocuments {
				t.Errorf("%d whisper documents, want %d (the legs' budget)", got, engine.DefaultMaxDocuments)
			}
		})
	}
}
