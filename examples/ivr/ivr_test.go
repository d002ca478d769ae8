package main

import (
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/signature"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the want file of each scenario with the transcript it gives")

// kinds names the requests the app serves, by path.
var kinds = map[string]string{
	"/voice":         "voice URL",
	"/menu":          "Gather action",
	"/message":       "Gather action",
	"/screen":        "whisper",
	"/screen/answer": "whisper Gather action",
	"/after-dial":    "Dial action",
	"/status":        "status callback",
}

// TestScenarios runs each scenario in scenarios/ against the app on a
// loopback server, compares the transcript with the scenario's want file
// (-update rewrites it), and checks every request the app received.
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("scenarios/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scenarios")
	}
	seen := map[string]bool{}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			s, err := scenarios.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if s.Token == "" {
				t.Fatal("the scenario has no token directive: the app accepts only signed requests")
			}
			a, err := newApp(s.Token)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(a)
			defer srv.Close()
			// As "dialsim test --app URL" runs it.
			res, err := scenarios.Run(t.Context(), s, scenarios.RunOptions{BaseURL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			got := scenarios.Transcript(res)
			if host := strings.TrimPrefix(srv.URL, "http://"); strings.Contains(string(got), host) {
				t.Errorf("the transcript names the server %s; it must not depend on the port:\n%s", host, got)
			}
			if *update {
				if err := os.WriteFile(file, s.WithWant(got), 0o666); err != nil {
					t.Fatal(err)
				}
			} else if diff := cmp.Diff(string(s.Want), string(got)); diff != "" {
				t.Errorf("transcript (-want +got); go test ./examples/ivr -update rewrites it:\n%s", diff)
			}
			reqs := a.requests()
			checkRequests(t, s, res, reqs, srv.URL)
			for _, r := range reqs {
				seen[kinds[r.Path]] = true
			}
		})
	}
	var missing []string
	for _, k := range kinds {
		if !seen[k] && !slices.Contains(missing, k) {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		t.Errorf("no scenario made the app receive a %s request", strings.Join(missing, ", "))
	}
}

var (
	sidPattern     = regexp.MustCompile(`^CA[0-9a-f]{32}$`)
	accountPattern = regexp.MustCompile(`^AC[0-9a-f]{32}$`)
)

// Placeholders a check puts in place of a value that matches its pattern.
const (
	anAccountSid = "AC + 32 hex digits"
	aTimestamp   = "an RFC 2822 date"
)

// legInfo is what the transcript says of a Dial leg.
type legInfo struct {
	sid, from        string
	answered         bool
	status, duration string // from leg.end
	callbacks        int    // status callbacks received so far
}

