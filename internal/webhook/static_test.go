package webhook_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/internal/webhook"
)

// engine.Documents' answers, looked up through Config.Documents without a
// request, are those its ServeHTTP gives through the request path: the
// same Response or the same error, for Do and for Notify.
func TestStaticIsServeHTTP(t *testing.T) {
	d := engine.Documents{
		"/voice":      twiml,
		"/empty":      "",
		"/blank":      " \n\t ",
		"/big":        "<Response>" + strings.Repeat("<Pause/>", 9000) + "</Response>",
		"/a b":        twiml,
		"/caf\u00e9":  twiml,
		"/":           twiml,
		"/q":          twiml,
		"/limit":      strings.Repeat(" ", 100) + twiml,
		"/with%2Fenc": twiml,
	}
	params := url.Values{"CallSid": {"CA1"}, "From": {"+1 555"}, "Digits": {"1#"}}
	urls := []string{
		"http://app.test/voice",
		"https://app.test:8443/voice?x=1",
		"http://app.test/missing",
		"http://app.test/empty",
		"http://app.test/blank",
		"http://app.test/big",
		"http://app.test/a%20b",
		"http://app.test/caf%C3%A9",
		"http://app.test",
		"http://app.test/q?a=1&b=2#frag",
		"http://user:pw@app.test/voice",
		"http://app.test/with%2Fenc",
		"http://app.test/with/enc",
		"ftp://app.test/voice",
		"http:///voice",
		"::not a url",
		"http://app.test/%zz",
	}
	for _, tt := range []struct {
		maxBody int64
		targets *webhook.Targets
	}{{0, nil}, {128, nil}, {0, webhook.NewTargets(1 << 20)}} {
		maxBody := tt.maxBody
		static := webhook.New(webhook.Config{Handler: d, Documents: d.Document, Targets: tt.targets, MaxBody: maxBody, AuthToken: token})
		served := webhook.New(webhook.Config{Handler: d, MaxBody: maxBody, AuthToken: token})
		for _, u := range urls {
			for _, method := range []string{"POST", "GET", "get"} {
				req := webhook.Request{Method: method, URL: u, Params: params}
				want, wantErr := served.Do(context.Background(), req)
				got, gotErr := static.Do(context.Background(), req)
				if diff := cmp.Diff(answered(want), answered(got)); diff != "" {
					t.Errorf("max %d, %s %s: Do's Response differs (-served +static):\n%s", maxBody, method, u, diff)
				}
				if errText(wantErr) != errText(gotErr) {
					t.Errorf("max %d, %s %s: Do's error is %q, served it is %q", maxBody, method, u, errText(gotErr), errText(wantErr))
				}
				wantErr = served.Notify(context.Background(), req)
				gotErr = static.Notify(context.Background(), req)
				if errText(wantErr) != errText(gotErr) {
					t.Errorf("max %d, %s %s: Notify's error is %q, served it is %q", maxBody, method, u, errText(gotErr), errText(wantErr))
				}
			}
		}
	}
}

// A document of Config.Documents is not fetched once the context is done.
func TestStaticCancelled(t *testing.T) {
	d := engine.Documents{"/voice": twiml}
	f := webhook.New(webhook.Config{Handler: d, Documents: d.Document})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Do(ctx, webhook.Request{URL: "http://app.test/voice"}); err == nil || !strings.Contains(err.Error(), "abandoned") {
		t.Errorf("Do after the cancellation: %v, want the request abandoned", err)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// answered is what a Response says: the document, whichever field holds it.
type staticAnswer struct {
	URL, Document string
	Status        int
}

func answered(r *webhook.Response) *staticAnswer {
	if r == nil {
		return nil
	}
	return &staticAnswer{URL: r.URL, Document: r.Document(), Status: r.Status}
}
