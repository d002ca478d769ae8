// Command ivr is an example TwiML voice application to test with dialsim:
// a menu that sends the caller to sales or support, rings the department's
// agents at once, screens each with a whisper ("press 1 to accept") so
// that voicemail never takes the call, and offers to take a callback
// number when nobody does. It checks X-Twilio-Signature on every request
// (package github.com/dialsim/dialsim/signature) and answers 403 to a
// request without a valid one.
//
// It is meant to be copied, so it does what a real app must: it has no
// built-in auth token and refuses to start without one (-token, else
// $TWILIO_AUTH_TOKEN), it listens on 127.0.0.1 unless -addr says
// otherwise, it reads at most 32 KiB of a request's body, and it
// remembers only its latest 256 requests.
//
// Run it with the token of the example scenarios, then point dialsim at
// it:
//
//	TWILIO_AUTH_TOKEN=ivr-demo-token go run ./examples/ivr
//	go run ./cmd/dialsim test examples/ivr/scenarios
//
// The scenarios name the app with "app http://localhost:8080" and sign
// with "token ivr-demo-token"; --app URL points them elsewhere.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

// config is how the app is set up: where it listens, and the auth token
// that signs the requests it accepts.
type config struct {
	addr, token string
}

// defaultAddr is where the app listens unless told otherwise: loopback
// only, so that a demo is not open to the network.
const defaultAddr = "127.0.0.1:8080"

// parseConfig reads the command line args, and the environment through
// getenv. The token is -token if given (an empty one is refused), else
// $TWILIO_AUTH_TOKEN; with neither, it is an error.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("ivr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", defaultAddr, "address to listen on (host:port; \":8080\" for every interface)")
	token := fs.String("token", "", "auth token that signs the requests (default $TWILIO_AUTH_TOKEN)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("ivr: unexpected argument %q", fs.Arg(0))
	}
	cfg := config{addr: *addr, token: *token}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "token" })
	if !given {
		cfg.token = getenv("TWILIO_AUTH_TOKEN")
	}
	if cfg.token == "" {
		return config{}, errNoToken
	}
	return cfg, nil
}

func main() {
	log.SetFlags(0)
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		log.Print(err)
		os.Exit(2)
	}
	a, err := newApp(cfg.token)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			log.Printf("%s %s", r.Method, r.URL.Path)
			a.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	log.Printf("ivr: listening on http://%s", ln.Addr())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
