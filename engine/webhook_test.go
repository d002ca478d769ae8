package engine_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/signature"

	"github.com/google/go-cmp/cmp"
)

// These tests run whole calls against applications that misbehave, over
// HTTP on loopback and in process, and check that each failure shows in
// the transcript with Twilio's code and that the call goes on as Twilio's
// would (docs/twilio.md, “Requests and responses”).

// lines returns the transcript in a compact form for comparisons: time,
// kind, leg, then the fields, without the SIDs and without the messages of
// diagnostics, which name the server's port and the operating system's
// words for a refused connection.
func lines(events []engine.Event) []string {
	var out []string
	for _, e := range events {
		leg := e.Leg
		if leg == "" {
			leg = "-"
		}
		l := fmt.Sprintf("%g %s %s", e.T.Seconds(), e.Kind, leg)
		for _, a := range e.Attrs {
			switch a.Key {
			case "message", "CallSid", "DialCallSid", "From", "To":
				continue
			}
			v := fmt.Sprint(a.Value())
			if v == "" || strings.ContainsAny(v, " \"") {
				v = strconv.Quote(v)
			}
			l += " " + a.Key + "=" + v
		}
		out = append(out, l)
	}
	return out
}

// without returns the events but those of the given kinds.
func without(events []engine.Event, kinds ...string) []engine.Event {
	return slices.DeleteFunc(slices.Clone(events), func(e engine.Event) bool {
		return slices.Contains(kinds, e.Kind)
	})
}

// serve starts a loopback server for h, closed when the test ends, and
// returns it.
func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// deadServer returns the URL of a loopback server that has stopped
// listening.
func deadServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// overrides serves docs, except at the paths of bad, which answer as bad
// says.
func overrides(docs engine.Documents, bad map[string]http.HandlerFunc) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", docs)
	for path, h := range bad {
		mux.Handle(path, h)
	}
	return mux
}

func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Error(w, http.StatusText(code), code) }
}

func answer(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType == "" {
			w.Header()["Content-Type"] = nil // no header, and no sniffing
		} else {
			w.Header().Set("Content-Type", contentType)
		}
		w.Write([]byte(body))
	}
}

func redirectTo(path string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, path, http.StatusFound) }
}

// hang answers nothing until release is closed or the client goes away.
// It reads the request's body first: until then the server does not
// watch the connection, so the request's context would not end when the
// client gives up.
func hang(release <-chan struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
}

// padded returns a TwiML document of exactly n bytes that hangs up.
func padded(n int) string {
	const head, tail = "<Response><!--", "--><Hangup/></Response>"
	return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
}

const (
	caller = "+15550001111"
	called = "+15550002222"
)

// Timeouts of the tests where a server never answers one request, so
// that each waits out the real FetchTimeout once. lonelyTimeout is for a
// call that makes no other request: any timeout gives the same
// transcript. shortTimeout is for a call whose other requests must be
// answered meanwhile: long enough for that on a loaded machine under the
// race detector.
const (
	lonelyTimeout = 10 * time.Millisecond
	shortTimeout  = 250 * time.Millisecond
)

