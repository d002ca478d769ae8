package main

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/dialsim/dialsim/signature"
)

// statusEvents are the status callback events the app asks for on every
// agent's leg.
const statusEvents = "initiated ringing answered completed"

// department is a team the menu offers: the digit that selects it and the
// agents its Dial rings at once.
type department struct {
	key    string // the caller's digit
	name   string // as said to the caller, and in the query of its URLs
	agents []agent
}

// agent is one Dial noun: <Number> or <Client>, and its address.
type agent struct {
	noun string // "Number" or "Client"
	addr string // +E.164, or the client's identity
}

// departments are the app's teams. Sales rings Alice's mobile and Bob's
// desk client; support rings two clients and a mobile.
var departments = []department{
	{key: "1", name: "sales", agents: []agent{
		{"Number", "+14155550101"},
		{"Client", "bob"},
	}},
	{key: "2", name: "support", agents: []agent{
		{"Client", "carol"},
		{"Client", "dave"},
		{"Number", "+14155550102"},
	}},
}

func departmentByKey(key string) (department, bool) {
	for _, d := range departments {
		if d.key == key {
			return d, true
		}
	}
	return department{}, false
}

func departmentByName(name string) (department, bool) {
	for _, d := range departments {
		if d.name == name {
			return d, true
		}
	}
	return department{}, false
}

// Limits that keep the app's memory bounded, whatever it is sent.
const (
	// maxBody is the largest request body the app reads. Twilio's
	// parameters take a few KiB; a larger body is answered 413.
	maxBody = 32 << 10
	// logSize is how many requests the app remembers: the latest.
	logSize = 256
)

// request is one request the app received, as it read it.
type request struct {
	// Method is GET or POST.
	Method string
	// URL is the full URL the app checked the signature against:
	// scheme://host/path?query.
	URL string
	// Path is the URL's path, such as "/voice".
	Path string
	// Params are Twilio's parameters, for a request with a valid
	// signature: the form body of a POST, or the query of a GET (which
	// includes the app's own query parameters).
	Params url.Values
	// Signed reports whether the request had an X-Twilio-Signature
	// header; Valid, whether it was the right one.
	Signed, Valid bool
	// Status is the HTTP status the app answered.
	Status int
}

// app is the IVR: an http.Handler that serves its TwiML, and status
// callbacks, to requests signed with its auth token. It remembers the
// latest requests it received, for the tests.
type app struct {
	token string
	mux   *http.ServeMux
	log   requestLog
}

// errNoToken is newApp's error for an empty auth token: an app that
// checked signatures with an empty key would accept anyone's requests.
var errNoToken = errors.New("ivr: no auth token (set -token or TWILIO_AUTH_TOKEN)")

// newApp returns the IVR application, checking every request's
// X-Twilio-Signature against authToken and answering 403 to a request
// without a valid one. An empty authToken is refused.
func newApp(authToken string) (*app, error) {
	if authToken == "" {
		return nil, errNoToken
	}
	a := &app{token: authToken, mux: http.NewServeMux(), log: requestLog{max: logSize}}
	a.mux.HandleFunc("/voice", a.voice)
	a.mux.HandleFunc("/menu", a.menu)
	a.mux.HandleFunc("/screen", a.screen)
	a.mux.HandleFunc("/screen/answer", a.screenAnswer)
	a.mux.HandleFunc("/after-dial", a.afterDial)
	a.mux.HandleFunc("/message", a.message)
	a.mux.HandleFunc("/status", a.status)
	return a, nil
}

// ServeHTTP checks the request's signature, records the request, and
// serves it if the signature is valid. It reads at most maxBody bytes of
// the body.
func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	// The URL Twilio requested, as it signed it. Behind a proxy or
	// tunnel that changes the scheme or host, use the public URL Twilio
	// was given instead.
	rec := request{Method: r.Method, URL: signature.URL(r), Path: r.URL.Path}
	rec.Signed = r.Header.Get(signature.Header) != ""
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		rec.Status = http.StatusMethodNotAllowed
		a.log.add(rec)
		http.Error(w, http.StatusText(rec.Status), rec.Status)
		return
	}
	// A POST is signed with its URL (query included) and its form; a
	// GET with its URL alone, parameters in the query.
	if err := signature.Request(r, a.token, rec.URL); err != nil {
		rec.Status = signature.Status(err)
		a.log.add(rec)
		http.Error(w, http.StatusText(rec.Status), rec.Status)
		return
	}
	rec.Valid = true
	// For a GET's query; a POST's form is parsed already.
	if err := r.ParseForm(); err != nil {
		rec.Status = http.StatusBadRequest
		a.log.add(rec)
		http.Error(w, http.StatusText(rec.Status), rec.Status)
		return
	}
	rec.Params = r.URL.Query()
	if r.Method == http.MethodPost {
		rec.Params = r.PostForm
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	a.mux.ServeHTTP(sw, r)
	rec.Status = sw.status
	a.log.add(rec)
}

