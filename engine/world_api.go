package engine

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/twiml"
)

// DefaultAPITimeout is how long an outbound-api call rings before it
// ends no-answer when CallParams.Timeout is zero: 60 seconds, Twilio's
// default for the Calls resource (a Dial's is 30).
const DefaultAPITimeout = 60 * time.Second

// KindAPI is the event of a request to the Calls resource (or the
// Member, Conference and Participant resources) at a virtual instant: Op
// (redirect, hangup, dequeue, end-conference, participant), then Status (the HTTP
// status: 201, 200, 400, 404) and Code (Twilio's error code, when it
// fails).
const KindAPI = "api"

// KindCallRinging is the event of an outbound-api call starting to ring
// its party.
const KindCallRinging = "call.ringing"

// Why a call's document was interrupted from outside.
var (
	errRedirected = errors.New("redirected from outside")
	errAPIHangup  = errors.New("hung up from outside")
)

// CallParams are the parameters of a POST to the Calls resource: an
// outbound-api call from From to To, which requests URL (or runs TwiML)
// once the party at To answers. The party at To behaves as
// Engine.Parties says (answer, busy, fail, reject, noanswer; its presses
// are its keys in the call's Gathers, its hangup is how long after
// answering it hangs up).
type CallParams struct {
	// Name names the call in the world's transcript (dialsim's, not
	// Twilio's); empty means api1, api2, ... in the order of CreateCall.
	Name string
	// From and To are the caller ID and the called address.
	From, To string
	// URL is Twilio's Url parameter: the TwiML requested when the call
	// is answered, with Method (POST by default).
	URL, Method string
	// TwiML is Twilio's Twiml parameter: a document run instead of
	// requesting URL.
	TwiML string
	// StatusCallback is requested for each of StatusCallbackEvent
	// (initiated, ringing, answered, completed; completed alone when
	// empty), with StatusCallbackMethod (POST by default).
	StatusCallback, StatusCallbackMethod string
	StatusCallbackEvent                  []string
	// Timeout is how long the call rings before it ends no-answer, in
	// seconds; zero means DefaultAPITimeout.
	Timeout int
	// SendDigits are played to the party once it answers, before URL is
	// requested.
	SendDigits string
	// MachineDetection is Enable or DetectMessageEnd: the first request
	// then carries AnsweredBy (human, or machine_start, or
	// machine_end_beep, for a party that is a voicemail). It is ignored
	// with SendDigits, as Twilio ignores it.
	MachineDetection string
}

// CallUpdate are the parameters of a POST to a call of the Calls
// resource: URL (with Method) or TwiML redirects the live call to new
// TwiML at once; Status canceled hangs up a call still queued or ringing,
// completed any live call.
type CallUpdate struct {
	// URL is Twilio's Url parameter: the TwiML the call is redirected
	// to, requested with Method (POST by default).
	URL, Method string
	// TwiML is Twilio's Twiml parameter: a document the call runs at
	// once instead of requesting URL.
	TwiML string
	// Status is Twilio's Status parameter: canceled or completed.
	Status string
}

// APIError is a failed request to the Calls resource, as Twilio answers
// it: the HTTP status, Twilio's code and a message.
type APIError struct {
	Status  int
	Code    int
	Message string
}

// Error returns the code and the message.
func (e *APIError) Error() string {
	return fmt.Sprintf("engine: %d %d: %s", e.Status, e.Code, e.Message)
}

// outbound is what an outbound-api call was created with.
type outbound struct {
	p          CallParams
	answeredBy string
	callbacks  int // next SequenceNumber
}

// apiOp is a request to the Calls resource to make at a virtual instant.
type apiOp struct {
	at     time.Duration
	op     string // redirect, hangup, dequeue
	sid    string
	update CallUpdate
	queue  string            // a dequeue's queue, or a conference's room
	part   ParticipantUpdate // conference_api.go
}

// SID returns the CallSid that the world's call named name has (or will
// have): for UpdateCall, before the world runs.
func (w *World) SID(name string) string {
	for _, sp := range w.specs {
		if sp.Name == name && sp.Inbound.SID != "" {
			return sp.Inbound.SID
		}
	}
	return worldSID(w.Name, name)
}

