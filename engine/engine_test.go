package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/leakcheck"

	"github.com/google/go-cmp/cmp"
)

// TestMain fails the package if any goroutine outlives the tests.
func TestMain(m *testing.M) { leakcheck.Main(m) }

func party(addr string, o fake.Outcome, after time.Duration) fake.Party {
	return fake.Party{Addr: addr, Outcome: o, After: after}
}

// outcome is what a test checks of a call: each Dial's end, the call's
// status, and the requests made, in order.
type outcome struct {
	Dials    []string
	Status   string
	Requests []string
}

func summarize(res *engine.Result) outcome {
	var o outcome
	o.Status = res.Status
	for _, e := range res.Events {
		switch e.Kind {
		case engine.KindDialEnd:
			o.Dials = append(o.Dials, fmt.Sprintf("%v %v bridged=%v to=%v dur=%v", e.T, e.Get("DialCallStatus"), e.Get("DialBridged"), e.Get("to"), e.Get("DialCallDuration")))
		case engine.KindRequest:
			r := fmt.Sprintf("%v %v %v", e.T, e.Leg, e.Get("URL"))
			for _, k := range []string{"CallStatus", "DialCallStatus", "Digits"} {
				if v := e.Get(k); v != nil {
					r += fmt.Sprintf(" %s=%v", k, v)
				}
			}
			o.Requests = append(o.Requests, strings.TrimSpace(r))
		}
	}
	return o
}

const simulring = `<Response>
  <Dial callerId="+15550002222" action="/after">
    <Number>858-987-6543</Number>
    <Client>jenny</Client>
    <Client>tommy</Client>
  </Dial>
</Response>`

func whisperDoc(body string) string { return "<Response>" + body + "</Response>" }

