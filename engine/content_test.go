package engine_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

// These tests run whole calls against applications that answer as web
// frameworks do by default, and check that the call reads each answer as
// Twilio reads it (TwiML's "Your Response" page): text/html is TwiML,
// text/plain is TwiML or is read aloud, audio is played.

// transcriptOf returns the events as "T kind leg attrs" lines, without
// the SIDs and the messages of diagnostics, which name the server.
func transcriptOf(events []engine.Event) []string {
	var out []string
	for _, e := range events {
		l := fmt.Sprintf("%g %s %s", e.T.Seconds(), e.Kind, orDefault(e.Leg, "-"))
		for _, a := range e.Attrs {
			if strings.HasSuffix(a.Key, "CallSid") || a.Key == "From" || a.Key == "To" ||
				(e.Kind == engine.KindDiagnostic && a.Key == "message") {
				continue
			}
			l += " " + a.String()
		}
		l = loopback.ReplaceAllString(l, "")
		out = append(out, l)
	}
	return out
}

// loopback matches the base URL of the application: a test server's, or
// engine.DefaultBaseURL.
var loopback = regexp.MustCompile(`http://(127\.0\.0\.1:[0-9]+|app\.test)`)

// ways runs a call against an application in process and over loopback.
var ways = []struct {
	name   string
	engine func(t *testing.T, h http.Handler) *engine.Engine
}{
	{"in-process", func(t *testing.T, h http.Handler) *engine.Engine {
		return &engine.Engine{Handler: h}
	}},
	{"http", func(t *testing.T, h http.Handler) *engine.Engine {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return &engine.Engine{BaseURL: srv.URL, Client: srv.Client()}
	}},
}

func TestContentTypes(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		want        []string
	}{
		{
			name:        "text/html, as Express's res.send sends TwiML",
			contentType: "text/html; charset=utf-8",
			body:        `<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello</Say></Response>`,
			want: []string{
				"0 call.start -",
				"0 request - Method=POST URL=/voice CallStatus=ringing",
				"0 call.answered -",
				"0 say - Text=Hello Loop=1 Duration=0.4",
				"0.4 call.end - CallStatus=completed CallDuration=0",
			},
		},
		{
			name:        "text/plain holding TwiML",
			contentType: "text/plain",
			body:        `<Response><Say>Hello</Say></Response>`,
			want: []string{
				"0 call.start -",
				"0 request - Method=POST URL=/voice CallStatus=ringing",
				"0 call.answered -",
				"0 say - Text=Hello Loop=1 Duration=0.4",
				"0.4 call.end - CallStatus=completed CallDuration=0",
			},
		},
		{
			name:        "text/plain is read aloud, then the call hangs up",
			contentType: "text/plain; charset=utf-8",
			body:        "Thanks for calling",
			want: []string{
				"0 call.start -",
				"0 request - Method=POST URL=/voice CallStatus=ringing",
				`0 note - message="the text/plain answer is not TwiML: it is read aloud (<Say>), then the call hangs up (<Hangup>)"`,
				"0 call.answered -",
				`0 say - Text="Thanks for calling" Loop=1 Duration=1.2`,
				"1.2 hangup -",
				"1.2 call.end - CallStatus=completed CallDuration=1",
			},
		},
		{
			name:        "audio/mpeg is played, then the call hangs up",
			contentType: "audio/mpeg",
			body:        "ID3\x03\x00 frames",
			want: []string{
				"0 call.start -",
				"0 request - Method=POST URL=/voice CallStatus=ringing",
				`0 note - message="the audio/mpeg answer is played (<Play> of its URL), then the call hangs up (<Hangup>)"`,
				"0 call.answered -",
				"0 play - URL=/voice Loop=1 Duration=5",
				"5 hangup -",
				"5 call.end - CallStatus=completed CallDuration=5",
			},
		},
		{
			name:        "application/json is 12300",
			contentType: "application/json",
			body:        `{}`,
			want: []string{
				"0 call.start -",
				"0 request - Method=POST URL=/voice CallStatus=ringing",
				"0 diagnostic - code=12300 level=error",
				"0 call.answered -",
				"0 call.end - CallStatus=completed CallDuration=0",
			},
		},
	}
	for _, way := range ways {
		for _, tt := range tests {
			t.Run(way.name+"/"+tt.name, func(t *testing.T) {
				e := way.engine(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", tt.contentType)
					io.WriteString(w, tt.body)
				}))
				res, err := e.Call(t.Context(), engine.Inbound{From: caller, To: called, URL: "/voice"})
				if err != nil {
					t.Fatalf("Call: %v", err)
				}
				if diff := cmp.Diff(tt.want, transcriptOf(res.Events)); diff != "" {
					t.Errorf("transcript (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestCookiesPerLeg checks that the caller's call, a dialed leg and the
// leg's status callbacks each keep their own cookies, as Twilio keeps
// them per call SID and kind of request.
func TestCookiesPerLeg(t *testing.T) {
	docs := map[string]string{
		"/voice":   `<Response><Dial action="/after"><Client url="/whisper" statusCallback="/status" statusCallbackEvent="answered completed">jenny</Client></Dial></Response>`,
		"/whisper": `<Response><Say>Call for you</Say></Response>`,
		"/after":   `<Response><Say>Goodbye</Say></Response>`,
	}
	for _, way := range ways {
		t.Run(way.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []string
			e := way.engine(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				got = append(got, r.URL.Path+" "+orDefault(r.Header.Get("Cookie"), "none"))
				mu.Unlock()
				// Each request sets a cookie named for its path; a
				// request sees those set earlier in its own jar.
				http.SetCookie(w, &http.Cookie{Name: strings.TrimPrefix(r.URL.Path, "/"), Value: "1", Path: "/"})
				if r.URL.Path == "/status" {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				w.Header().Set("Content-Type", "text/xml")
				io.WriteString(w, docs[r.URL.Path])
			}))
			e.Parties = engine.Parties{{Addr: "client:jenny", Outcome: fake.Answer, After: time.Second, Talk: time.Second}}
			if _, err := e.Call(t.Context(), engine.Inbound{From: caller, To: called, URL: "/voice"}); err != nil {
				t.Fatalf("Call: %v", err)
			}
			want := []string{
				"/voice none",
				"/status none",     // answered: the leg's status callbacks' jar
				"/whisper none",    // the leg's own jar, apart from the caller's
				"/status status=1", // completed: the status callbacks' jar again
				"/after voice=1",   // the caller's jar, without the leg's cookies
			}
			mu.Lock()
			defer mu.Unlock()
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Cookie headers the application saw (-want +got):\n%s", diff)
			}
		})
	}
}

// orDefault returns s, or def if s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
