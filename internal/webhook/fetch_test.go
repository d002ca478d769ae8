package webhook_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/signature"
)

// token is the auth token of the tests' Fetchers.
const token = "s3cret"

// short is the Timeout of tests that wait for a timeout.
const short = 50 * time.Millisecond

// twiml is a small valid answer.
const twiml = "<Response><Say>Hi</Say></Response>"

// route is one way of reaching the application: in-process through
// Config.Handler, or over loopback TCP through a real server.
type route struct {
	name string
	// start serves h and returns the URL prefix to request and the
	// Config that reaches it.
	start func(t *testing.T, h http.Handler) (base string, cfg webhook.Config)
	// stall blocks a handler as a hostile application does. A real
	// server's handler ignores everything but release, which the test
	// closes when it ends; an in-process handler must also give up when
	// its request's context is done, or Do could never return.
	stall func(r *http.Request, release <-chan struct{})
}

var routes = []route{
	{
		name: "handler",
		start: func(t *testing.T, h http.Handler) (string, webhook.Config) {
			return "http://app.test", webhook.Config{Handler: h}
		},
		stall: func(r *http.Request, release <-chan struct{}) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		},
	},
	{
		name: "network",
		start: func(t *testing.T, h http.Handler) (string, webhook.Config) {
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			return srv.URL, webhook.Config{Client: srv.Client()}
		},
		stall: func(r *http.Request, release <-chan struct{}) { <-release },
	},
}

// signed wraps h so that every request must carry Twilio's headers and a
// signature valid for the URL it reached; anything else fails the test.
func signed(t *testing.T, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		full := scheme + "://" + r.Host + r.RequestURI
		var params url.Values
		if r.Method == http.MethodPost {
			if err := r.ParseForm(); err != nil {
				t.Errorf("%s %s: %v", r.Method, full, err)
			}
			params = r.PostForm
		}
		if sig := r.Header.Get("X-Twilio-Signature"); signature.Check(token, full, params, sig) != nil {
			t.Errorf("%s %s %v: signature %q is not valid", r.Method, full, params, sig)
		}
		want := map[string]string{"User-Agent": "TwilioProxy/1.1", "Accept": "*/*"}
		if r.Method == http.MethodPost {
			want["Content-Type"] = "application/x-www-form-urlencoded"
		}
		for name, value := range want {
			if got := r.Header.Get(name); got != value {
				t.Errorf("%s %s: %s = %q, want %q", r.Method, full, name, got, value)
			}
		}
		h.ServeHTTP(w, r)
	})
}

// seen is what the application saw of one request.
type seen struct {
	Method     string
	RequestURI string
	Form       url.Values // the POST body's parameters
	Cookie     string
}

// visits keeps what the application saw; handlers on a server's goroutines
// and the test share it.
type visits struct {
	mu   sync.Mutex
	reqs []seen
}

// record notes r, whose form must already be parsed.
func (l *visits) record(r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := seen{Method: r.Method, RequestURI: r.RequestURI, Cookie: r.Header.Get("Cookie")}
	if len(r.PostForm) > 0 {
		s.Form = r.PostForm
	}
	l.reqs = append(l.reqs, s)
}

func (l *visits) all() []seen {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]seen(nil), l.reqs...)
}

// answer writes TwiML with an XML content type.
func answer(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	io.WriteString(w, body)
}

