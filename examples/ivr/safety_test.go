package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dialsim/dialsim/signature"

	"github.com/google/go-cmp/cmp"
)

// TestConfig checks that the app has no built-in token: it takes -token,
// else $TWILIO_AUTH_TOKEN, refuses to start with neither or with an
// empty one, and listens on loopback unless told otherwise.
func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    config
		wantErr error
	}{
		{"no token anywhere", nil, nil, config{}, errNoToken},
		{"empty environment variable", nil, map[string]string{"TWILIO_AUTH_TOKEN": ""}, config{}, errNoToken},
		{"empty flag", []string{"-token", ""}, nil, config{}, errNoToken},
		{"empty flag hides the environment", []string{"-token="}, map[string]string{"TWILIO_AUTH_TOKEN": "env"}, config{}, errNoToken},
		{"from the environment", nil, map[string]string{"TWILIO_AUTH_TOKEN": "env"}, config{addr: "127.0.0.1:8080", token: "env"}, nil},
		{"the flag first", []string{"-token", "flag"}, map[string]string{"TWILIO_AUTH_TOKEN": "env"}, config{addr: "127.0.0.1:8080", token: "flag"}, nil},
		{"another address", []string{"-addr", ":9000", "-token", "t"}, nil, config{addr: ":9000", token: "t"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			got, err := parseConfig(tt.args, getenv, io.Discard)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("parseConfig(%q) error %v, want %v", tt.args, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(config{})); diff != "" {
				t.Errorf("parseConfig(%q) (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

func TestNewAppRefusesEmptyToken(t *testing.T) {
	if _, err := newApp(""); !errors.Is(err, errNoToken) {
		t.Errorf("newApp(\"\") error %v, want errNoToken", err)
	}
}

// TestBodyBounded checks that the app reads no more than maxBody of a
// request, signed or not: a 5 MiB form is answered 413 and remembered
// without its parameters.
func TestBodyBounded(t *testing.T) {
	const token = "t"
	big := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Junk": {strings.Repeat("x", 5<<20)}}
	tests := []struct {
		name       string
		sig        string
		wantStatus int
	}{
		{"signed", signature.Sign(token, "http://ivr.example/voice", big), http.StatusRequestEntityTooLarge},
		{"a forged signature", "bm90IGEgc2lnbmF0dXJl", http.StatusRequestEntityTooLarge},
		{"unsigned", "", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := newApp(token)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodPost, "http://ivr.example/voice", strings.NewReader(big.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.sig != "" {
				r.Header.Set(signature.Header, tt.sig)
			}
			w := httptest.NewRecorder()
			a.ServeHTTP(w, r)
			if w.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", w.Code, tt.wantStatus)
			}
			reqs := a.requests()
			if len(reqs) != 1 {
				t.Fatalf("remembered %d requests, want 1", len(reqs))
			}
			if reqs[0].Status != tt.wantStatus || reqs[0].Params != nil {
				t.Errorf("remembered status %d and %d parameters, want %d and none", reqs[0].Status, len(reqs[0].Params), tt.wantStatus)
			}
		})
	}
}

// TestLogBounded checks that the app remembers only its latest logSize
// requests, oldest first.
func TestLogBounded(t *testing.T) {
	const token = "t"
	a, err := newApp(token)
	if err != nil {
		t.Fatal(err)
	}
	const n = logSize + 10
	for i := range n {
		params := url.Values{"CallSid": {fmt.Sprintf("CA%032x", i)}, "CallStatus": {"completed"}}
		r := httptest.NewRequest(http.MethodPost, "http://ivr.example/status", strings.NewReader(params.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set(signature.Header, signature.Sign(token, "http://ivr.example/status", params))
		a.ServeHTTP(httptest.NewRecorder(), r)
	}
	var got, want []string
	for _, r := range a.requests() {
		got = append(got, r.Params.Get("CallSid"))
	}
	for i := n - logSize; i < n; i++ {
		want = append(want, fmt.Sprintf("CA%032x", i))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests remembered, by CallSid (-want +got):\n%s", diff)
	}
}

// TestBadQuery checks that a signed GET whose query cannot be read is
// answered 400, not served with half its parameters.
func TestBadQuery(t *testing.T) {
	const token = "t"
	a, err := newApp(token)
	if err != nil {
		t.Fatal(err)
	}
	const u = "http://ivr.example/menu?Digits=%zz"
	r := httptest.NewRequest(http.MethodGet, u, nil)
	r.Header.Set(signature.Header, signature.Sign(token, u, nil))
	w := httptest.NewRecorder()
	a.ServeHTTP(w, r)
	if w.Code != http.StatusBadRequest {
		t.Errorf("status %d, want %d", w.Code, http.StatusBadRequest)
	}
}
