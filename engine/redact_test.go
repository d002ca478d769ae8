package engine_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dialsim/dialsim/engine"
)

// TestNoUserInfo: the user information of the base URL, of a redirect's
// Location and of a document's URLs appears nowhere in the transcript,
// and a failed request's diagnostic names the path on the application,
// not its host and port.
func TestNoUserInfo(t *testing.T) {
	const secret = "s3cret"
	mux := http.NewServeMux()
	mux.HandleFunc("/voice", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(`<Response><Dial action="/after"><Number statusCallback="http://cb:` + secret + `@127.0.0.1:1/cb">+15550003333</Number></Dial></Response>`))
	})
	mux.HandleFunc("/after", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://user:"+secret+"@127.0.0.1:1/gone", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	base := strings.Replace(srv.URL, "://", "://AC1:"+secret+"@", 1)
	e := &engine.Engine{BaseURL: base, Client: srv.Client(), AuthToken: secret + "token",
		Parties: engine.Parties{{Addr: "+15550003333", Outcome: 1, After: 1e9, Talk: 1e9}}}
	res, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"})
	if err != nil {
		t.Fatal(err)
	}
	got := text(res)
	var js strings.Builder
	engine.WriteJSON(&js, res.Events)
	for _, out := range []string{got, js.String()} {
		for _, leak := range []string{secret, "AC1", "user@", "cb@", strings.TrimPrefix(srv.URL, "http://")} {
			if strings.Contains(out, leak) {
				t.Errorf("%q in the transcript:\n%s", leak, out)
			}
		}
	}
	for _, want := range []string{
		`message="status callback failed: 11205 HTTP connection failure: http://127.0.0.1:1/cb: connect: connection refused"`,
		`message="11205 HTTP connection failure: http://127.0.0.1:1/gone: connect: connection refused"`,
		"URL=/voice", "URL=/after",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %s in the transcript:\n%s", want, got)
		}
	}
}
