package signature_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/dialsim/dialsim/signature"
)

// Twilio's published example: the signature of a POST to a URL with a
// query, carrying five parameters, for the auth token 12345.
func ExampleSign() {
	params := url.Values{
		"CallSid": {"CA1234567890ABCDE"},
		"Caller":  {"+14158675310"},
		"Digits":  {"1234"},
		"From":    {"+14158675310"},
		"To":      {"+18005551212"},
	}
	const token, u = "12345", "https://example.com/myapp.php?foo=1&bar=2"

	sig := signature.Sign(token, u, params)
	fmt.Println(sig)
	fmt.Println(signature.Check(token, u, params, sig))
	fmt.Println(signature.Check("wrong token", u, params, sig))
	// Output:
	// L/OH5YylLD5NRKLltdqwSvS0BnU=
	// <nil>
	// signature: X-Twilio-Signature does not match the request
}

// An application wraps its handlers so that only requests signed with
// its auth token reach them; the others get 403 Forbidden.
func ExampleHandler() {
	voice := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, "<Response><Say>Hello %s</Say></Response>", r.PostForm.Get("From"))
	})
	app := signature.Handler("my auth token", voice)

	params := url.Values{"From": {"+14155550100"}}
	for _, token := range []string{"my auth token", "a guess"} {
		r := httptest.NewRequest("POST", "http://app.example/voice", strings.NewReader(params.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set(signature.Header, signature.Sign(token, "http://app.example/voice", params))
		w := httptest.NewRecorder()
		app.ServeHTTP(w, r)
		fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
	}
	// Output:
	// 200 <Response><Say>Hello +14155550100</Say></Response>
	// 403 Forbidden
}

// Behind a proxy or tunnel, an application checks against the public
// URL Twilio was given, not the one it received the request at.
func ExampleRequest() {
	const public = "https://ivr.example.com/voice"
	params := url.Values{"CallSid": {"CA1234567890ABCDE"}}
	// The proxy forwards to the app on plain http and a private address.
	r := httptest.NewRequest("POST", "http://10.0.0.7:8080/voice", strings.NewReader(params.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set(signature.Header, signature.Sign("token", public, params))

	fmt.Println(signature.Request(r, "token", ""))
	fmt.Println(signature.Request(r, "token", public))
	// Output:
	// signature: X-Twilio-Signature does not match the request
	// <nil>
}