// CreateCall makes an outbound-api call at the instant at of the world
// (the POST to the Calls resource): it returns the call's SID, or an
// *APIError for parameters Twilio would refuse: 21201 without To, 21213
// without From, 21200 without Url or Twiml or with a Method other than
// GET or POST, 21205 for a Url that is not a path or an http(s) URL.
func (w *World) CreateCall(at time.Duration, p CallParams) (string, error) {
	switch {
	case p.To == "":
		return "", &APIError{400, 21201, "No 'To' number is specified"}
	case p.From == "":
		return "", &APIError{400, 21213, "No 'From' number is specified"}
	case p.URL == "" && p.TwiML == "":
		return "", &APIError{400, 21200, "Url or Twiml is required"}
	case p.Method != "" && p.Method != "GET" && p.Method != "POST":
		return "", &APIError{400, 21200, "Method must be GET or POST"}
	case p.URL != "" && !validAPIURL(p.URL):
		return "", &APIError{400, 21205, fmt.Sprintf("Url is not a valid URL: %s", p.URL)}
	}
	if p.Name == "" {
		n := 1
		for w.names["api"+strconv.Itoa(n)] {
			n++
		}
		p.Name = "api" + strconv.Itoa(n)
	}
	in := Inbound{From: p.From, To: p.To, URL: p.URL, Method: p.Method}
	if in.URL == "" {
		in.URL = "/" // the Twiml's base
	}
	if err := w.Add(WorldCall{Name: p.Name, At: at, Inbound: in}); err != nil {
		return "", err
	}
	sp := &w.specs[len(w.specs)-1]
	sp.out = &p
	return w.SID(p.Name), nil
}

func validAPIURL(u string) bool {
	if strings.HasPrefix(u, "/") {
		return true
	}
	v, err := url.Parse(u)
	return err == nil && (v.Scheme == "http" || v.Scheme == "https") && v.Host != ""
}

// UpdateCall modifies the call sid at the instant at of the world (the
// POST to a call of the Calls resource). What happens then is in the
// transcript, as an api event: a call that is not live then is 21220
// (or 20404 if the world has no such call); Status canceled leaves a call
// in progress as it is. It returns an *APIError at once for an update
// without Url, Twiml or a Status of canceled or completed (21200).
func (w *World) UpdateCall(at time.Duration, sid string, u CallUpdate) error {
	if u.URL == "" && u.TwiML == "" && u.Status == "" {
		return &APIError{400, 21200, "Url, Twiml or Status is required"}
	}
	if u.Status != "" && u.Status != "canceled" && u.Status != "completed" {
		return &APIError{400, 21200, "Status must be canceled or completed"}
	}
	if u.URL != "" && !validAPIURL(u.URL) {
		return &APIError{400, 21205, fmt.Sprintf("Url is not a valid URL: %s", u.URL)}
	}
	op := "redirect"
	if u.Status != "" {
		op = "hangup"
	}
	return w.schedule(apiOp{at: at, op: op, sid: sid, update: u})
}

// DequeueMember takes the call sid (or, with sid "Front", the first
// call) out of queue at the instant at and redirects it to url (the POST
// to the Member resource): its Enqueue ends with QueueResult=redirected.
// A call that is not in the queue then is a 400 in the transcript.
func (w *World) DequeueMember(at time.Duration, queue, sid, rawURL, method string) error {
	if rawURL == "" || !validAPIURL(rawURL) {
		return &APIError{400, 21205, fmt.Sprintf("Url is not a valid URL: %s", rawURL)}
	}
	return w.schedule(apiOp{at: at, op: "dequeue", sid: sid, queue: queue, update: CallUpdate{URL: rawURL, Method: method}})
}

func (w *World) schedule(op apiOp) error {
	if w.ran {
		return ErrWorldRan
	}
	if op.at < 0 {
		return fmt.Errorf("engine: a request at %v, before the world starts", op.at)
	}
	w.ops = append(w.ops, op)
	return nil
}

