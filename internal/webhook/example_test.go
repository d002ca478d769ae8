package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/signature"
)

// The engine fetches each TwiML document of a call with the call's
// Fetcher. Here the application runs in-process, so nothing touches the
// network, and checks the signature of every request.
func ExampleFetcher_Do() {
	const token = "secret"
	app := http.NewServeMux()
	app.HandleFunc("POST /voice", func(w http.ResponseWriter, r *http.Request) {
		if signature.Request(r, token, "") != nil {
			http.Error(w, "bad signature", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, "<Response><Say>Hello %s</Say></Response>", r.PostForm.Get("From"))
	})

	ctx := context.Background()
	call := webhook.New(webhook.Config{Handler: app, AuthToken: token})
	resp, err := call.Do(ctx, webhook.Request{
		URL:    "http://app.test/voice",
		Params: url.Values{"From": {"+14155550100"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Status, string(resp.Body))

	_, err = call.Do(ctx, webhook.Request{URL: "http://app.test/missing"})
	var failure *webhook.Error
	if errors.As(err, &failure) {
		fmt.Println(failure.Code, failure.Status)
		fmt.Println(err)
	}
	// Output:
	// 200 <Response><Say>Hello +14155550100</Say></Response>
	// 11217 404
	// 11217 HTTP error response code: http://app.test/missing answered 404 Not Found
}

// An application that answers plain text, as a web framework does by
// default, has it read aloud as Twilio does: the Fetcher returns the
// TwiML that says it and hangs up, with a note saying so.
func ExampleFetcher_Do_plainText() {
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "We are closed. Call again tomorrow & goodbye.")
	})
	resp, err := webhook.New(webhook.Config{Handler: app}).Do(context.Background(),
		webhook.Request{URL: "http://app.test/voice", Jar: "CA1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Document())
	fmt.Println(resp.Note)
	// Output:
	// <Response><Say>We are closed. Call again tomorrow &amp; goodbye.</Say><Hangup/></Response>
	// the text/plain answer is not TwiML: it is read aloud (<Say>), then the call hangs up (<Hangup>)
}
