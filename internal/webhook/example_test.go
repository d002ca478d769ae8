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