func TestDoSendsParameters(t *testing.T) {
	params := url.Values{"From": {"+14155550100"}, "To": {"+14155550199"}}
	const query = "From=%2B14155550100&To=%2B14155550199"
	tests := []struct {
		name     string
		method   string
		path     string
		wantSeen seen
		wantPath string // of Response.URL
	}{
		{
			name: "POST keeps the query and sends a form", method: "POST", path: "/voice?x=1",
			wantSeen: seen{Method: "POST", RequestURI: "/voice?x=1", Form: params},
			wantPath: "/voice?x=1",
		},
		{
			name: "empty method is POST", method: "", path: "/voice",
			wantSeen: seen{Method: "POST", RequestURI: "/voice", Form: params},
			wantPath: "/voice",
		},
		{
			name: "GET appends to the query", method: "GET", path: "/voice?x=1",
			wantSeen: seen{Method: "GET", RequestURI: "/voice?x=1&" + query},
			wantPath: "/voice?x=1&" + query,
		},
		{
			name: "GET without a query", method: "get", path: "/voice",
			wantSeen: seen{Method: "GET", RequestURI: "/voice?" + query},
			wantPath: "/voice?" + query,
		},
		{
			name: "fragment is not sent", method: "GET", path: "/voice#top",
			wantSeen: seen{Method: "GET", RequestURI: "/voice?" + query},
			wantPath: "/voice?" + query,
		},
	}
	for _, rt := range routes {
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				var l visits
				base, cfg := rt.start(t, signed(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					l.record(r)
					answer(w, twiml)
				})))
				cfg.AuthToken = token
				got, err := webhook.New(cfg).Do(context.Background(), webhook.Request{
					Method: tt.method, URL: base + tt.path, Params: params,
				})
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				want := &webhook.Response{URL: base + tt.wantPath, Status: 200, Body: []byte(twiml)}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Do response (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]seen{tt.wantSeen}, l.all()); diff != "" {
					t.Errorf("application saw (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestHTTPSInProcess(t *testing.T) {
	var l visits
	var tlsSeen bool
	app := signed(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.record(r)
		tlsSeen = r.TLS != nil
		answer(w, twiml)
	}))
	// The signature leaves out the port and the user information, which
	// the application cannot see in the request anyway.
	const u = "https://ann:pw@app.test:8443/voice?x=1"
	got, err := webhook.New(webhook.Config{Handler: app, AuthToken: token}).Do(context.Background(),
		webhook.Request{URL: u, Params: url.Values{"Digits": {"12"}}})
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	want := &webhook.Response{URL: u, Status: 200, Body: []byte(twiml)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Do response (-want +got):\n%s", diff)
	}
	wantSeen := []seen{{Method: "POST", RequestURI: "/voice?x=1", Form: url.Values{"Digits": {"12"}}}}
	if diff := cmp.Diff(wantSeen, l.all()); diff != "" {
		t.Errorf("application saw (-want +got):\n%s", diff)
	}
	if !tlsSeen {
		t.Errorf("request.TLS = nil for an https URL, want connection state")
	}
}

func TestNoSignatureWithoutToken(t *testing.T) {
	for _, rt := range routes {
		t.Run(rt.name, func(t *testing.T) {
			var header http.Header
			base, cfg := rt.start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				header = r.Header.Clone()
				answer(w, twiml)
			}))
			if _, err := webhook.New(cfg).Do(context.Background(), webhook.Request{URL: base + "/voice"}); err != nil {
				t.Fatalf("Do: %v", err)
			}
			if sig, ok := header["X-Twilio-Signature"]; ok {
				t.Errorf("X-Twilio-Signature = %q, want no such header when AuthToken is empty", sig)
			}
		})
	}
}

func TestBasicAuthFromURL(t *testing.T) {
	for _, rt := range routes {
		t.Run(rt.name, func(t *testing.T) {
			var user, password string
			base, cfg := rt.start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				user, password, _ = r.BasicAuth()
				answer(w, twiml)
			}))
			u := strings.Replace(base, "://", "://ann:pa%3Ass@", 1) + "/voice"
			if _, err := webhook.New(cfg).Do(context.Background(), webhook.Request{URL: u}); err != nil {
				t.Fatalf("Do: %v", err)
			}
			if user != "ann" || password != "pa:ss" {
				t.Errorf("basic auth = %q, %q; want %q, %q", user, password, "ann", "pa:ss")
			}
		})
	}
}

