// Command ivr is an example TwiML voice application to test with dialsim:
// a menu that sends the caller to sales or support, rings the department's
// agents at once, screens each with a whisper ("press 1 to accept") so
// that voicemail never takes the call, and offers to take a callback
// number when nobody does. It checks X-Twilio-Signature on every request
// and answers 403 to a request without a valid one.
//
// Run it, then point dialsim at it:
//
//	go run ./examples/ivr -addr :8080
//	go run ./cmd/dialsim test examples/ivr/scenarios
//
// The scenarios name the app with "app http://localhost:8080" and sign
// with "token ivr-demo-token", the app's default token; --app URL
// points them elsewhere.
package main

import (
	"cmp"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"time"
)

// demoToken is the auth token the app uses when given none: the token of
// the example scenarios. A real app uses its Twilio account's auth token.
const demoToken = "ivr-demo-token"

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	token := flag.String("token", cmp.Or(os.Getenv("TWILIO_AUTH_TOKEN"), demoToken),
		"auth token that signs the requests (default $TWILIO_AUTH_TOKEN, else the scenarios' demo token)")
	flag.Parse()
	log.SetFlags(0)
	a := newApp(*token)
	srv := &http.Server{
		Addr: *addr,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			log.Printf("%s %s", r.Method, r.URL)
			a.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Printf("ivr: listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