// apply makes the request op at its instant.
func (w *World) apply(ctx context.Context, op apiOp) {
	if !w.sleep(ctx, nil, op.at) {
		return
	}
	switch op.op {
	case "dequeue":
		w.dequeueMember(op)
		return
	case "end-conference", "participant":
		w.confOp(op) // conference_api.go
		return
	}
	r := w.live(op.sid)
	if r == nil {
		if op.op == "hangup" && w.unplaced(op.sid) {
			w.mu.Lock()
			w.canceled[op.sid] = true
			w.mu.Unlock()
			w.apiEvent(op, nil, 200, 0, "canceled before it was placed")
			return
		}
		w.apiEvent(op, nil, 404, 20404, "no live call "+op.sid)
		return
	}
	c := r.c
	u := op.update
	c.mu.Lock()
	answered := c.answered
	c.mu.Unlock()
	switch {
	case op.op == "hangup" && u.Status == "canceled" && answered:
		w.apiEvent(op, r, 200, 0, "the call is in progress: canceled does not end it")
	case op.op == "hangup":
		w.apiEvent(op, r, 200, 0, "")
		r.callCtx().end(errAPIHangup)
	case !answered:
		w.apiEvent(op, r, 400, 21220, "the call is not in progress")
	default:
		w.apiEvent(op, r, 200, 0, "")
		r.redirectTo(u)
	}
}

// dequeueMember applies a Member resource POST.
func (w *World) dequeueMember(op apiOp) {
	res := &w.res
	res.mu.Lock()
	q := res.queues[op.queue]
	var m *member
	if q != nil {
		for _, x := range q.members {
			if op.sid == "Front" || x.c.sid == op.sid {
				m = x
				break
			}
		}
	}
	res.mu.Unlock()
	if m == nil {
		w.apiEvent(op, nil, 400, 0, "no such member of queue "+op.queue)
		return
	}
	w.apiEvent(op, m.c.wc, 200, 0, "")
	m.c.wc.redirectTo(op.update)
}

// apiEvent records a request and its answer, on the call's line if there
// is one.
func (w *World) apiEvent(op apiOp, r *worldCall, status, code int, msg string) {
	attrs := []Attr{a("Op", op.op)}
	if op.sid != "" {
		attrs = append(attrs, a("CallSid", op.sid))
	}
	attrs = append(attrs, a("Status", status))
	if code != 0 {
		attrs = append(attrs, a("Code", code))
	}
	if op.update.URL != "" {
		attrs = append(attrs, a("Url", op.update.URL))
	}
	if op.update.Status != "" {
		attrs = append(attrs, a("CallStatus", op.update.Status))
	}
	if op.queue != "" && op.op == "end-conference" {
		attrs = append(attrs, a("FriendlyName", op.queue))
	}
	if m := op.part.Muted; m != nil {
		attrs = append(attrs, a("Muted", *m))
	}
	if h := op.part.Hold; h != nil {
		attrs = append(attrs, a("Hold", *h))
	}
	if msg != "" {
		attrs = append(attrs, a("message", msg))
	}
	w.mu.Lock()
	live := r != nil && !r.ended
	w.mu.Unlock()
	if live {
		r.c.emit(KindAPI, "", attrs...)
		return
	}
	if w.e.NoTranscript {
		return
	}
	w.mu.Lock()
	w.events = append(w.events, Event{T: w.s.Elapsed(), Kind: KindAPI, Attrs: attrs, Call: "-"})
	w.mu.Unlock()
}

// unplaced reports whether the call sid is a caller's call the world has
// not placed yet.
func (w *World) unplaced(sid string) bool {
	for _, sp := range w.specs {
		if !sp.Agent && w.SID(sp.Name) == sid && sp.At > w.s.Elapsed() {
			return true
		}
	}
	return false
}

// live returns the world's call with SID sid while it runs.
func (w *World) live(sid string) *worldCall {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, r := range slices.Backward(w.recs) {
		if r.c.sid == sid && r.started && !r.ended {
			return r
		}
	}
	return nil
}

// callCtx returns the context of the call's caller, which ending hangs
// it up.
func (r *worldCall) callCtx() *legContext { return &r.c.callCtx }