// requests returns the requests the app remembers, oldest first: all of
// them, up to the latest logSize.
func (a *app) requests() []request { return a.log.all() }

// requestLog is a ring of the latest max requests.
type requestLog struct {
	max int

	mu   sync.Mutex
	reqs []request // in arrival order until full, then a ring
	next int       // once full, the oldest, which the next add replaces
}

func (l *requestLog) add(rec request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.reqs) < l.max {
		l.reqs = append(l.reqs, rec)
		return
	}
	l.reqs[l.next] = rec
	l.next = (l.next + 1) % l.max
}

func (l *requestLog) all() []request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append(slices.Clone(l.reqs[l.next:]), l.reqs[:l.next]...)
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// respond answers a TwiML document made of the given verbs.
func respond(w http.ResponseWriter, verbs ...string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	io.WriteString(w, xml.Header)
	if len(verbs) == 0 {
		io.WriteString(w, "<Response/>\n")
		return
	}
	io.WriteString(w, "<Response>\n")
	for _, v := range verbs {
		io.WriteString(w, "  "+v+"\n")
	}
	io.WriteString(w, "</Response>\n")
}

// esc escapes s for XML text and attribute values.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

func say(text string) string { return "<Say>" + esc(text) + "</Say>" }

// voice greets the caller with the menu.
func (a *app) voice(w http.ResponseWriter, r *http.Request) {
	respond(w,
		`<Gather numDigits="1" timeout="5" action="/menu">`+
			say("Thanks for calling Acme. For sales, press 1. For support, press 2.")+
			`</Gather>`,
		say("We did not receive your choice. Goodbye."),
	)
}

// menu dials the department the caller chose: every agent at once, each
// screened by a whisper that asks them to press 1.
func (a *app) menu(w http.ResponseWriter, r *http.Request) {
	d, ok := departmentByKey(r.Form.Get("Digits"))
	if !ok {
		respond(w, say("Sorry, that is not an option."), "<Redirect>/voice</Redirect>")
		return
	}
	q := "?dept=" + url.QueryEscape(d.name)
	var dial strings.Builder
	fmt.Fprintf(&dial, `<Dial timeout="20" action="%s">`, esc("/after-dial"+q))
	for _, ag := range d.agents {
		fmt.Fprintf(&dial, "\n    <%s url=\"%s\" statusCallback=\"/status\" statusCallbackEvent=\"%s\">%s</%s>",
			ag.noun, esc("/screen"+q), statusEvents, esc(ag.addr), ag.noun)
	}
	dial.WriteString("\n  </Dial>")
	respond(w, say("Connecting you to "+d.name+"."), dial.String())
}

// screen is the whisper: it runs on an agent's leg when they answer, and
// asks them to press 1 to take the call. A voicemail presses nothing, so
// the Gather times out and <Hangup/> declines the leg.
func (a *app) screen(w http.ResponseWriter, r *http.Request) {
	d, _ := departmentByName(r.Form.Get("dept"))
	respond(w,
		`<Gather numDigits="1" timeout="5" action="/screen/answer">`+
			say("Call for "+d.name+". Press 1 to accept.")+
			`</Gather>`,
		"<Hangup/>",
	)
}

// screenAnswer accepts the call with an empty document when the agent
// pressed 1, and declines it otherwise.
func (a *app) screenAnswer(w http.ResponseWriter, r *http.Request) {
	if r.Form.Get("Digits") == "1" {
		respond(w)
		return
	}
	respond(w, "<Hangup/>")
}

// afterDial is the Dial's action: goodbye after a connected call; when
// nobody took it, an offer to leave a callback number.
func (a *app) afterDial(w http.ResponseWriter, r *http.Request) {
	name := r.Form.Get("dept")
	switch {
	case r.Form.Get("DialCallStatus") == "canceled":
		// The caller hung up while the agents rang: nothing will play.
		respond(w)
	case r.Form.Get("DialBridged") == "true":
		respond(w, say("Thank you for calling. Goodbye."), "<Hangup/>")
	default:
		respond(w,
			`<Gather finishOnKey="#" timeout="10" action="`+esc("/message?dept="+url.QueryEscape(name))+`">`+
				say("Sorry, nobody in "+name+" can take your call. Enter your phone number, then press pound, and we will call you back.")+
				`</Gather>`,
			say("We did not get a number. Goodbye."),
		)
	}
}

// message takes the callback number the caller left.
func (a *app) message(w http.ResponseWriter, r *http.Request) {
	respond(w, say("Thank you. Someone from "+r.Form.Get("dept")+" will call you back. Goodbye."), "<Hangup/>")
}

// status receives the agents' status callbacks.
func (a *app) status(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}
