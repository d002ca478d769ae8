package signature_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dialsim/dialsim/signature"
)

// newRequest returns a request as a server receives it: a POST carries
// params as its form, any other method in its URL's query.
func newRequest(method, target string, params url.Values) *http.Request {
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(params.Encode())
	} else if len(params) > 0 {
		target += "?" + params.Encode()
	}
	r := httptest.NewRequest(method, target, body)
	if method == http.MethodPost {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return r
}

func TestRequest(t *testing.T) {
	const token = "secret"
	params := url.Values{"CallSid": {"CA1234567890ABCDE"}, "From": {"+15550001111"}}
	get := "http://app.test/voice?" + params.Encode()
	tests := []struct {
		name    string
		method  string
		target  string     // where the server received it
		signed  string     // the URL signed ("" for no signature)
		sparams url.Values // the parameters signed
		token   string     // the token Request checks with
		public  string     // the fullURL argument
		mutate  func(*http.Request)
		want    error
	}{
		{"POST: URL and form", "POST", "http://app.test/voice", "http://app.test/voice", params, token, "", nil, nil},
		{"GET: the URL with its query", "GET", "http://app.test/voice", get, nil, token, "", nil, nil},
		{"GET signed as a POST", "GET", "http://app.test/voice", "http://app.test/voice", params, token, "", nil, signature.ErrMismatch},
		{"POST signed without its form", "POST", "http://app.test/voice", "http://app.test/voice", nil, token, "", nil, signature.ErrMismatch},
		{"https: received on a port, signed without", "POST", "https://app.test:8443/voice", "https://app.test/voice", params, token, "", nil, nil},
		{"http: the port counts", "POST", "http://app.test:8080/voice", "http://app.test:9090/voice", params, token, "", nil, signature.ErrMismatch},
		{"behind a proxy: the public URL", "POST", "http://10.0.0.7:8080/voice", "https://ivr.example.com/voice", params, token, "https://ivr.example.com/voice", nil, nil},
		{"behind a proxy: the URL received", "POST", "http://10.0.0.7:8080/voice", "https://ivr.example.com/voice", params, token, "", nil, signature.ErrMismatch},
		{"unsigned", "POST", "http://app.test/voice", "", params, token, "", nil, signature.ErrMissing},
		{"another token", "POST", "http://app.test/voice", "http://app.test/voice", params, "other", "", nil, signature.ErrMismatch},
		{"no token to check with", "POST", "http://app.test/voice", "http://app.test/voice", params, "", "", nil, signature.ErrNoToken},
		{"a parameter added on the way", "POST", "http://app.test/voice", "http://app.test/voice", params, token, "",
			func(r *http.Request) {
				r.Body = io.NopCloser(strings.NewReader(params.Encode() + "&Digits=9"))
			}, signature.ErrMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(tt.method, tt.target, params)
			if tt.signed != "" {
				r.Header.Set(signature.Header, signature.Sign(token, tt.signed, tt.sparams))
			}
			if tt.mutate != nil {
				tt.mutate(r)
			}
			err := signature.Request(r, tt.token, tt.public)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Request = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRequestUnreadableForm(t *testing.T) {
	const token = "secret"
	tests := []struct {
		name       string
		body       io.Reader
		limit      int64 // http.MaxBytesReader's, if not 0
		wantStatus int
	}{
		{"bad escape", strings.NewReader("From=%zz"), 0, http.StatusBadRequest},
		{"over the limit", strings.NewReader("From=" + strings.Repeat("1", 1<<10)), 512, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "http://app.test/voice", tt.body)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set(signature.Header, "c2lnbmF0dXJl")
			if tt.limit > 0 {
				r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, tt.limit)
			}
			err := signature.Request(r, token, "")
			if err == nil || errors.Is(err, signature.ErrMismatch) {
				t.Fatalf("Request = %v, want the error of reading the form", err)
			}
			if got := signature.Status(err); got != tt.wantStatus {
				t.Errorf("Status(%v) = %d, want %d", err, got, tt.wantStatus)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, http.StatusOK},
		{signature.ErrNoToken, http.StatusForbidden},
		{signature.ErrMissing, http.StatusForbidden},
		{signature.ErrMismatch, http.StatusForbidden},
		{&http.MaxBytesError{Limit: 10}, http.StatusRequestEntityTooLarge},
		{errors.New("malformed"), http.StatusBadRequest},
	}
	for _, tt := range tests {
		if got := signature.Status(tt.err); got != tt.want {
			t.Errorf("Status(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestHandler(t *testing.T) {
	const token = "secret"
	params := url.Values{"CallSid": {"CA1234567890ABCDE"}}
	var served []string
	h := signature.Handler(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served = append(served, r.PostForm.Get("CallSid"))
	}))
	tests := []struct {
		name       string
		sig        string
		wantStatus int
	}{
		{"valid", signature.Sign(token, "http://app.test/voice", params), http.StatusOK},
		{"unsigned", "", http.StatusForbidden},
		{"another token", signature.Sign("other", "http://app.test/voice", params), http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			served = nil
			r := newRequest(http.MethodPost, "http://app.test/voice", params)
			if tt.sig != "" {
				r.Header.Set(signature.Header, tt.sig)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", w.Code, tt.wantStatus)
			}
			wantServed := 0
			if tt.wantStatus == http.StatusOK {
				wantServed = 1
			}
			if len(served) != wantServed {
				t.Errorf("next served %d requests, want %d", len(served), wantServed)
			}
		})
	}
}