func TestDialRules(t *testing.T) {
	s := time.Second
	tests := []struct {
		name    string
		docs    engine.Documents
		parties engine.Parties
		policy  engine.Policy
		caller  engine.Caller
		want    outcome
	}{{
		name: "first answer is bridged, the others cancelled",
		docs: engine.Documents{"/voice": simulring, "/after": "<Response/>"},
		parties: engine.Parties{
			{Addr: "client:jenny", Outcome: fake.Answer, After: 3 * s, Talk: 45 * s},
			party("client:tommy", fake.Busy, 0),
			party("+18589876543", fake.Answer, 8*s),
		},
		want: outcome{
			Dials:    []string{"48s completed bridged=true to=client:jenny dur=45"},
			Status:   "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "48s  /after CallStatus=in-progress DialCallStatus=completed"},
		},
	}, {
		name: "all busy",
		docs: engine.Documents{"/voice": simulring, "/after": "<Response/>"},
		parties: engine.Parties{
			party("client:jenny", fake.Busy, s), party("client:tommy", fake.Busy, 0), party("+18589876543", fake.Busy, 2*s),
		},
		want: outcome{Dials: []string{"2s busy bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "2s  /after CallStatus=in-progress DialCallStatus=busy"}},
	}, {
		name: "all failed",
		docs: engine.Documents{"/voice": simulring, "/after": "<Response/>"},
		parties: engine.Parties{
			party("client:jenny", fake.Fail, 0), party("client:tommy", fake.Fail, 0), party("+18589876543", fake.Fail, 0),
		},
		want: outcome{Dials: []string{"0s failed bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "0s  /after CallStatus=in-progress DialCallStatus=failed"}},
	}, {
		name: "busy and failed mixed: busy",
		docs: engine.Documents{"/voice": simulring, "/after": "<Response/>"},
		parties: engine.Parties{
			party("client:jenny", fake.Fail, 0), party("client:tommy", fake.Busy, s), party("+18589876543", fake.Fail, 0),
		},
		want: outcome{Dials: []string{"1s busy bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "1s  /after CallStatus=in-progress DialCallStatus=busy"}},
	}, {
		name: "a rejection and a busy: no-answer, and the others keep ringing meanwhile",
		docs: engine.Documents{"/voice": simulring, "/after": "<Response/>"},
		parties: engine.Parties{
			party("client:jenny", fake.Reject, s), party("client:tommy", fake.Busy, 5*s), party("+18589876543", fake.Busy, 7*s),
		},
		want: outcome{Dials: []string{"7s no-answer bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "7s  /after CallStatus=in-progress DialCallStatus=no-answer"}},
	}, {
		name: "timeout with nobody answering: no-answer at the timeout",
		docs: engine.Documents{"/voice": `<Response><Dial timeout="10" action="/after"><Client>jenny</Client><Client>tommy</Client></Dial></Response>`, "/after": "<Response/>"},
		parties: engine.Parties{
			party("client:jenny", fake.NoAnswer, 0), party("client:tommy", fake.Busy, 2*s),
		},
		want: outcome{Dials: []string{"10s no-answer bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "10s  /after CallStatus=in-progress DialCallStatus=no-answer"}},
	}, {
		name: "an answer exactly at the timeout is too late",
		docs: engine.Documents{"/voice": `<Response><Dial timeout="10"><Client>jenny</Client></Dial></Response>`},
		parties: engine.Parties{
			party("client:jenny", fake.Answer, 10*s),
		},
		want: outcome{Dials: []string{"10s no-answer bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing"}},
	}, {
		name: "ties go to the leg earlier in the document",
		docs: engine.Documents{"/voice": `<Response><Dial><Client>a</Client><Client>b</Client><Client>c</Client></Dial></Response>`},
		parties: engine.Parties{
			{Addr: "client:c", Outcome: fake.Answer, After: 2 * s, Talk: s},
			{Addr: "client:b", Outcome: fake.Answer, After: 2 * s, Talk: s},
			{Addr: "client:a", Outcome: fake.Answer, After: 3 * s, Talk: s},
		},
		want: outcome{Dials: []string{"3s completed bridged=true to=client:b dur=1"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing"}},
	}, {
		name: "whisper Hangup declines: completed, not bridged",
		docs: engine.Documents{
			"/voice":   `<Response><Dial action="/after"><Number url="/whisper">+15550003333</Number><Client>b</Client></Dial></Response>`,
			"/whisper": whisperDoc(`<Say>You have a call</Say><Hangup/>`),
			"/after":   "<Response/>",
		},
		parties: engine.Parties{party("+15550003333", fake.Answer, 2*s), party("client:b", fake.Answer, 4*s)},
		want: outcome{Dials: []string{"3.6s completed bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "2s +15550003333 /whisper CallStatus=in-progress", "3.6s  /after CallStatus=in-progress DialCallStatus=completed"}},
	}, {
		name: "whisper Reject declines",
		docs: engine.Documents{
			"/voice":   `<Response><Dial action="/after"><Number url="/whisper">+15550003333</Number></Dial></Response>`,
			"/whisper": whisperDoc(`<Reject/>`),
			"/after":   "<Response/>",
		},
		parties: engine.Parties{party("+15550003333", fake.Answer, 2*s)},
		want: outcome{Dials: []string{"2s completed bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "2s +15550003333 /whisper CallStatus=in-progress", "2s  /after CallStatus=in-progress DialCallStatus=completed"}},
	}, {
		name: "the party hanging up during the whisper declines",
		docs: engine.Documents{
			"/voice":   `<Response><Dial action="/after"><Number url="/whisper">+15550003333</Number></Dial></Response>`,
			"/whisper": whisperDoc(`<Say>one two three four five six seven eight nine ten</Say>`),
			"/after":   "<Response/>",
		},
		parties: engine.Parties{{Addr: "+15550003333", Outcome: fake.Answer, After: 2 * s, Hangup: 3 * s}},
		want: outcome{Dials: []string{"5s completed bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "2s +15550003333 /whisper CallStatus=in-progress", "5s  /after CallStatus=in-progress DialCallStatus=completed"}},
	}, {
		name: "whisper Gather: the party presses 1 and is bridged",
		docs: engine.Documents{
			"/voice":   `<Response><Dial><Number url="/whisper">+15550003333</Number></Dial></Response>`,
			"/whisper": whisperDoc(`<Gather numDigits="1" action="/accept"><Say>Press 1</Say></Gather><Hangup/>`),
			"/accept":  "<Response/>",
		},
		parties: engine.Parties{{Addr: "+15550003333", Outcome: fake.Answer, After: 2 * s, Talk: 10 * s, Presses: []fake.Press{{Keys: "1", After: 3 * s}}}},
		want: outcome{Dials: []string{"15s completed bridged=true to=+15550003333 dur=13"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "2s +15550003333 /whisper CallStatus=in-progress", "5s +15550003333 /accept CallStatus=in-progress Digits=1"}},
	}, {
		name: "whisper Gather times out and hangs up: declined",
		docs: engine.Documents{
			"/voice":   `<Response><Dial><Number url="/whisper">+15550003333</Number></Dial></Response>`,
			"/whisper": whisperDoc(`<Gather numDigits="1" action="/accept"><Say>Press 1</Say></Gather><Hangup/>`),
		},
		parties: engine.Parties{{Addr: "+15550003333", Outcome: fake.Answer, After: 2 * s, Voicemail: true}},
		want: outcome{Dials: []string{"7.8s completed bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "2s +15550003333 /whisper CallStatus=in-progress"}},
	}, {
		name:   "first-accept: voicemail answers first and declines, the human accepts",
		policy: engine.FirstAccept,
		docs: engine.Documents{
			"/voice":   `<Response><Dial><Client url="/whisper">vm</Client><Client url="/whisper">human</Client></Dial></Response>`,
			"/whisper": whisperDoc(`<Gather numDigits="1" timeout="3" action="/accept"><Say>Press 1</Say></Gather><Hangup/>`),
			"/accept":  "<Response/>",
		},
		parties: engine.Parties{
			{Addr: "client:vm", Outcome: fake.Answer, After: s, Voicemail: true},
			{Addr: "client:human", Outcome: fake.Answer, After: 6 * s, Talk: 30 * s, Presses: []fake.Press{{Keys: "1", After: 2 * s}}},
		},
		want: outcome{Dials: []string{"38s completed bridged=true to=client:human dur=32"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "1s client:vm /whisper CallStatus=in-progress", "6s client:human /whisper CallStatus=in-progress", "8s client:human /accept CallStatus=in-progress Digits=1"}},
	}, {
		name: "first-answer: voicemail answers first and its decline ends the Dial",
		docs: engine.Documents{
			"/voice":   `<Response><Dial><Client url="/whisper">vm</Client><Client url="/whisper">human</Client></Dial></Response>`,
			"/whisper": whisperDoc(`<Gather numDigits="1" timeout="3" action="/accept"><Say>Press 1</Say></Gather><Hangup/>`),
		},
		parties: engine.Parties{
			{Addr: "client:vm", Outcome: fake.Answer, After: s, Voicemail: true},
			{Addr: "client:human", Outcome: fake.Answer, After: 6 * s, Presses: []fake.Press{{Keys: "1", After: 2 * s}}},
		},
		want: outcome{Dials: []string{"4.8s completed bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "1s client:vm /whisper CallStatus=in-progress"}},
	}, {
		name:    "the caller hangs up while the legs ring: canceled, the action requested, its answer not run",
		docs:    engine.Documents{"/voice": simulring, "/after": "<Response><Say>never said</Say></Response>"},
		parties: engine.Parties{party("client:jenny", fake.Answer, 20*s)},
		caller:  engine.Caller{Hangup: 5 * s},
		want: outcome{Dials: []string{"5s canceled bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "5s  /after CallStatus=completed DialCallStatus=canceled"}},
	}, {
		name: "the caller hangs up during the whisper: canceled",
		docs: engine.Documents{
			"/voice":   `<Response><Dial action="/after"><Number url="/whisper">+15550003333</Number></Dial></Response>`,
			"/whisper": whisperDoc(`<Pause length="10"/>`),
			"/after":   "<Response/>",
		},
		parties: engine.Parties{party("+15550003333", fake.Answer, 2*s)},
		caller:  engine.Caller{Hangup: 5 * s},
		want: outcome{Dials: []string{"5s canceled bridged=false to= dur=<nil>"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "2s +15550003333 /whisper CallStatus=in-progress", "5s  /after CallStatus=completed DialCallStatus=canceled"}},
	}, {
		name:    "the caller hangs up during the bridge: completed and bridged",
		docs:    engine.Documents{"/voice": simulring, "/after": "<Response/>"},
		parties: engine.Parties{party("client:jenny", fake.Answer, 3*s)},
		caller:  engine.Caller{Hangup: 60 * s},
		want: outcome{Dials: []string{"1m0s completed bridged=true to=client:jenny dur=57"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "1m0s  /after CallStatus=completed DialCallStatus=completed"}},
	}, {
		name:    "hangupOnStar: the caller presses * during the bridge",
		docs:    engine.Documents{"/voice": `<Response><Dial hangupOnStar="true"><Client>jenny</Client></Dial><Say>Back to you</Say></Response>`},
		parties: engine.Parties{party("client:jenny", fake.Answer, 3*s)},
		caller:  engine.Caller{Presses: []fake.Press{{Keys: "*", After: 5 * s}}},
		want: outcome{Dials: []string{"8s completed bridged=true to=client:jenny dur=5"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing"}},
	}, {
		name:    "timeLimit ends the bridge",
		docs:    engine.Documents{"/voice": `<Response><Dial timeLimit="20"><Client>jenny</Client></Dial></Response>`},
		parties: engine.Parties{party("client:jenny", fake.Answer, 3*s)},
		want: outcome{Dials: []string{"23s completed bridged=true to=client:jenny dur=20"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing"}},
	}, {
		name: "sequential: a declined leg moves on to the next noun",
		docs: engine.Documents{
			"/voice":   `<Response><Dial sequential="true" timeout="10"><Client url="/whisper">a</Client><Client>b</Client><Client>c</Client></Dial></Response>`,
			"/whisper": whisperDoc(`<Reject/>`),
		},
		parties: engine.Parties{
			party("client:a", fake.Answer, 2*s),
			party("client:b", fake.NoAnswer, 0),
			{Addr: "client:c", Outcome: fake.Answer, After: 4 * s, Talk: 10 * s},
		},
		want: outcome{Dials: []string{"26s completed bridged=true to=client:c dur=10"}, Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "2s client:a /whisper CallStatus=in-progress"}},
	}, {
		name: "caller Gather: digits go to the action",
		docs: engine.Documents{
			"/voice": `<Response><Gather numDigits="1" action="/menu"><Say>Press 1 for sales</Say></Gather><Say>Bye</Say></Response>`,
			"/menu":  `<Response><Hangup/></Response>`,
		},
		caller: engine.Caller{Presses: []fake.Press{{Keys: "1", After: 2 * s}}},
		want: outcome{Status: "completed",
			Requests: []string{"0s  /voice CallStatus=ringing", "2s  /menu CallStatus=in-progress Digits=1"}},
	}, {
		name: "Reject as the first verb: busy",
		docs: engine.Documents{"/voice": `<Response><Reject reason="busy"/></Response>`},
		want: outcome{Status: "busy", Requests: []string{"0s  /voice CallStatus=ringing"}},
	}, {
		name: "Reject as the first verb: no-answer",
		docs: engine.Documents{"/voice": `<Response><Reject/></Response>`},
		want: outcome{Status: "no-answer", Requests: []string{"0s  /voice CallStatus=ringing"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &engine.Engine{Handler: tt.docs, Parties: tt.parties, Policy: tt.policy}
			in := engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice", Caller: tt.caller}
			var first []engine.Event
			for i := range 20 {
				res, err := e.Call(context.Background(), in)
				if err != nil {
					t.Fatalf("Call: %v", err)
				}
				if i == 0 {
					first = res.Events
					if diff := cmp.Diff(tt.want, summarize(res)); diff != "" {
						var b strings.Builder
						engine.WriteText(&b, res.Events)
						t.Fatalf("outcome (-want +got):\n%s\ntranscript:\n%s", diff, b.String())
					}
					continue
				}
				if diff := cmpDiff(first, res.Events); diff != "" {
					t.Fatalf("run %d differs from run 0 (-first +this):\n%s", i, diff)
				}
			}
		})
	}
}

// The two examples of Twilio's <Client> documentation page, run as calls.
func TestClientPageExamples(t *testing.T) {
	s := time.Second
	tests := []struct {
		name    string
		doc     string
		parties engine.Parties
		want    []string
	}{{
		name: "dialing to a client",
		doc: `<?xml version="1.0" encoding="UTF-8"?>
<Response>
    <Dial>
        <Client>jenny</Client>
    </Dial>
</Response>
`,
		parties: engine.Parties{{Addr: "client:jenny", Outcome: fake.Answer, After: 4 * s, Talk: 60 * s}},
		want: []string{
			"leg.initiated client:jenny From=+15550001111 To=client:jenny",
			"dial.end - DialCallStatus=completed DialBridged=true to=client:jenny",
		},
	}, {
		name: "simultaneous dialing",
		doc: `<?xml version="1.0" encoding="UTF-8"?>
<Response>
    <Dial callerId="+1888XXXXXXX">
        <Number>858-987-6543</Number>
        <Client>jenny</Client>
        <Client>tommy</Client>
    </Dial>
</Response>
`,
		parties: engine.Parties{
			{Addr: "+18589876543", Outcome: fake.Answer, After: 8 * s},
			{Addr: "client:jenny", Outcome: fake.Answer, After: 3 * s, Talk: 45 * s},
			{Addr: "client:tommy", Outcome: fake.Busy},
		},
		want: []string{
			"diagnostic - code=13214 level=warning",
			"leg.initiated +18589876543 From=+15550001111 To=+18589876543",
			"leg.initiated client:jenny From=+15550001111 To=client:jenny",
			"leg.initiated client:tommy From=+15550001111 To=client:tommy",
			"dial.end - DialCallStatus=completed DialBridged=true to=client:jenny",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &engine.Engine{Handler: engine.Documents{"/voice": tt.doc}, Parties: tt.parties}
			res, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ev := range res.Events {
				leg := ev.Leg
				if leg == "" {
					leg = "-"
				}
				switch ev.Kind {
				case engine.KindDiagnostic:
					got = append(got, fmt.Sprintf("%s %s code=%v level=%v", ev.Kind, leg, ev.Get("code"), ev.Get("level")))
				case engine.KindLegInitiated:
					got = append(got, fmt.Sprintf("%s %s From=%v To=%v", ev.Kind, leg, ev.Get("From"), ev.Get("To")))
				case engine.KindDialEnd:
					got = append(got, fmt.Sprintf("%s %s DialCallStatus=%v DialBridged=%v to=%v", ev.Kind, leg, ev.Get("DialCallStatus"), ev.Get("DialBridged"), ev.Get("to")))
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