// checkRequests checks that the app received exactly the requests and
// status callbacks the transcript lists, in order, each validly signed,
// and each with the parameters Twilio sends (docs/twilio.md, “Status
// callbacks” and “Requests and responses”).
func checkRequests(t *testing.T, s *scenarios.Scenario, res *engine.Result, reqs []request, base string) {
	t.Helper()
	var sent []engine.Event
	legs := map[string]*legInfo{}
	var dialEnd *engine.Event
	for _, e := range res.Events {
		switch e.Kind {
		case engine.KindRequest, engine.KindCallback:
			sent = append(sent, e)
		case engine.KindLegInitiated:
			legs[e.Leg] = &legInfo{sid: fmt.Sprint(e.Get("CallSid")), from: fmt.Sprint(e.Get("From"))}
		case engine.KindLegAnswered:
			legs[e.Leg].answered = true
		case engine.KindLegEnd:
			legs[e.Leg].status = fmt.Sprint(e.Get("CallStatus"))
			legs[e.Leg].duration = "0"
			if d := e.Get("CallDuration"); d != nil {
				legs[e.Leg].duration = fmt.Sprint(d)
			}
		case engine.KindDialEnd:
			dialEnd = &e
		}
	}

	// The same requests, in the same order, for the same legs.
	var wantSeq, gotSeq []string
	for _, e := range sent {
		wantSeq = append(wantSeq, fmt.Sprintf("%s %s %s", e.Leg, e.Get("Method"), e.Get("URL")))
	}
	for _, r := range reqs {
		leg := ""
		if r.Params.Get("Direction") == "outbound-dial" {
			leg = r.Params.Get("To")
		}
		gotSeq = append(gotSeq, fmt.Sprintf("%s %s %s", leg, r.Method, strings.TrimPrefix(r.URL, base)))
	}
	if diff := cmp.Diff(wantSeq, gotSeq); diff != "" {
		t.Fatalf("requests the app received, against the transcript's (-want +got):\n%s", diff)
	}

	account := ""
	for i, r := range reqs {
		e := sent[i]
		name := fmt.Sprintf("request %d (%s %s)", i, kinds[r.Path], strings.TrimPrefix(r.URL, base))
		if !r.Signed || !r.Valid || r.Status/100 != 2 {
			t.Errorf("%s: signed %v, valid %v, answered %d; want a valid signature and a 2xx answer", name, r.Signed, r.Valid, r.Status)
		}
		if account == "" {
			account = r.Params.Get("AccountSid")
		}
		// Every request (docs/twilio.md, “Requests and responses”).
		want := url.Values{
			"AccountSid": {anAccountSid},
			"ApiVersion": {"2010-04-01"},
			"CallStatus": {fmt.Sprint(e.Get("CallStatus"))},
		}
		keys := []string{"AccountSid", "ApiVersion", "CallSid", "ParentCallSid", "From", "To", "Caller", "Called", "CallStatus", "Direction"}
		if e.Leg == "" {
			want["CallSid"] = []string{res.SID}
			want["From"] = []string{s.Call.From}
			want["To"] = []string{s.Call.To}
			want["Caller"] = want["From"]
			want["Called"] = want["To"]
			want["Direction"] = []string{"inbound"}
		} else {
			l := legs[e.Leg]
			want["CallSid"] = []string{l.sid}
			want["ParentCallSid"] = []string{res.SID}
			want["From"] = []string{l.from}
			want["To"] = []string{e.Leg}
			want["Caller"] = want["From"]
			want["Called"] = want["To"]
			want["Direction"] = []string{"outbound-dial"}
		}
		// What each kind of request adds.
		switch r.Path {
		case "/voice":
			want["CallStatus"] = []string{"ringing"}
		case "/menu", "/message", "/screen/answer":
			want["CallStatus"] = []string{"in-progress"}
			keys = append(keys, "Digits", "FinishedOnKey")
			want["Digits"] = []string{fmt.Sprint(e.Get("Digits"))}
			want["FinishedOnKey"] = []string{fmt.Sprint(e.Get("FinishedOnKey"))}
		case "/screen":
			want["CallStatus"] = []string{"in-progress"}
		case "/after-dial":
			keys = append(keys, "DialCallStatus", "DialCallSid", "DialCallDuration", "DialBridged")
			want["CallStatus"] = []string{"in-progress"}
			if dialEnd.Get("DialCallStatus") == "canceled" {
				want["CallStatus"] = []string{"completed"}
			}
			want["DialCallStatus"] = []string{fmt.Sprint(dialEnd.Get("DialCallStatus"))}
			want["DialCallSid"] = []string{fmt.Sprint(dialEnd.Get("DialCallSid"))}
			want["DialBridged"] = []string{fmt.Sprint(dialEnd.Get("DialBridged"))}
			if d := dialEnd.Get("DialCallDuration"); d != nil {
				want["DialCallDuration"] = []string{fmt.Sprint(d)}
			}
		case "/status":
			l := legs[e.Leg]
			keys = append(keys, "SequenceNumber", "CallbackSource", "Timestamp", "CallDuration")
			want["SequenceNumber"] = []string{strconv.Itoa(l.callbacks)}
			want["CallbackSource"] = []string{"call-progress-events"}
			want["Timestamp"] = []string{aTimestamp}
			// initiated, ringing, in-progress if it answered, then the
			// final status with the leg's duration.
			progress := []string{"initiated", "ringing"}
			if l.answered {
				progress = append(progress, "in-progress")
			}
			progress = append(progress, l.status)
			if l.callbacks < len(progress) {
				want["CallStatus"] = []string{progress[l.callbacks]}
			}
			if l.callbacks == len(progress)-1 {
				want["CallDuration"] = []string{l.duration}
			}
			l.callbacks++
		}
		got := url.Values{}
		for _, k := range keys {
			if vs, ok := r.Params[k]; ok {
				got[k] = vs
			}
		}
		if v := got.Get("AccountSid"); accountPattern.MatchString(v) && v == account {
			got.Set("AccountSid", anAccountSid)
		}
		if v, ok := got["Timestamp"]; ok {
			if _, err := mail.ParseDate(v[0]); err == nil {
				got.Set("Timestamp", aTimestamp)
			}
		}
		for _, k := range []string{"CallSid", "ParentCallSid"} {
			if v, ok := got[k]; ok && !sidPattern.MatchString(v[0]) {
				t.Errorf("%s: %s=%q is not CA + 32 hex digits", name, k, v[0])
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: parameters (-want +got):\n%s", name, diff)
		}
	}
	for addr, l := range legs {
		want := 3 // initiated, ringing, the final status
		if l.answered {
			want++
		}
		if l.callbacks != want {
			t.Errorf("leg %s: %d status callbacks, want %d", addr, l.callbacks, want)
		}
	}
}

// TestSignatureRequired checks that the app refuses requests that are not
// signed with its token: unsigned, signed with another token, or with the
// signature of other parameters.
func TestSignatureRequired(t *testing.T) {
	const token = "ivr-demo-token"
	params := url.Values{"CallSid": {"CA1234567890ABCDE"}, "From": {"+15550001111"}, "To": {"+15550002222"}}
	tests := []struct {
		name       string
		signature  func(fullURL string) string
		wantStatus int
	}{
		{"valid", func(u string) string { return signature.Sign(token, u, params) }, http.StatusOK},
		{"unsigned", func(string) string { return "" }, http.StatusForbidden},
		{"another token", func(u string) string { return signature.Sign("12345", u, params) }, http.StatusForbidden},
		{"other parameters", func(u string) string {
			return signature.Sign(token, u, url.Values{"CallSid": {"CA1234567890ABCDE"}, "From": {"+15550009999"}, "To": {"+15550002222"}})
		}, http.StatusForbidden},
		{"another URL", func(u string) string { return signature.Sign(token, u+"?x=1", params) }, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := newApp(token)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodPost, "http://ivr.example/voice", strings.NewReader(params.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if sig := tt.signature("http://ivr.example/voice"); sig != "" {
				r.Header.Set("X-Twilio-Signature", sig)
			}
			w := httptest.NewRecorder()
			a.ServeHTTP(w, r)
			if w.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", w.Code, tt.wantStatus)
			}
			reqs := a.requests()
			if len(reqs) != 1 || reqs[0].Status != tt.wantStatus {
				t.Errorf("recorded %+v, want one request answered %d", reqs, tt.wantStatus)
			}
		})
	}
}
