package engine_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

var queueApp = engine.Documents{
	"/voice":   `<Response><Enqueue waitUrl="/wait" action="/after">support</Enqueue></Response>`,
	"/wait":    `<Response><Say>Please hold</Say><Pause length="10"/></Response>`,
	"/after":   `<Response><Say>Bye</Say></Response>`,
	"/agent":   `<Response><Dial timeout="60"><Queue url="/whisper">support</Queue></Dial></Response>`,
	"/whisper": `<Response><Say>Connecting you</Say></Response>`,
	"/hello":   `<Response><Say>Hello there</Say><Pause length="2"/></Response>`,
	"/record":  `<Response><Record maxLength="10"/></Response>`,
}

func worldInbound(from, url string) engine.Inbound {
	return engine.Inbound{From: from, To: "+15559999999", URL: url}
}

// A world of one call plays that call as Engine.Call does: the same
// events, the same outcome (its recordings too); the world's transcript is
// the call's, each event naming it.
func TestWorldOneCall(t *testing.T) {
	tests := []struct {
		name   string
		url    string
		caller engine.Caller
	}{
		{name: "say", url: "/hello"},
		{name: "record", url: "/record", caller: engine.Caller{Messages: []fake.Message{{Steps: []fake.Step{{Kind: fake.Talk, D: 4 * time.Second}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			in := worldInbound("+15550001111", tt.url)
			in.SID = "CA00000000000000000000000000000001"
			in.Caller = tt.caller
			e := &engine.Engine{Handler: queueApp}
			want, err := e.Call(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			w := engine.NewWorld(e, nil)
			if err := w.Add(engine.WorldCall{Name: "solo", At: 5 * time.Second, Inbound: in}); err != nil {
				t.Fatal(err)
			}
			got, err := w.Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Calls) != 1 {
				t.Fatalf("%d calls, want 1", len(got.Calls))
			}
			if diff := cmp.Diff(want, got.Calls[0].Result); diff != "" {
				t.Errorf("the world's call differs from Engine.Call's (-want +got):\n%s", diff)
			}
			var shifted []engine.Event
			for _, ev := range want.Events {
				ev.T += 5 * time.Second
				ev.Call = "solo"
				shifted = append(shifted, ev)
			}
			if diff := cmp.Diff(shifted, got.Events); diff != "" {
				t.Errorf("world transcript (-want +got):\n%s", diff)
			}
			if got.Duration != 5*time.Second+want.Duration {
				t.Errorf("Duration %v, want %v", got.Duration, 5*time.Second+want.Duration)
			}
		})
	}
}

func TestWorldAddErrors(t *testing.T) {
	ok := engine.WorldCall{Name: "a", Inbound: worldInbound("+15550001111", "/hello")}
	tests := []struct {
		name string
		call engine.WorldCall
		want error
	}{
		{"no URL", engine.WorldCall{Name: "b"}, engine.ErrNoURL},
		{"no name", engine.WorldCall{Inbound: ok.Inbound}, engine.ErrWorldName},
		{"same name", ok, engine.ErrWorldName},
		{"bad dist", engine.WorldCall{Name: "c", Inbound: ok.Inbound, Talk: fake.Exponential(-time.Second)}, fake.ErrDist},
	}
	w := engine.NewWorld(&engine.Engine{Handler: queueApp}, nil)
	if err := w.Add(ok); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := w.Add(tt.call); !errors.Is(err, tt.want) {
				t.Errorf("Add: %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := w.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(engine.WorldCall{Name: "late", Inbound: ok.Inbound}); !errors.Is(err, engine.ErrWorldRan) {
		t.Errorf("Add after Run: %v, want ErrWorldRan", err)
	}
	if _, err := w.Run(context.Background()); !errors.Is(err, engine.ErrWorldRan) {
		t.Errorf("second Run: %v, want ErrWorldRan", err)
	}
}

// summary is what a test compares of a world's call.
type summary struct {
	Name   string
	At     time.Duration
	Status string
	Queues []engine.QueueVisit
	Dials  []string // DialCallStatus and the bridge's length
}

func summarizeWorld(res *engine.WorldResult) []summary {
	var out []summary
	for _, c := range res.Calls {
		s := summary{Name: c.Name, At: c.At, Status: c.Status, Queues: c.Queues}
		for _, d := range c.Dials {
			s.Dials = append(s.Dials, d.Status+" "+d.Duration.String())
		}
		out = append(out, s)
	}
	return out
}

// Queues: first in, first out; the patient caller is bridged, the
// impatient one hangs up; the agent calls in again after its first
// caller, and hangs up when the last caller's call is over.
func TestWorldQueue(t *testing.T) {
	calls := []engine.WorldCall{
		{Name: "alice", Inbound: worldInbound("+15550000001", "/voice")},
		{Name: "bob", At: 5 * time.Second, Inbound: worldInbound("+15550000002", "/voice"), Patience: fake.Fixed(40 * time.Second)},
		{Name: "carol", At: 6 * time.Second, Inbound: worldInbound("+15550000003", "/voice")},
		{Name: "agent", At: 20 * time.Second, Agent: true, Talk: fake.Fixed(30 * time.Second), Inbound: worldInbound("client:agent", "/agent")},
	}
	want := []summary{
		{Name: "alice", Status: "completed", Queues: []engine.QueueVisit{{Queue: "support", Result: "bridged", Wait: 20 * time.Second}}},
		{Name: "bob", At: 5 * time.Second, Status: "completed", Queues: []engine.QueueVisit{{Queue: "support", At: 5 * time.Second, Result: "hangup", Wait: 40 * time.Second}}},
		{Name: "carol", At: 6 * time.Second, Status: "completed", Queues: []engine.QueueVisit{{Queue: "support", At: 6 * time.Second, Result: "bridged", Wait: 44800 * time.Millisecond}}},
		{Name: "agent", At: 20 * time.Second, Status: "completed", Dials: []string{"completed 30s"}},
		{Name: "agent.2", At: 50800 * time.Millisecond, Status: "completed", Dials: []string{"completed 30s"}},
		{Name: "agent.3", At: 81600 * time.Millisecond, Status: "completed", Dials: []string{"canceled 0s"}},
	}
	for range 3 { // the same world, the same results
		w := engine.NewWorld(&engine.Engine{Handler: queueApp, NoTranscript: true}, nil)
		for _, c := range calls {
			if err := w.Add(c); err != nil {
				t.Fatal(err)
			}
		}
		res, err := w.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, summarizeWorld(res)); diff != "" {
			t.Fatalf("calls (-want +got):\n%s", diff)
		}
	}
}

func TestWorldCreateCallErrors(t *testing.T) {
	tests := []struct {
		name string
		p    engine.CallParams
		code int
	}{
		{"no To", engine.CallParams{From: "+15550001111", URL: "/hello"}, 21201},
		{"no From", engine.CallParams{To: "+15550001111", URL: "/hello"}, 21213},
		{"no Url", engine.CallParams{From: "+15550001111", To: "+15550002222"}, 21200},
		{"bad Method", engine.CallParams{From: "+15550001111", To: "+15550002222", URL: "/hello", Method: "PUT"}, 21200},
		{"bad Url", engine.CallParams{From: "+15550001111", To: "+15550002222", URL: "ftp://x"}, 21205},
	}
	w := engine.NewWorld(&engine.Engine{Handler: queueApp}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.CreateCall(0, tt.p)
			var ae *engine.APIError
			if !errors.As(err, &ae) || ae.Code != tt.code || ae.Status != 400 {
				t.Errorf("CreateCall: %v, want a 400 with code %d", err, tt.code)
			}
		})
	}
	if err := w.UpdateCall(0, "CA1", engine.CallUpdate{Status: "busy"}); err == nil {
		t.Error("UpdateCall with Status=busy: no error")
	}
}

// An outbound-api call placed from Go: the party answers, the Twiml runs,
// the call's Direction is outbound-api; a redirect and a hangup steer it.
func TestWorldCreateCall(t *testing.T) {
	e := &engine.Engine{Handler: queueApp, Parties: engine.Parties{{Addr: "+15550003333", Outcome: fake.Answer, After: 2 * time.Second}}}
	w := engine.NewWorld(e, nil)
	sid, err := w.CreateCall(time.Second, engine.CallParams{From: "+15550009999", To: "+15550003333", TwiML: `<Response><Pause length="20"/></Response>`})
	if err != nil {
		t.Fatal(err)
	}
	if sid != w.SID("api1") {
		t.Errorf("SID %s, want %s", sid, w.SID("api1"))
	}
	if err := w.UpdateCall(5*time.Second, sid, engine.CallUpdate{URL: "/hello"}); err != nil {
		t.Fatal(err)
	}
	if err := w.UpdateCall(6*time.Second, sid, engine.CallUpdate{Status: "completed"}); err != nil {
		t.Fatal(err)
	}
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, ev := range res.Events {
		kinds = append(kinds, ev.T.String()+" "+ev.Kind)
	}
	want := []string{"1s call.start", "1s call.ringing", "3s call.answered", "3s pause",
		"5s api", "5s redirect", "5s request", "5s say", "5.8s pause", "6s api", "6s call.end"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if c := res.Calls[0]; c.Status != "completed" || c.Duration != 5*time.Second {
		t.Errorf("call %s after %v, want completed after 5s", c.Status, c.Duration)
	}
}

// An outbound-api call to an address no party lists rings until its
// timeout, and says so in a note, as a Dial leg to one does.
func TestWorldCreateCallUnlisted(t *testing.T) {
	e := &engine.Engine{Handler: queueApp}
	w := engine.NewWorld(e, nil)
	if _, err := w.CreateCall(0, engine.CallParams{From: "+15550009999", To: "+15550003333", URL: "/hello", Timeout: 10}); err != nil {
		t.Fatal(err)
	}
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range res.Events {
		line := ev.T.String() + " " + ev.Kind
		if ev.Kind == engine.KindNote {
			line += fmt.Sprint(" ", ev.Get("message"))
		}
		got = append(got, line)
	}
	want := []string{"0s call.start", "0s call.ringing", "0s note not listed in the scenario: rings until no-answer at its timeout", "10s call.end"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if c := res.Calls[0]; c.Status != "no-answer" {
		t.Errorf("call %s, want no-answer", c.Status)
	}
}

// An outbound-api call's requests carry Direction=outbound-api and, with
// MachineDetection, AnsweredBy; an inbound call's Direction=inbound.
func TestWorldCreateCallParams(t *testing.T) {
	got := map[string][]string{}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		got[r.URL.Path] = append(got[r.URL.Path], r.Form.Get("Direction")+" "+r.Form.Get("AnsweredBy")+" "+r.Form.Get("CallStatus"))
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<Response><Say>Hi</Say></Response>`)
	})
	e := &engine.Engine{Handler: app, Parties: engine.Parties{
		{Addr: "+15550003333", Outcome: fake.Answer, After: time.Second, Voicemail: true},
		{Addr: "+15550004444", Outcome: fake.Answer, After: time.Second},
	}}
	w := engine.NewWorld(e, nil)
	for _, p := range []engine.CallParams{
		{Name: "machine", From: "+15550009999", To: "+15550003333", URL: "/machine", MachineDetection: "DetectMessageEnd"},
		{Name: "human", From: "+15550009999", To: "+15550004444", URL: "/human", MachineDetection: "Enable"},
		{Name: "plain", From: "+15550009999", To: "+15550004444", URL: "/plain"},
	} {
		if _, err := w.CreateCall(0, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Add(engine.WorldCall{Name: "in", Inbound: worldInbound("+15550001111", "/in")}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"/machine": {"outbound-api machine_end_beep in-progress"},
		"/human":   {"outbound-api human in-progress"},
		"/plain":   {"outbound-api  in-progress"},
		"/in":      {"inbound  ringing"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}