// redirectTo interrupts the document the call runs and has it run u's
// TwiML next.
func (r *worldCall) redirectTo(u CallUpdate) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	r.redirect = &u
	r.doc.end(errRedirected)
}

// firstDocument is the call's first document: for an outbound-api call,
// once the party has answered (nil if it never does).
func (c *call) firstDocument(ctx context.Context) *document {
	if r := c.wc; r != nil {
		r.w.mu.Lock()
		r.started = true
		r.w.mu.Unlock()
		if r.out != nil {
			if !c.ringOut(ctx, r.out) {
				return nil
			}
			if r.out.p.TwiML != "" {
				return c.inlineDocument(ctx, r.out.p.TwiML)
			}
		}
	}
	return c.document(ctx, nil, c.in.URL, c.in.Method, c.base, nil, false)
}

// docContext is the context a document of the call runs in: in a world,
// one that a redirect from outside ends.
func (c *call) docContext(callCtx *legContext) context.Context {
	if c.wc == nil {
		return callCtx
	}
	w := c.wc.w
	w.mu.Lock()
	defer w.mu.Unlock()
	c.wc.doc = legContext{}
	c.wc.doc.init(callCtx)
	return &c.wc.doc
}

// redirected returns the document a redirect from outside asked for, and
// whether there was one.
func (c *call) redirected(ctx context.Context) (*document, bool) {
	r := c.wc
	if r == nil {
		return nil, false
	}
	r.w.mu.Lock()
	u := r.redirect
	r.redirect = nil
	r.w.mu.Unlock()
	if u == nil || ctx.Err() != nil {
		return nil, false
	}
	if u.TwiML != "" {
		c.emit(KindRedirect, "", a("URL", "(Twiml)"), a("Method", ""))
		return c.inlineDocument(ctx, u.TwiML), true
	}
	method := u.Method
	if method == "" {
		method = "POST"
	}
	c.emit(KindRedirect, "", a("URL", u.URL), a("Method", method))
	return c.document(ctx, nil, u.URL, method, c.base, nil, false), true
}

// inlineDocument compiles TwiML given inline (Twiml), whose relative URLs
// resolve against the base URL.
func (c *call) inlineDocument(ctx context.Context, text string) *document {
	if ctx.Err() != nil {
		return nil
	}
	base := strings.TrimRight(c.base, "/") + "/"
	compiled := c.cache.document(text, base, twiml.Options{File: "Twiml"})
	if compiled.resp != nil {
		for _, d := range compiled.resp.Warnings {
			c.diagnostic("", d.Code, strings.ToLower(d.Level.String()), d.Error())
		}
	}
	if compiled.err != nil {
		ds := twiml.DiagnosticsOf(compiled.err)
		if len(ds) == 0 {
			c.diagnostic("", 12100, "error", compiled.err.Error())
		}
		for _, d := range ds {
			c.diagnostic("", d.Code, strings.ToLower(d.Level.String()), d.Error())
		}
		return nil
	}
	return &document{url: base, compiled: compiled}
}