func TestCookiesStayWithTheirCall(t *testing.T) {
	for _, rt := range routes {
		t.Run(rt.name, func(t *testing.T) {
			var l visits
			base, cfg := rt.start(t, signed(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				l.record(r)
				if r.URL.Path == "/voice" {
					http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc", Path: "/"})
				}
				answer(w, twiml)
			})))
			cfg.AuthToken = token
			ctx := context.Background()
			call := webhook.New(cfg)
			for _, path := range []string{"/voice", "/gather"} {
				if _, err := call.Do(ctx, webhook.Request{URL: base + path}); err != nil {
					t.Fatalf("Do %s: %v", path, err)
				}
			}
			if err := call.Notify(ctx, webhook.Request{URL: base + "/status"}); err != nil {
				t.Fatalf("Notify: %v", err)
			}
			other := webhook.New(cfg)
			if _, err := other.Do(ctx, webhook.Request{URL: base + "/gather"}); err != nil {
				t.Fatalf("Do with another Fetcher: %v", err)
			}
			want := []seen{
				{Method: "POST", RequestURI: "/voice"},
				{Method: "POST", RequestURI: "/gather", Cookie: "session=abc"},
				{Method: "POST", RequestURI: "/status"}, // status callbacks have their own jar
				{Method: "POST", RequestURI: "/gather"},
			}
			if diff := cmp.Diff(want, l.all()); diff != "" {
				t.Errorf("application saw (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	params := url.Values{"CallSid": {"CA1"}, "Digits": {"7"}}
	tests := []struct {
		method   string
		status   int
		location string // relative to the server, or absolute with "BASE"
		want     []seen // at the redirect and at its target
	}{
		{"POST", 301, "/target", []seen{
			{Method: "POST", RequestURI: "/start", Form: params},
			{Method: "POST", RequestURI: "/target", Form: params, Cookie: "hop=1"},
		}},
		{"POST", 302, "target?via=302", []seen{
			{Method: "POST", RequestURI: "/start", Form: params},
			{Method: "POST", RequestURI: "/target?via=302", Form: params, Cookie: "hop=1"},
		}},
		{"POST", 303, "BASE/target", []seen{
			{Method: "POST", RequestURI: "/start", Form: params},
			{Method: "POST", RequestURI: "/target", Form: params, Cookie: "hop=1"},
		}},
		{"POST", 307, "/target?via=307", []seen{
			{Method: "POST", RequestURI: "/start", Form: params},
			{Method: "POST", RequestURI: "/target?via=307", Form: params, Cookie: "hop=1"},
		}},
		{"POST", 308, "/target", []seen{
			{Method: "POST", RequestURI: "/start", Form: params},
			{Method: "POST", RequestURI: "/target", Form: params, Cookie: "hop=1"},
		}},
		{"GET", 307, "/target", []seen{
			{Method: "GET", RequestURI: "/start?CallSid=CA1&Digits=7"},
			{Method: "GET", RequestURI: "/target?CallSid=CA1&Digits=7", Cookie: "hop=1"},
		}},
		{"GET", 302, "/target?Digits=9", []seen{
			{Method: "GET", RequestURI: "/start?CallSid=CA1&Digits=7"},
			{Method: "GET", RequestURI: "/target?Digits=9&CallSid=CA1", Cookie: "hop=1"},
		}},
	}
	for _, rt := range routes {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/%s %d", rt.name, tt.method, tt.status), func(t *testing.T) {
				var l visits
				var base string
				base, cfg := rt.start(t, signed(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					l.record(r)
					if r.URL.Path == "/start" {
						http.SetCookie(w, &http.Cookie{Name: "hop", Value: "1"})
						w.Header().Set("Location", strings.Replace(tt.location, "BASE", base, 1))
						w.WriteHeader(tt.status)
						return
					}
					answer(w, twiml)
				})))
				cfg.AuthToken = token
				got, err := webhook.New(cfg).Do(context.Background(), webhook.Request{
					Method: tt.method, URL: base + "/start", Params: params,
				})
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				if wantURL := base + tt.want[1].RequestURI; got.URL != wantURL {
					t.Errorf("Response.URL = %q, want %q", got.URL, wantURL)
				}
				if diff := cmp.Diff(tt.want, l.all()); diff != "" {
					t.Errorf("application saw (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// hops redirects /hop/N to /hop/N+1 until N reaches the query's "last".
func hops(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
	last, _ := strconv.Atoi(r.URL.Query().Get("last"))
	if n < last {
		http.Redirect(w, r, fmt.Sprintf("/hop/%d?last=%d", n+1, last), http.StatusFound)
		return
	}
	answer(w, twiml)
}

func TestRedirectLimit(t *testing.T) {
	tests := []struct {
		redirects int
		want      failure
	}{
		{redirects: 9},
		{redirects: 10},
		{redirects: 11, want: failure{Code: 11215, Status: 302}},
		{redirects: 50, want: failure{Code: 11215, Status: 302}},
	}
	for _, rt := range routes {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/%d", rt.name, tt.redirects), func(t *testing.T) {
				base, cfg := rt.start(t, signed(t, http.HandlerFunc(hops)))
				cfg.AuthToken = token
				_, err := webhook.New(cfg).Do(context.Background(), webhook.Request{
					URL: fmt.Sprintf("%s/hop/0?last=%d", base, tt.redirects),
				})
				if diff := cmp.Diff(tt.want, failureOf(err)); diff != "" {
					t.Errorf("Do: %v (-want +got):\n%s", err, diff)
				}
			})
		}
	}
}

// failure is what a test checks of Do's or Notify's error.
type failure struct {
	Code   int // 0 for success, -1 for an error that is not an *Error
	Status int
}

func failureOf(err error) failure {
	if err == nil {
		return failure{}
	}
	var e *webhook.Error
	if !errors.As(err, &e) {
		return failure{Code: -1}
	}
	return failure{Code: e.Code, Status: e.Status}
}

// hostile is an application misbehaving in one way. stall blocks the
// handler until the test ends (see route.stall).
type hostile func(w http.ResponseWriter, r *http.Request, stall func())

// endless writes a body until the writes fail.
func endless(w http.ResponseWriter, r *http.Request, stall func()) {
	w.Header().Set("Content-Type", "text/xml")
	chunk := []byte(strings.Repeat("<Pause/>", 512))
	io.WriteString(w, "<Response>")
	for {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

func TestDoFailures(t *testing.T) {
	tests := []struct {
		name    string
		app     hostile
		maxBody int64
		want    failure
	}{
		{
			name: "500",
			app:  func(w http.ResponseWriter, r *http.Request, _ func()) { w.WriteHeader(500) },
			want: failure{Code: 11217, Status: 500},
		},
		{
			name: "404 with TwiML",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				w.Header().Set("Content-Type", "text/xml")
				w.WriteHeader(404)
				io.WriteString(w, twiml)
			},
			want: failure{Code: 11217, Status: 404},
		},
		{
			name: "429",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				http.Error(w, "slow down", http.StatusTooManyRequests)
			},
			want: failure{Code: 11217, Status: 429},
		},
		{
			name: "300 without Location",
			app:  func(w http.ResponseWriter, r *http.Request, _ func()) { w.WriteHeader(300) },
			want: failure{Code: 11200, Status: 300},
		},
		{
			name: "302 without Location",
			app:  func(w http.ResponseWriter, r *http.Request, _ func()) { w.WriteHeader(302) },
			want: failure{Code: 11200, Status: 302},
		},
		{
			name: "redirect to a non-HTTP URL",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				http.Redirect(w, r, "ftp://app.test/voice.xml", http.StatusFound)
			},
			want: failure{Code: 11200, Status: 302},
		},
		{
			name: "redirect loop",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				http.Redirect(w, r, r.URL.Path, http.StatusTemporaryRedirect)
			},
			want: failure{Code: 11215, Status: 307},
		},
		{
			name: "handler aborts",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				panic(http.ErrAbortHandler)
			},
			want: failure{Code: 11200},
		},
		{
			name: "aborts mid-body",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				w.Header().Set("Content-Type", "text/xml")
				io.WriteString(w, "<Response>")
				w.(http.Flusher).Flush()
				panic(http.ErrAbortHandler)
			},
			want: failure{Code: 11200},
		},
		{
			name: "never answers",
			app: func(w http.ResponseWriter, r *http.Request, stall func()) {
				stall()
			},
			want: failure{Code: 11205},
		},
		{
			name: "slow drip",
			app: func(w http.ResponseWriter, r *http.Request, stall func()) {
				w.Header().Set("Content-Type", "text/xml")
				io.WriteString(w, "<Response>")
				w.(http.Flusher).Flush()
				stall()
				io.WriteString(w, "</Response>")
			},
			want: failure{Code: 11205},
		},
		{
			name: "no Content-Type",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				w.Header()["Content-Type"] = nil // no header, no sniffing
				io.WriteString(w, twiml)
			},
			want: failure{Code: 12300, Status: 200},
		},
		{
			name: "JSON",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"say":"hi"}`)
			},
			want: failure{Code: 12300, Status: 200},
		},
		{
			name: "one byte too large",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				answer(w, strings.Repeat(" ", 100-len(twiml)+1)+twiml)
			},
			maxBody: 100,
			want:    failure{Code: 11750, Status: 200},
		},
		{
			name: "too large by Content-Length",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				w.Header().Set("Content-Length", "100000")
				answer(w, strings.Repeat(" ", 100000-len(twiml))+twiml)
			},
			maxBody: 100,
			want:    failure{Code: 11750, Status: 200},
		},
		{
			name:    "endless body",
			app:     endless,
			maxBody: 1000,
			want:    failure{Code: 11750, Status: 200},
		},
		{
			name: "default limit is 64 KiB",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				answer(w, strings.Repeat(" ", 64<<10-len(twiml)+1)+twiml)
			},
			want: failure{Code: 11750, Status: 200},
		},
		{
			name: "empty body",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				w.Header().Set("Content-Type", "text/xml")
			},
			want: failure{Code: 11770, Status: 200},
		},
		{
			name: "whitespace body",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				answer(w, " \r\n\t\n ")
			},
			want: failure{Code: 11770, Status: 200},
		},
		{
			name: "204",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				w.Header().Set("Content-Type", "text/xml")
				w.WriteHeader(204)
			},
			want: failure{Code: 11770, Status: 204},
		},
		// Answers Do accepts, next to the failures they border on.
		{
			name: "exactly the limit",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				answer(w, strings.Repeat(" ", 100-len(twiml))+twiml)
			},
			maxBody: 100,
		},
		{
			name: "application/xml",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				w.Header().Set("Content-Type", "Application/XML; charset=ISO-8859-1")
				io.WriteString(w, twiml)
			},
		},
		{
			name: "text/html, as Express's res.send",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				io.WriteString(w, twiml)
			},
		},
		{
			name: "sniffed as text/plain, holding TwiML",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				io.WriteString(w, twiml)
			},
		},
		{
			name: "sniffed as text/xml",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				io.WriteString(w, `<?xml version="1.0"?>`+twiml)
			},
		},
		{
			name: "201",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				w.Header().Set("Content-Type", "text/xml")
				w.WriteHeader(201)
				io.WriteString(w, twiml)
			},
		},
		{
			name: "100 Continue first",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				w.WriteHeader(100)
				answer(w, twiml)
			},
		},
	}
	for _, rt := range routes {
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				release := make(chan struct{})
				var expire func()
				base, cfg := rt.start(t, signed(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					tt.app(w, r, func() { expire(); rt.stall(r, release) })
				})))
				t.Cleanup(func() { close(release) }) // before the server closes
				cfg.AuthToken, cfg.MaxBody = token, tt.maxBody
				f := webhook.New(cfg)
				expire = webhook.Expire(f)
				resp, err := f.Do(context.Background(), webhook.Request{URL: base + "/voice"})
				t.Log(err)
				if diff := cmp.Diff(tt.want, failureOf(err)); diff != "" {
					t.Fatalf("Do: %v (-want +got):\n%s", err, diff)
				}
				if err == nil && !strings.HasSuffix(string(resp.Body), twiml) {
					t.Errorf("Do body = %q, want it to end with %q", resp.Body, twiml)
				}
			})
		}
	}
}

func TestNotify(t *testing.T) {
	tests := []struct {
		name string
		app  hostile
		want failure
	}{
		{
			name: "204",
			app:  func(w http.ResponseWriter, r *http.Request, _ func()) { w.WriteHeader(204) },
		},
		{
			name: "200 with an HTML page",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				io.WriteString(w, "<html><body>thanks</body></html>")
			},
		},
		{
			name: "200 with an empty body",
			app:  func(w http.ResponseWriter, r *http.Request, _ func()) {},
		},
		{
			name: "endless body",
			app:  endless,
		},
		{
			name: "redirected",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				if r.URL.Path == "/status" {
					http.Redirect(w, r, "/moved", http.StatusPermanentRedirect)
					return
				}
				w.WriteHeader(204)
			},
		},
		{
			name: "500",
			app:  func(w http.ResponseWriter, r *http.Request, _ func()) { w.WriteHeader(500) },
			want: failure{Code: 11217, Status: 500},
		},
		{
			name: "redirect loop",
			app: func(w http.ResponseWriter, r *http.Request, _ func()) {
				http.Redirect(w, r, r.URL.Path, http.StatusFound)
			},
			want: failure{Code: 11215, Status: 302},
		},
		{
			name: "never answers",
			app: func(w http.ResponseWriter, r *http.Request, stall func()) {
				stall()
			},
			want: failure{Code: 11205},
		},
	}
	for _, rt := range routes {
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				release := make(chan struct{})
				var expire func()
				base, cfg := rt.start(t, signed(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					tt.app(w, r, func() { expire(); rt.stall(r, release) })
				})))
				t.Cleanup(func() { close(release) })
				cfg.AuthToken, cfg.MaxBody = token, 1000
				f := webhook.New(cfg)
				expire = webhook.Expire(f)
				err := f.Notify(context.Background(), webhook.Request{
					URL: base + "/status", Params: url.Values{"CallStatus": {"completed"}},
				})
				if diff := cmp.Diff(tt.want, failureOf(err)); diff != "" {
					t.Errorf("Notify: %v (-want +got):\n%s", err, diff)
				}
			})
		}
	}
}

func TestInvalidRequests(t *testing.T) {
	tests := []struct {
		name   string
		method string
		url    string
		want   failure
	}{
		{name: "ftp", url: "ftp://app.test/voice", want: failure{Code: 11100}},
		{name: "relative", url: "/voice", want: failure{Code: 11100}},
		{name: "no host", url: "http:///voice", want: failure{Code: 11100}},
		{name: "empty", url: "", want: failure{Code: 11100}},
		{name: "unparsable", url: "http://[::1/voice", want: failure{Code: 11100}},
		{name: "method", method: "PUT", url: "http://app.test/voice", want: failure{Code: -1}},
	}
	for _, rt := range routes {
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				_, cfg := rt.start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					t.Errorf("application reached by %s %s", r.Method, r.RequestURI)
				}))
				_, err := webhook.New(cfg).Do(context.Background(), webhook.Request{Method: tt.method, URL: tt.url})
				t.Log(err)
				if diff := cmp.Diff(tt.want, failureOf(err)); diff != "" {
					t.Errorf("Do: %v (-want +got):\n%s", err, diff)
				}
			})
		}
	}
}

func TestHandlerPanicIsBrokenConnection(t *testing.T) {
	// Over the network the server would log the panic and drop the
	// connection; in-process the panic ends the request the same way.
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, "<Response>")
		var m map[string]int
		m["boom"]++
	})
	_, err := webhook.New(webhook.Config{Handler: app}).Do(context.Background(), webhook.Request{URL: "http://app.test/voice"})
	t.Log(err)
	if diff := cmp.Diff(failure{Code: 11200}, failureOf(err)); diff != "" {
		t.Errorf("Do: %v (-want +got):\n%s", err, diff)
	}
}

func TestCanceledByCaller(t *testing.T) {
	for _, rt := range routes {
		t.Run(rt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			release := make(chan struct{})
			base, cfg := rt.start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				cancel() // the engine hangs up while the application thinks
				rt.stall(r, release)
			}))
			t.Cleanup(func() { close(release) })
			_, err := webhook.New(cfg).Do(ctx, webhook.Request{URL: base + "/voice"})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Do: %v, want an error wrapping context.Canceled", err)
			}
			if diff := cmp.Diff(failure{Code: -1}, failureOf(err)); diff != "" {
				t.Errorf("Do: %v (-want +got):\n%s", err, diff)
			}
		})
	}
}

// The failures below need a network: a host, a resolver or a wire.

// refusedURL returns a loopback URL where nobody listens.
func refusedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/voice"
}

// rawServer serves each connection with serve on loopback, for answers
// no http.Handler can give, and returns its URL.
func rawServer(t *testing.T, serve func(c net.Conn)) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				// Read the request head so closing does not reset it.
				br := bufio.NewReader(c)
				if req, err := http.ReadRequest(br); err == nil {
					io.Copy(io.Discard, req.Body)
				}
				serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return "http://" + ln.Addr().String() + "/voice"
}

// noResolver is a client whose resolver fails every query without
// leaving the process.
func noResolver() *http.Client {
	dialer := &net.Dialer{Resolver: &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
			return nil, errors.New("no DNS server in this test")
		},
	}}
	return &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
}

func TestNetworkFailures(t *testing.T) {
	tests := []struct {
		name   string
		url    func(t *testing.T) string
		client *http.Client
		want   failure
	}{
		{
			name: "connection refused",
			url:  refusedURL,
			want: failure{Code: 11205},
		},
		{
			name: "host in .invalid",
			url:  func(*testing.T) string { return "http://app.invalid/voice" },
			want: failure{Code: 11210},
		},
		{
			name:   "name does not resolve",
			url:    func(*testing.T) string { return "http://app.example/voice" },
			client: noResolver(),
			want:   failure{Code: 11210},
		},
		{
			name: "redirect to a host that does not resolve",
			url: func(t *testing.T) string {
				srv := httptest.NewServer(http.RedirectHandler("http://next.invalid/voice", http.StatusFound))
				t.Cleanup(srv.Close)
				return srv.URL + "/voice"
			},
			want: failure{Code: 11210},
		},
		{
			name: "redirect to a closed port",
			url: func(t *testing.T) string {
				srv := httptest.NewServer(http.RedirectHandler(refusedURL(t), http.StatusFound))
				t.Cleanup(srv.Close)
				return srv.URL + "/voice"
			},
			want: failure{Code: 11205},
		},
		{
			name: "not HTTP",
			url: func(t *testing.T) string {
				return rawServer(t, func(c net.Conn) { io.WriteString(c, "SSH-2.0-OpenSSH_9.6\r\n\r\n") })
			},
			want: failure{Code: 11200},
		},
		{
			name: "malformed header",
			url: func(t *testing.T) string {
				return rawServer(t, func(c net.Conn) {
					io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type text/xml\r\n\r\n"+twiml)
				})
			},
			want: failure{Code: 11200},
		},
		{
			name: "closed without an answer",
			url: func(t *testing.T) string {
				return rawServer(t, func(c net.Conn) {})
			},
			want: failure{Code: 11200},
		},
		{
			name: "closed mid-body",
			url: func(t *testing.T) string {
				return rawServer(t, func(c net.Conn) {
					io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100\r\n\r\n<Response>")
				})
			},
			want: failure{Code: 11200},
		},
		{
			name: "broken chunked body",
			url: func(t *testing.T) string {
				return rawServer(t, func(c net.Conn) {
					io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n<Response>")
				})
			},
			want: failure{Code: 11200},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := webhook.New(webhook.Config{Client: tt.client, AuthToken: token, Timeout: 5 * time.Second})
			_, err := f.Do(context.Background(), webhook.Request{URL: tt.url(t)})
			t.Log(err)
			if diff := cmp.Diff(tt.want, failureOf(err)); diff != "" {
				t.Errorf("Do: %v (-want +got):\n%s", err, diff)
			}
		})
	}
}

func TestRedirectKeepsQuery(t *testing.T) {
	params := url.Values{"Digits": {"7"}}
	tests := []struct {
		name     string
		method   string
		location string
		want     string // RequestURI at the target
	}{
		{"POST, Location without a query", "POST", "/target", "/target?x=1&y=2"},
		{"POST, Location with its own query", "POST", "/target?z=3", "/target?z=3&x=1&y=2"},
		{"POST, Location's value wins", "POST", "/target?y=9", "/target?y=9&x=1"},
		{"POST, Location repeating the query", "POST", "/target?x=1&y=2", "/target?x=1&y=2"},
		{"GET keeps the parameters too", "GET", "/target", "/target?x=1&y=2&Digits=7"},
		{"GET, Location with the parameters", "GET", "/target?Digits=7&x=1&y=2", "/target?Digits=7&x=1&y=2"},
	}
	for _, rt := range routes {
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				var l visits
				base, cfg := rt.start(t, signed(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					l.record(r)
					if r.URL.Path == "/start" {
						w.Header().Set("Location", tt.location)
						w.WriteHeader(http.StatusFound)
						return
					}
					answer(w, twiml)
				})))
				cfg.AuthToken = token
				got, err := webhook.New(cfg).Do(context.Background(), webhook.Request{
					Method: tt.method, URL: base + "/start?x=1&y=2", Params: params,
				})
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				seen := l.all()
				if diff := cmp.Diff(tt.want, seen[len(seen)-1].RequestURI); diff != "" {
					t.Errorf("target's RequestURI (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(base+tt.want, got.URL); diff != "" {
					t.Errorf("Response.URL (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// The real-time limit, which the other tests replace with webhook.Expire.
func TestTimeoutIsRealTime(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out a real timeout")
	}
	for _, rt := range routes {
		t.Run(rt.name, func(t *testing.T) {
			release := make(chan struct{})
			base, cfg := rt.start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rt.stall(r, release)
			}))
			t.Cleanup(func() { close(release) })
			cfg.Timeout = short
			_, err := webhook.New(cfg).Do(context.Background(), webhook.Request{URL: base + "/voice"})
			if diff := cmp.Diff(failure{Code: 11205}, failureOf(err)); diff != "" {
				t.Errorf("Do: %v (-want +got):\n%s", err, diff)
			}
		})
	}
}