func TestWebhookFailures(t *testing.T) {
	s := time.Second
	gatherDoc := `<Response><Gather numDigits="1" action="/bad"><Say>Press 1</Say></Gather><Say>never said</Say></Response>`
	dialDoc := `<Response><Dial action="/bad"><Client>jenny</Client></Dial><Say>never said</Say></Response>`
	tests := []struct {
		name    string
		base    func(t *testing.T) string // no handler: where requests go
		docs    engine.Documents
		bad     map[string]http.HandlerFunc
		hang    string // a path that never answers
		timeout time.Duration
		caller  engine.Caller
		parties engine.Parties
		want    []string
		wantErr error // Call's error: the application cannot be reached
	}{{
		name:    "nobody listening: 11205, and Twilio answers to say so",
		base:    deadServer,
		wantErr: engine.ErrUnreachable,
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=11205 level=error",
			"0 call.answered -",
			"0 call.end - CallStatus=completed CallDuration=0",
		},
	}, {
		name:    "a host that does not resolve: 11210",
		base:    func(*testing.T) string { return "http://ivr.example.invalid" },
		wantErr: engine.ErrUnreachable,
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=11210 level=error",
			"0 call.answered -",
			"0 call.end - CallStatus=completed CallDuration=0",
		},
	}, {
		name: "404 at the voice URL: 11217",
		bad:  map[string]http.HandlerFunc{"/voice": status(http.StatusNotFound)},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=11217 level=error",
			"0 call.answered -",
			"0 call.end - CallStatus=completed CallDuration=0",
		},
	}, {
		name: "500 at the voice URL: 11217",
		bad:  map[string]http.HandlerFunc{"/voice": status(http.StatusInternalServerError)},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=11217 level=error",
			"0 call.answered -",
			"0 call.end - CallStatus=completed CallDuration=0",
		},
	}, {
		name:   "503 at a Gather action: 11217, and the verbs after the Gather never run",
		docs:   engine.Documents{"/voice": gatherDoc},
		bad:    map[string]http.HandlerFunc{"/bad": status(http.StatusServiceUnavailable)},
		caller: engine.Caller{Presses: []fake.Press{{Keys: "1", After: 2 * s}}},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 call.answered -",
			"0 gather - Timeout=5 NumDigits=1 FinishOnKey=#",
			"0 say - Text=\"Press 1\" Loop=1 Duration=0.8",
			"2 press - Keys=1",
			"2 gather.end - Digits=1 FinishedOnKey=\"\"",
			"2 request - Method=POST URL=/bad CallStatus=in-progress Digits=1 FinishedOnKey=\"\"",
			"2 diagnostic - code=11217 level=error",
			"2 call.end - CallStatus=completed CallDuration=2",
		},
	}, {
		name:    "500 at a Dial action: 11217, and the call ends after the Dial",
		docs:    engine.Documents{"/voice": dialDoc},
		bad:     map[string]http.HandlerFunc{"/bad": status(http.StatusInternalServerError)},
		parties: engine.Parties{{Addr: "client:jenny", Outcome: fake.Answer, After: 3 * s, Talk: 10 * s}},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 call.answered -",
			"0 dial.start - Nouns=1 Timeout=30 Policy=first-answer Sequential=false AnswerOnBridge=false",
			"0 leg.initiated client:jenny",
			"0 leg.ringing client:jenny",
			"3 leg.answered client:jenny",
			"3 leg.accepted client:jenny",
			"3 leg.bridged client:jenny",
			"13 leg.hangup client:jenny",
			"13 leg.end client:jenny CallStatus=completed CallDuration=10 Reason=\"the party hung up\"",
			"13 dial.end - DialCallStatus=completed DialCallDuration=10 DialBridged=true to=client:jenny",
			"13 request - Method=POST URL=/bad CallStatus=in-progress DialBridged=true DialCallDuration=10 DialCallStatus=completed",
			"13 diagnostic - code=11217 level=error",
			"13 call.end - CallStatus=completed CallDuration=13",
		},
	}, {
		name: "a redirect loop: 11215 after ten redirects",
		bad:  map[string]http.HandlerFunc{"/voice": redirectTo("/voice")},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=11215 level=error",
			"0 call.answered -",
			"0 call.end - CallStatus=completed CallDuration=0",
		},
	}, {
		name: "JSON instead of TwiML: 12300",
		bad:  map[string]http.HandlerFunc{"/voice": answer("application/json", "<Response><Hangup/></Response>")},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=12300 level=error",
			"0 call.answered -",
			"0 call.end - CallStatus=completed CallDuration=0",
		},
	}, {
		name: "no Content-Type: 12300",
		bad:  map[string]http.HandlerFunc{"/voice": answer("", "<Response><Hangup/></Response>")},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=12300 level=error",
			"0 call.answered -",
			"0 call.end - CallStatus=completed CallDuration=0",
		},
	}, {
		name: "an empty body: 11770",
		bad:  map[string]http.HandlerFunc{"/voice": answer("text/xml", "")},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=11770 level=error",
			"0 call.answered -",
			"0 call.end - CallStatus=completed CallDuration=0",
		},
	}, {
		name: "a body one byte over 64 KB: 11750",
		bad:  map[string]http.HandlerFunc{"/voice": answer("text/xml", padded(64<<10+1))},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=11750 level=error",
			"0 call.answered -",
			"0 call.end - CallStatus=completed CallDuration=0",
		},
	}, {
		name: "a body of exactly 64 KB runs",
		bad:  map[string]http.HandlerFunc{"/voice": answer("application/xml", padded(64<<10))},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 call.answered -",
			"0 hangup -",
			"0 call.end - CallStatus=completed CallDuration=0",
		},
	}, {
		name:    "a server that never answers: 11205 at the fetch timeout",
		hang:    "/voice",
		timeout: lonelyTimeout,
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=11205 level=error",
			"0 call.answered -",
			"0 call.end - CallStatus=completed CallDuration=0",
		},
	}}
	for _, tt := range tests {
		in := engine.Inbound{From: caller, To: called, URL: "/voice", Caller: tt.caller}
		check := func(t *testing.T, e *engine.Engine) {
			t.Helper()
			res, err := e.Call(t.Context(), in)
			if !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
				t.Fatalf("Call: %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, lines(res.Events)); diff != "" {
				var b strings.Builder
				engine.WriteText(&b, res.Events)
				t.Errorf("transcript (-want +got):\n%s\nfull transcript:\n%s", diff, b.String())
			}
		}
		if tt.base != nil {
			t.Run(tt.name, func(t *testing.T) {
				check(t, &engine.Engine{BaseURL: tt.base(t), Parties: tt.parties, FetchTimeout: tt.timeout})
			})
			continue
		}
		// app returns the application, and the function that releases
		// its hanging path, if any: call it before the server closes.
		app := func() (http.Handler, func()) {
			bad := map[string]http.HandlerFunc{}
			maps.Copy(bad, tt.bad)
			release := make(chan struct{})
			if tt.hang != "" {
				bad[tt.hang] = hang(release)
			}
			return overrides(tt.docs, bad), func() { close(release) }
		}
		t.Run(tt.name+"/http", func(t *testing.T) {
			h, release := app()
			srv := serve(t, h)
			t.Cleanup(release) // cleanups run last-in first-out
			check(t, &engine.Engine{BaseURL: srv.URL, Client: srv.Client(), Parties: tt.parties, FetchTimeout: tt.timeout})
		})
		t.Run(tt.name+"/in-process", func(t *testing.T) {
			h, release := app()
			t.Cleanup(release)
			check(t, &engine.Engine{Handler: h, Parties: tt.parties, FetchTimeout: tt.timeout})
		})
	}
}