// ringOut rings the party of an outbound-api call until it answers (true)
// or the call ends unanswered: busy, failed, no-answer at the timeout, or
// canceled from outside.
func (c *call) ringOut(ctx context.Context, out *outbound) bool {
	p := &out.p
	c.statusCallback(out, "initiated", "initiated")
	c.emit(KindCallRinging, "", a("To", p.To), a("Timeout", int(timeoutOf(p)/time.Second)))
	party, listed := c.e.party(p.To)
	if !listed {
		c.emit(KindNote, "", a("message", "not listed in the scenario: rings until no-answer at its timeout"))
	}
	c.statusCallback(out, "ringing", "ringing")
	timeout := timeoutOf(p)
	status := ""
	switch {
	case party.Outcome == fake.NoAnswer || party.After >= timeout:
		if c.s.Sleep(ctx, timeout) == nil {
			status = "no-answer"
		}
	case c.s.Sleep(ctx, party.After) != nil:
	case party.Outcome == fake.Busy:
		status = "busy"
	case party.Outcome == fake.Fail:
		status = "failed"
	case party.Outcome == fake.Reject:
		status = "no-answer"
	}
	if ctx.Err() != nil {
		status = "canceled"
	}
	if status != "" {
		c.mu.Lock()
		c.status = status
		c.mu.Unlock()
		return false
	}
	c.answer()
	c.statusCallback(out, "answered", "in-progress")
	c.in.Caller.Presses = party.Presses
	if party.Hangup > 0 {
		callCtx := &c.callCtx
		c.s.Go("party hangup", func() {
			if c.s.Sleep(callCtx, party.Hangup) == nil {
				c.emit(KindCallerHangup, "")
				callCtx.end(errCallerHangup)
			}
		})
	}
	if p.SendDigits != "" {
		c.emit(KindSendDigits, "", a("Digits", p.SendDigits))
		if c.s.Sleep(ctx, digitsTime(p.SendDigits)) != nil {
			return false
		}
	} else if p.MachineDetection == "Enable" || p.MachineDetection == "DetectMessageEnd" {
		out.answeredBy = "human"
		if party.Voicemail {
			out.answeredBy = "machine_start"
			if p.MachineDetection == "DetectMessageEnd" {
				out.answeredBy = "machine_end_beep"
			}
		}
		c.emit(KindNote, "", a("message", "AnsweredBy="+out.answeredBy))
	}
	return true
}

// timeoutOf is an outbound-api call's ring timeout.
func timeoutOf(p *CallParams) time.Duration {
	if p.Timeout <= 0 {
		return DefaultAPITimeout
	}
	return twimlSeconds(p.Timeout)
}

// callParams sets the parameters of a world's call that differ from an
// inbound call's: Direction, and AnsweredBy after machine detection.
func (c *call) callParams(set func(key, value string)) {
	if c.wc == nil || c.wc.out == nil {
		set("Direction", "inbound")
		return
	}
	set("Direction", "outbound-api")
	if by := c.wc.out.answeredBy; by != "" {
		set("AnsweredBy", by)
	}
}

// statusCallback sends the call's status callback for event, if the call
// asked for it.
func (c *call) statusCallback(out *outbound, event, status string) {
	p := &out.p
	if p.StatusCallback == "" {
		return
	}
	abs, method, ok := c.callbackTarget("", "StatusCallback", c.base, p.StatusCallback, p.StatusCallbackMethod, p.StatusCallbackEvent, event)
	if !ok {
		return
	}
	seq := out.callbacks
	out.callbacks++
	var params url.Values
	if c.needParams(method) {
		params = c.params(nil)
		params.Set("CallStatus", status)
		if event == "completed" {
			params.Set("CallDuration", strconv.Itoa(wholeSeconds(c.endAt)))
		}
		params.Set("Timestamp", c.s.Now().Format(time.RFC1123Z))
		params.Set("CallbackSource", "call-progress-events")
		params.Set("SequenceNumber", strconv.Itoa(seq))
	}
	c.emit(KindCallback, "", a("Method", method), a("URL", c.shortURL(abs)), a("CallStatus", status), a("SequenceNumber", seq))
	ctx := context.Context(&c.wc.stop)
	if event != "completed" {
		ctx = c.life
	}
	if err := c.fetch.Notify(ctx, webhook.Request{Method: method, URL: abs, Params: params, Jar: c.sid, Time: c.s.Now()}); err != nil && ctx.Err() == nil {
		code := 11200
		var we *webhook.Error
		if errors.As(err, &we) {
			code = we.Code
		}
		c.diagnostic("", code, "warning", "status callback failed: "+err.Error())
	}
}

// completed sends an outbound-api call's completed callback, once the
// call is over.
func (r *worldCall) completed() {
	if r.out == nil {
		return
	}
	c := r.c
	c.mu.Lock()
	status := c.status
	c.mu.Unlock()
	c.statusCallback(r.out, "completed", status)
}

// leftStatus is the CallStatus of the action of a verb the call left
// before its end: completed when the caller hung up, in-progress when
// the call was redirected from outside and goes on with new TwiML.
func (c *call) leftStatus(ctx context.Context) string {
	if causeOf(ctx) == errRedirected {
		return "in-progress"
	}
	return "completed"
}