func TestFallback(t *testing.T) {
	fallbackDoc := `<Response><Say>Sorry, try again later</Say><Hangup/></Response>`
	tests := []struct {
		name string
		bad  map[string]http.HandlerFunc
		want []string
	}{{
		name: "the voice URL answers 500: the fallback runs",
		bad:  map[string]http.HandlerFunc{"/voice": status(http.StatusInternalServerError)},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=11217 level=error",
			"0 request - Method=POST URL=/fallback CallStatus=ringing ErrorCode=11217 ErrorUrl=/voice",
			"0 call.answered -",
			"0 say - Text=\"Sorry, try again later\" Loop=1 Duration=1.6",
			"1.6 hangup -",
			"1.6 call.end - CallStatus=completed CallDuration=2",
		},
	}, {
		name: "the voice URL answers an HTML page, not TwiML: the fallback runs",
		bad:  map[string]http.HandlerFunc{"/voice": answer("text/html", "<html></html>")},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=12102 level=error",
			"0 request - Method=POST URL=/fallback CallStatus=ringing ErrorCode=12102 ErrorUrl=/voice",
			"0 call.answered -",
			"0 say - Text=\"Sorry, try again later\" Loop=1 Duration=1.6",
			"1.6 hangup -",
			"1.6 call.end - CallStatus=completed CallDuration=2",
		},
	}, {
		name: "the voice URL's TwiML does not parse: the fallback runs",
		bad:  map[string]http.HandlerFunc{"/voice": answer("text/xml", "<Response><Say>unclosed</Response>")},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=12100 level=error",
			"0 request - Method=POST URL=/fallback CallStatus=ringing ErrorCode=12100 ErrorUrl=/voice",
			"0 call.answered -",
			"0 say - Text=\"Sorry, try again later\" Loop=1 Duration=1.6",
			"1.6 hangup -",
			"1.6 call.end - CallStatus=completed CallDuration=2",
		},
	}, {
		name: "the voice URL works: the fallback is never requested",
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 call.answered -",
			"0 say - Text=Welcome Loop=1 Duration=0.4",
			"0.4 call.end - CallStatus=completed CallDuration=0",
		},
	}, {
		name: "a Gather action fails: the fallback runs, told which URL failed",
		bad: map[string]http.HandlerFunc{
			"/voice": answer("text/xml", `<Response><Gather action="/menu" numDigits="1"><Say>Press 1</Say></Gather></Response>`),
			"/menu":  status(http.StatusServiceUnavailable),
		},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 call.answered -",
			"0 gather - Timeout=5 NumDigits=1 FinishOnKey=#",
			"0 say - Text=\"Press 1\" Loop=1 Duration=0.8",
			"1 press - Keys=1",
			"1 gather.end - Digits=1 FinishedOnKey=\"\"",
			"1 request - Method=POST URL=/menu CallStatus=in-progress Digits=1 FinishedOnKey=\"\"",
			"1 diagnostic - code=11217 level=error",
			"1 request - Method=POST URL=/fallback CallStatus=in-progress ErrorCode=11217 ErrorUrl=/menu",
			"1 say - Text=\"Sorry, try again later\" Loop=1 Duration=1.6",
			"2.6 hangup -",
			"2.6 call.end - CallStatus=completed CallDuration=3",
		},
	}, {
		name: "both fail: two diagnostics, and the call ends",
		bad: map[string]http.HandlerFunc{
			"/voice":    status(http.StatusInternalServerError),
			"/fallback": status(http.StatusNotFound),
		},
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 diagnostic - code=11217 level=error",
			"0 request - Method=POST URL=/fallback CallStatus=ringing ErrorCode=11217 ErrorUrl=/voice",
			"0 diagnostic - code=11217 level=error",
			"0 call.answered -",
			"0 call.end - CallStatus=completed CallDuration=0",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := engine.Documents{"/voice": `<Response><Say>Welcome</Say></Response>`, "/fallback": fallbackDoc}
			srv := serve(t, overrides(docs, tt.bad))
			e := &engine.Engine{BaseURL: srv.URL, Client: srv.Client()}
			res, err := e.Call(t.Context(), engine.Inbound{From: caller, To: called, URL: "/voice", Fallback: "/fallback",
				Caller: engine.Caller{Presses: []fake.Press{{Keys: "1", After: time.Second}}}})
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if diff := cmp.Diff(tt.want, lines(res.Events)); diff != "" {
				t.Errorf("transcript (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWhisperFailure checks that a whisper whose document fails declines
// its leg: under first-accept the other legs keep going; under
// first-answer the Dial ends, completed and not bridged.
func TestWhisperFailure(t *testing.T) {
	s := time.Second
	docs := engine.Documents{
		"/voice": `<Response><Dial action="/after">` +
			`<Client url="/whisper-bad">jenny</Client>` +
			`<Client url="/whisper">tommy</Client>` +
			`</Dial></Response>`,
		"/whisper": `<Response><Gather numDigits="1" action="/accept"><Say>Press 1</Say></Gather><Hangup/></Response>`,
		"/accept":  `<Response/>`,
		"/after":   `<Response/>`,
	}
	parties := engine.Parties{
		{Addr: "client:jenny", Outcome: fake.Answer, After: 2 * s, Presses: []fake.Press{{Keys: "1", After: s}}},
		{Addr: "client:tommy", Outcome: fake.Answer, After: 5 * s, Talk: 20 * s, Presses: []fake.Press{{Keys: "1", After: s}}},
	}
	tests := []struct {
		name   string
		policy engine.Policy
		bad    http.HandlerFunc
		want   []string
	}{{
		name:   "first-accept: 500 declines jenny, tommy is bridged",
		policy: engine.FirstAccept,
		bad:    status(http.StatusInternalServerError),
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 call.answered -",
			"0 dial.start - Nouns=2 Timeout=30 Policy=first-accept Sequential=false AnswerOnBridge=false",
			"0 leg.initiated client:jenny",
			"0 leg.initiated client:tommy",
			"0 leg.ringing client:jenny",
			"0 leg.ringing client:tommy",
			"2 leg.answered client:jenny",
			"2 request client:jenny Method=POST URL=/whisper-bad CallStatus=in-progress",
			"2 diagnostic client:jenny code=11217 level=error",
			"2 leg.declined client:jenny Reason=\"the whisper document failed\"",
			"2 leg.end client:jenny CallStatus=completed CallDuration=0 Reason=\"the whisper document failed\"",
			"5 leg.answered client:tommy",
			"5 request client:tommy Method=POST URL=/whisper CallStatus=in-progress",
			"5 gather client:tommy Timeout=5 NumDigits=1 FinishOnKey=#",
			"5 say client:tommy Text=\"Press 1\" Loop=1 Duration=0.8",
			"6 press client:tommy Keys=1",
			"6 gather.end client:tommy Digits=1 FinishedOnKey=\"\"",
			"6 request client:tommy Method=POST URL=/accept CallStatus=in-progress Digits=1 FinishedOnKey=\"\"",
			"6 leg.accepted client:tommy",
			"6 leg.bridged client:tommy",
			"26 leg.hangup client:tommy",
			"26 leg.end client:tommy CallStatus=completed CallDuration=21 Reason=\"the party hung up\"",
			"26 dial.end - DialCallStatus=completed DialCallDuration=21 DialBridged=true to=client:tommy",
			"26 request - Method=POST URL=/after CallStatus=in-progress DialBridged=true DialCallDuration=21 DialCallStatus=completed",
			"26 call.end - CallStatus=completed CallDuration=26",
		},
	}, {
		name:   "first-accept: an empty whisper document declines jenny, tommy is bridged",
		policy: engine.FirstAccept,
		bad:    answer("text/xml", "  \n"),
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 call.answered -",
			"0 dial.start - Nouns=2 Timeout=30 Policy=first-accept Sequential=false AnswerOnBridge=false",
			"0 leg.initiated client:jenny",
			"0 leg.initiated client:tommy",
			"0 leg.ringing client:jenny",
			"0 leg.ringing client:tommy",
			"2 leg.answered client:jenny",
			"2 request client:jenny Method=POST URL=/whisper-bad CallStatus=in-progress",
			"2 diagnostic client:jenny code=11770 level=error",
			"2 leg.declined client:jenny Reason=\"the whisper document failed\"",
			"2 leg.end client:jenny CallStatus=completed CallDuration=0 Reason=\"the whisper document failed\"",
			"5 leg.answered client:tommy",
			"5 request client:tommy Method=POST URL=/whisper CallStatus=in-progress",
			"5 gather client:tommy Timeout=5 NumDigits=1 FinishOnKey=#",
			"5 say client:tommy Text=\"Press 1\" Loop=1 Duration=0.8",
			"6 press client:tommy Keys=1",
			"6 gather.end client:tommy Digits=1 FinishedOnKey=\"\"",
			"6 request client:tommy Method=POST URL=/accept CallStatus=in-progress Digits=1 FinishedOnKey=\"\"",
			"6 leg.accepted client:tommy",
			"6 leg.bridged client:tommy",
			"26 leg.hangup client:tommy",
			"26 leg.end client:tommy CallStatus=completed CallDuration=21 Reason=\"the party hung up\"",
			"26 dial.end - DialCallStatus=completed DialCallDuration=21 DialBridged=true to=client:tommy",
			"26 request - Method=POST URL=/after CallStatus=in-progress DialBridged=true DialCallDuration=21 DialCallStatus=completed",
			"26 call.end - CallStatus=completed CallDuration=26",
		},
	}, {
		name:   "first-answer: 500 declines jenny, the winner, and ends the Dial",
		policy: engine.FirstAnswer,
		bad:    status(http.StatusInternalServerError),
		want: []string{
			"0 call.start -",
			"0 request - Method=POST URL=/voice CallStatus=ringing",
			"0 call.answered -",
			"0 dial.start - Nouns=2 Timeout=30 Policy=first-answer Sequential=false AnswerOnBridge=false",
			"0 leg.initiated client:jenny",
			"0 leg.initiated client:tommy",
			"0 leg.ringing client:jenny",
			"0 leg.ringing client:tommy",
			"2 leg.answered client:jenny",
			"2 leg.end client:tommy CallStatus=canceled Reason=\"client:jenny answered first\"",
			"2 request client:jenny Method=POST URL=/whisper-bad CallStatus=in-progress",
			"2 diagnostic client:jenny code=11217 level=error",
			"2 leg.declined client:jenny Reason=\"the whisper document failed\"",
			"2 leg.end client:jenny CallStatus=completed CallDuration=0 Reason=\"the whisper document failed\"",
			"2 dial.end - DialCallStatus=completed DialBridged=false to=\"\"",
			"2 request - Method=POST URL=/after CallStatus=in-progress DialBridged=false DialCallStatus=completed",
			"2 call.end - CallStatus=completed CallDuration=2",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, overrides(docs, map[string]http.HandlerFunc{"/whisper-bad": tt.bad}))
			e := &engine.Engine{BaseURL: srv.URL, Client: srv.Client(), Parties: parties, Policy: tt.policy}
			res, err := e.Call(t.Context(), engine.Inbound{From: caller, To: called, URL: "/voice"})
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if diff := cmp.Diff(tt.want, lines(res.Events)); diff != "" {
				t.Errorf("transcript (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStatusCallbackFailure checks that a status callback that fails is
// reported, as a warning, and changes nothing else in the call: the
// transcript without diagnostics is that of a run whose callbacks
// succeed.
func TestStatusCallbackFailure(t *testing.T) {
	s := time.Second
	docs := engine.Documents{
		"/voice": `<Response><Dial action="/after">` +
			`<Client statusCallback="/status" statusCallbackEvent="initiated ringing answered completed">jenny</Client>` +
			`<Number statusCallback="/status">+15550003333</Number>` +
			`</Dial><Say>never said</Say></Response>`,
		"/after": `<Response><Say>Goodbye</Say></Response>`,
	}
	parties := engine.Parties{
		{Addr: "client:jenny", Outcome: fake.Answer, After: 4 * s, Talk: 30 * s},
		{Addr: "+15550003333", Outcome: fake.Busy, After: s},
	}
	call := func(t *testing.T, status http.HandlerFunc, timeout time.Duration) *engine.Result {
		t.Helper()
		release := make(chan struct{})
		expired := make(chan struct{}, 1) // engine.ExpireFetches: no real timeout waited out
		if status == nil {
			// The first callback never gets an answer; the others do.
			var once sync.Once
			status = func(w http.ResponseWriter, r *http.Request) {
				first := false
				once.Do(func() { first = true })
				if first {
					expired <- struct{}{} // it will not answer: its time is up
					hang(release)(w, r)
					return
				}
				w.WriteHeader(http.StatusNoContent)
			}
		}
		srv := serve(t, overrides(docs, map[string]http.HandlerFunc{"/status": status}))
		t.Cleanup(func() { close(release) }) // before the server closes
		e := &engine.Engine{BaseURL: srv.URL, Client: srv.Client(), Parties: parties, FetchTimeout: timeout}
		engine.ExpireFetches(e, expired)
		res, err := e.Call(t.Context(), engine.Inbound{From: caller, To: called, URL: "/voice"})
		if err != nil {
			t.Fatalf("Call: %v", err)
		}
		return res
	}
	ok := call(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }, 0)
	if n := len(without(ok.Events, engine.KindDiagnostic)); n != len(ok.Events) {
		t.Fatalf("the run whose callbacks succeed has %d diagnostics:\n%q", len(ok.Events)-n, lines(ok.Events))
	}
	tests := []struct {
		name    string
		status  http.HandlerFunc // nil: the first callback never gets an answer
		timeout time.Duration
		want    []string // the diagnostics
	}{{
		name:   "500",
		status: status(http.StatusInternalServerError),
		want: []string{
			"0 diagnostic client:jenny code=11217 level=warning",
			"0 diagnostic client:jenny code=11217 level=warning",
			"1 diagnostic +15550003333 code=11217 level=warning",
			"4 diagnostic client:jenny code=11217 level=warning",
			"34 diagnostic client:jenny code=11217 level=warning",
		},
	}, {
		name:   "a redirect loop",
		status: redirectTo("/status"),
		want: []string{
			"0 diagnostic client:jenny code=11215 level=warning",
			"0 diagnostic client:jenny code=11215 level=warning",
			"1 diagnostic +15550003333 code=11215 level=warning",
			"4 diagnostic client:jenny code=11215 level=warning",
			"34 diagnostic client:jenny code=11215 level=warning",
		},
	}, {
		name:    "no answer to the first callback",
		status:  nil,
		timeout: shortTimeout,
		want:    []string{"0 diagnostic client:jenny code=11205 level=warning"},
	}, {
		name:   "HTML, empty or not: a status callback's answer is not TwiML, so no failure",
		status: answer("text/html", ""),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := call(t, tt.status, tt.timeout)
			var diags []engine.Event
			for _, e := range res.Events {
				if e.Kind == engine.KindDiagnostic {
					diags = append(diags, e)
				}
			}
			if diff := cmp.Diff(tt.want, lines(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(lines(ok.Events), lines(without(res.Events, engine.KindDiagnostic))); diff != "" {
				t.Errorf("the rest of the transcript, against a run whose callbacks succeed (-ok +failing):\n%s", diff)
			}
		})
	}
}

// TestCookies checks that cookies the application sets come back on the
// later requests of the same call, and not on another call's.
func TestCookies(t *testing.T) {
	var mu sync.Mutex
	var got []string // path and the cookie it carried
	calls := 0
	docs := engine.Documents{
		"/menu":  `<Response><Dial action="/after"><Client>jenny</Client></Dial></Response>`,
		"/after": `<Response><Say>Goodbye</Say></Response>`,
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookie := "none"
		if c, err := r.Cookie("session"); err == nil {
			cookie = c.Value
		}
		mu.Lock()
		got = append(got, r.URL.Path+" "+cookie)
		if r.URL.Path == "/voice" {
			calls++
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "call" + strconv.Itoa(calls), Path: "/"})
		}
		mu.Unlock()
		if r.URL.Path == "/voice" {
			answer("text/xml", `<Response><Gather numDigits="1" action="/menu"><Say>Press 1</Say></Gather></Response>`)(w, r)
			return
		}
		docs.ServeHTTP(w, r)
	})
	srv := serve(t, h)
	e := &engine.Engine{BaseURL: srv.URL, Client: srv.Client(),
		Parties: engine.Parties{{Addr: "client:jenny", Outcome: fake.Answer, After: time.Second, Talk: time.Second}}}
	in := engine.Inbound{From: caller, To: called, URL: "/voice", Caller: engine.Caller{Presses: []fake.Press{{Keys: "1"}}}}
	for range 2 {
		if _, err := e.Call(t.Context(), in); err != nil {
			t.Fatalf("Call: %v", err)
		}
	}
	want := []string{
		"/voice none", "/menu call1", "/after call1",
		"/voice none", "/menu call2", "/after call2",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cookies received (-want +got):\n%s", diff)
	}
}

// validator is an application that checks the X-Twilio-Signature of every
// request twice: with signature.Check, and by the rule of docs/twilio.md,
// “Requests and responses”, written out again here, so that a mistake
// shared by Sign and Check
// does not go unseen.
type validator struct {
	token string
	next  http.Handler

	mu   sync.Mutex
	seen []checked
}

// checked is one request a validator received.
type checked struct {
	Method, Path string
	Valid, Rule  bool // by signature.Check; by the rule
}

func (v *validator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	full := scheme + "://" + r.Host + r.URL.RequestURI()
	sig := r.Header.Get("X-Twilio-Signature")
	var form url.Values
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		form = r.PostForm
	}
	c := checked{
		Method: r.Method,
		Path:   r.URL.Path,
		Valid:  signature.Check(v.token, full, form, sig) == nil,
		Rule:   sig != "" && sig == twilioSignature(v.token, full, r.Host, r.TLS != nil, form),
	}
	v.mu.Lock()
	v.seen = append(v.seen, c)
	v.mu.Unlock()
	if !c.Valid {
		http.Error(w, "invalid signature", http.StatusForbidden)
		return
	}
	v.next.ServeHTTP(w, r)
}

func (v *validator) checked() []checked {
	v.mu.Lock()
	defer v.mu.Unlock()
	return slices.Clone(v.seen)
}

// twilioSignature computes X-Twilio-Signature by the rule of
// docs/twilio.md, “Requests and responses”
// (https://www.twilio.com/docs/usage/security#validating-requests): the full URL (for https, without its port), then each POST
// parameter as name and value, names in byte order; HMAC-SHA1 keyed with
// the auth token; base64.
func twilioSignature(token, full, host string, https bool, form url.Values) string {
	if https {
		if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
			full = strings.Replace(full, "://"+host, "://"+host[:i], 1)
		}
	}
	text := full
	names := slices.Sorted(func(yield func(string) bool) {
		for name := range form {
			if !yield(name) {
				return
			}
		}
	})
	for _, name := range names {
		for _, value := range form[name] {
			text += name + value
		}
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(text))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// TestSignatureVector checks the validator of TestSignatures against
// Twilio's published example.
func TestSignatureVector(t *testing.T) {
	form := url.Values{
		"CallSid": {"CA1234567890ABCDE"},
		"Caller":  {"+14158675310"},
		"Digits":  {"1234"},
		"From":    {"+14158675310"},
		"To":      {"+18005551212"},
	}
	tests := []struct {
		name, token, signature string
		want                   checked
	}{
		{"the published signature", "12345", "L/OH5YylLD5NRKLltdqwSvS0BnU=",
			checked{Method: "POST", Path: "/myapp.php", Valid: true, Rule: true}},
		{"another token", "54321", "L/OH5YylLD5NRKLltdqwSvS0BnU=",
			checked{Method: "POST", Path: "/myapp.php"}},
		{"no signature", "12345", "",
			checked{Method: "POST", Path: "/myapp.php"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &validator{token: tt.token, next: http.NotFoundHandler()}
			r := httptest.NewRequest(http.MethodPost, "https://example.com/myapp.php?foo=1&bar=2", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.signature != "" {
				r.Header.Set("X-Twilio-Signature", tt.signature)
			}
			v.ServeHTTP(httptest.NewRecorder(), r)
			if diff := cmp.Diff([]checked{tt.want}, v.checked()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestSignatures runs whole calls against an application that checks the
// signature of every request: the voice URL (through a redirect), a
// Gather action, a Dial's whisper and its Gather action, status
// callbacks, the Dial action and a Redirect, by POST and by GET, over
// HTTP and HTTPS (whose port is not signed).
func TestSignatures(t *testing.T) {
	const token = "12345"
	docs := func(method string) engine.Documents {
		m := `method="` + method + `"`
		return engine.Documents{
			"/voice": `<Response><Gather numDigits="1" action="/menu?lang=en" ` + m + `><Say>Press 1</Say></Gather></Response>`,
			"/menu": `<Response><Dial action="/after" ` + m + `>` +
				`<Client url="/whisper" ` + m + ` statusCallback="/status?leg=jenny" statusCallbackMethod="` + method +
				`" statusCallbackEvent="initiated ringing answered completed">jenny</Client></Dial></Response>`,
			"/whisper": `<Response><Gather numDigits="1" action="/accept" ` + m + `><Say>Press 1</Say></Gather><Hangup/></Response>`,
			"/accept":  `<Response/>`,
			"/after":   `<Response><Redirect ` + m + `>/bye</Redirect></Response>`,
			"/bye":     `<Response><Say>Goodbye</Say></Response>`,
		}
	}
	app := func(method string) http.Handler {
		return overrides(docs(method), map[string]http.HandlerFunc{
			"/status": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) },
			"/old": func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/voice", http.StatusTemporaryRedirect)
			},
		})
	}
	parties := engine.Parties{{Addr: "client:jenny", Outcome: fake.Answer, After: time.Second, Talk: time.Second,
		Presses: []fake.Press{{Keys: "1"}}}}
	paths := func(method string) []checked {
		var out []checked
		for _, p := range []string{"/old", "/voice", "/menu", "/status", "/status", "/status", "/whisper", "/accept", "/status", "/after", "/bye"} {
			out = append(out, checked{Method: method, Path: p, Valid: true, Rule: true})
		}
		return out
	}
	tests := []struct {
		name   string
		tls    bool
		method string
		token  string // the app's
		want   []checked
	}{
		{"http POST", false, "POST", token, paths("POST")},
		{"http GET", false, "GET", token, paths("GET")},
		{"https POST", true, "POST", token, paths("POST")},
		{"https GET", true, "GET", token, paths("GET")},
		{"the app has another token: 403 at once", false, "POST", "54321",
			[]checked{{Method: "POST", Path: "/old"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &validator{token: tt.token, next: app(tt.method)}
			var srv *httptest.Server
			if tt.tls {
				srv = httptest.NewTLSServer(v)
			} else {
				srv = httptest.NewServer(v)
			}
			t.Cleanup(srv.Close)
			e := &engine.Engine{BaseURL: srv.URL, Client: srv.Client(), AuthToken: token, Parties: parties}
			res, err := e.Call(t.Context(), engine.Inbound{From: caller, To: called, URL: "/old", Method: tt.method,
				Caller: engine.Caller{Presses: []fake.Press{{Keys: "1"}}}})
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if diff := cmp.Diff(tt.want, v.checked()); diff != "" {
				var b strings.Builder
				engine.WriteText(&b, res.Events)
				t.Errorf("requests the app checked (-want +got):\n%s\ntranscript:\n%s", diff, b.String())
			}
		})
	}
}
