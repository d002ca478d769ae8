package engine

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/twiml"
)

// Simulated durations (README "Behaviour": Twilio documents none of them).
const (
	// SayWordTime is how long <Say> takes per word: 150 words a minute.
	SayWordTime = 400 * time.Millisecond
	// PlayTime is how long one loop of <Play> with a URL takes.
	PlayTime = 5 * time.Second
	// DigitTime is how long one DTMF key (or a w) takes in <Play digits>
	// and sendDigits; W takes twice as long.
	DigitTime = 500 * time.Millisecond
	// InfiniteLoop is the number of loops that loop="0" (until the call
	// ends) stands for.
	InfiniteLoop = 1000
	// LongestWait is the longest a Pause, a Gather's timeout or a Dial's
	// timeLimit may last: four hours, Twilio's longest call. A longer
	// value counts as LongestWait.
	LongestWait = 4 * time.Hour
)

// twimlSeconds turns a TwiML attribute in whole seconds into a duration, at
// most LongestWait (so no value, however large, overflows).
func twimlSeconds(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	if n >= int(LongestWait/time.Second) {
		return LongestWait
	}
	return time.Duration(n) * time.Second
}

var (
	errCallerHangup = errors.New("the caller hung up")
	errPartyHangup  = errors.New("the party hung up")
)

// call is one simulated call in progress.
type call struct {
	e     *Engine
	s     scheduler
	in    Inbound
	start time.Duration // the clock's Elapsed when the call started
	fetch *webhook.Fetcher
	// static is set when the application is Documents, which never sees
	// a POST's parameters.
	static bool

	sid     string
	account string
	base    string

	// life is the context of the whole run of the call, which the caller
	// hanging up does not end: the requests Twilio makes after the caller
	// has gone (the Dial's action, the legs' last status callbacks) use it,
	// so that cancelling Engine.Call still stops them.
	life context.Context

	// The contexts of the call: lifeCtx is life; callCtx ends when the
	// caller hangs up.
	lifeCtx, callCtx legContext

	// Touched only by the call's own goroutine, or under mu.
	mu       sync.Mutex
	events   []Event
	attrs    []Attr // the unused rest of the chunk events' attributes come from
	status   string
	answered bool
	endAt    time.Duration
	dials    []DialResult
	docs     int
	presses  int
	failure  *fetchFailure // a document of the call that failed, until the fallback takes it
	failed   bool          // a document of the call failed
	legs     int
	finished bool
	legBufs  []*[]leg // the Dials' legs, recycled when the call is over
}

func newCall(e *Engine, s scheduler, in Inbound) *call {
	if in.Method == "" {
		in.Method = "POST"
	}
	if in.FallbackMethod == "" {
		in.FallbackMethod = "POST"
	}
	c := &call{e: e, s: s, in: in, start: s.Elapsed(), fetch: e.fetcher(), account: e.accountSID(), base: e.baseURL(), status: "ringing"}
	_, c.static = e.App.(Documents)
	c.sid = in.SID
	if c.sid == "" {
		c.sid = sid("CA", in.From, in.To, in.URL)
	}
	return c
}

func (c *call) now() time.Duration { return c.s.Elapsed() - c.start }

// emit appends an event at the current virtual time.
func (c *call) emit(kind, leg string, attrs ...Attr) {
	if c.e.NoTranscript {
		return
	}
	t := c.now()
	c.mu.Lock()
	if len(c.attrs)+len(attrs) > cap(c.attrs) {
		c.attrs = make([]Attr, 0, max(attrChunk, len(attrs)))
	}
	n := len(c.attrs)
	c.attrs = append(c.attrs, attrs...)
	if c.events == nil {
		c.events = make([]Event, 0, eventsFirst)
	}
	var fields []Attr // nil for an event without fields, as before chunks
	if len(attrs) > 0 {
		fields = c.attrs[n:len(c.attrs):len(c.attrs)]
	}
	c.events = append(c.events, Event{T: t, Kind: kind, Leg: leg, Attrs: fields})
	c.mu.Unlock()
}

// Events' attributes are carved from chunks of at least attrChunk, each
// event's capped so that appending to one cannot touch the next;
// eventsFirst is the transcript's first capacity. A Dial reserves room
// for the events of its legs (initiated, ringing, end: eventsPerLeg) and
// their attributes (attrsPerLeg), and for the events that follow it.
const (
	attrChunk    = 32
	eventsFirst  = 8
	eventsPerLeg = 3
	attrsPerLeg  = 6
	eventsAfter  = 16
	attrsAfter   = 36
)

// reserve makes room for at least n more events and m more attributes,
// so that a Dial's events do not grow the transcript a step at a time.
func (c *call) reserve(n, m int) {
	if c.e.NoTranscript {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cap(c.events)-len(c.events) < n {
		c.events = slices.Grow(c.events, n)
	}
	if cap(c.attrs)-len(c.attrs) < m {
		c.attrs = make([]Attr, 0, max(attrChunk, m))
	}
}

func (c *call) diagnostic(leg string, code int, level, msg string) {
	c.emit(KindDiagnostic, leg, a("code", code), a("level", level), a("message", msg))
}

// run executes the call from its first request to its end.
func (c *call) run(parent context.Context) error {
	c.lifeCtx.init(parent)
	ctx := &c.lifeCtx
	stop := func() { ctx.end(nil) }
	defer stop()
	c.life = ctx
	c.callCtx.init(ctx)
	callCtx := &c.callCtx
	hangup := callCtx.end
	defer hangup(nil)
	c.emit(KindCallStart, "", a("CallSid", c.sid), a("From", c.in.From), a("To", c.in.To))
	if d := c.in.Caller.Hangup; d > 0 {
		c.s.Go("caller", func() {
			if c.s.Sleep(ctx, d) == nil {
				c.emit(KindCallerHangup, "")
				hangup(errCallerHangup)
			}
		})
	}
	doc := c.document(callCtx, nil, c.in.URL, c.in.Method, c.base, nil, false)
	for {
		if doc == nil {
			if doc = c.fallback(callCtx); doc == nil {
				break
			}
		}
		doc = c.execute(callCtx, doc)
	}
	if c.failed && callCtx.Err() == nil && !c.answered {
		// Twilio answers to play its "application error" message.
		c.answer()
	}
	c.end(callCtx)
	stop() // the caller's hangup timer, if it has not fired
	return parent.Err()
}

// fetchFailure is a document of the caller's call that could not be
// fetched or parsed: the fallback URL's cue.
type fetchFailure struct {
	code     int
	url      string
	fallback bool // the fallback URL failed: nothing more to try
}

// fallback requests the call's fallback URL after a document of the call
// failed, with ErrorCode and ErrorUrl, as Twilio does after any fatal error
// of the call. It returns nil when there is no failure to recover, no
// fallback URL, or the fallback itself failed.
func (c *call) fallback(ctx context.Context) *document {
	f := c.failure
	c.failure = nil
	if f == nil || c.in.Fallback == "" || ctx.Err() != nil || f.fallback {
		return nil
	}
	extra := []param{{"ErrorCode", strconv.Itoa(f.code)}, {"ErrorUrl", f.url}}
	doc := c.document(ctx, nil, c.in.Fallback, c.in.FallbackMethod, c.base, extra, false)
	if doc == nil && c.failure != nil {
		c.failure.fallback = true
	}
	return doc
}

// end closes the call: its final status and the call.end event.
func (c *call) end(callCtx context.Context) {
	c.mu.Lock()
	if c.finished {
		c.mu.Unlock()
		return
	}
	c.finished = true
	switch {
	case c.answered:
		c.status = "completed"
	case c.status == "ringing" || c.status == "in-progress":
		// Never answered: the caller gave up, or the app never got that far.
		if causeOf(callCtx) == errCallerHangup {
			c.status = "canceled"
		} else {
			c.status = "completed"
		}
	}
	status := c.status
	c.mu.Unlock()
	t := c.now()
	c.mu.Lock()
	c.endAt = t
	c.mu.Unlock()
	c.emit(KindCallEnd, "", a("CallStatus", status), a("CallDuration", wholeSeconds(t)))
}

// answer marks the caller's call answered, the first time.
func (c *call) answer() {
	c.mu.Lock()
	was := c.answered
	c.answered = true
	c.status = "in-progress"
	c.mu.Unlock()
	if !was {
		c.emit(KindCallAnswered, "")
	}
}

// params returns Twilio's standard request parameters for the call, or for
// a leg of it.
func (c *call) params(l *leg) url.Values {
	// Room for the callers' own parameters too; the values share one
	// array, each slice capped at its own element, so appending to one
	// cannot touch another.
	v := make(url.Values, 16)
	values := make([]string, 0, 10)
	set := func(key, value string) {
		values = append(values, value)
		n := len(values)
		v[key] = values[n-1 : n : n]
	}
	set("AccountSid", c.account)
	set("ApiVersion", "2010-04-01")
	if l == nil {
		c.mu.Lock()
		status := c.status
		c.mu.Unlock()
		set("CallSid", c.sid)
		set("From", c.in.From)
		set("To", c.in.To)
		set("Caller", c.in.From)
		set("Called", c.in.To)
		set("CallStatus", status)
		set("Direction", "inbound")
		return v
	}
	set("CallSid", l.sid)
	set("ParentCallSid", c.sid)
	set("From", l.from)
	set("To", l.addr)
	set("Caller", l.from)
	set("Called", l.addr)
	set("CallStatus", l.callStatus())
	set("Direction", "outbound-dial")
	return v
}

// document fetches and parses the TwiML at raw (resolved against base) for
// the call, or for leg l in whisper mode. It returns nil after recording
// why in the transcript, if the request or the document failed.
func (c *call) document(ctx context.Context, l *leg, raw, method, base string, extra []param, whisper bool) *document {
	legName := ""
	if l != nil {
		legName = l.addr
	}
	if ctx.Err() != nil {
		return nil // the call (or leg) is over: no more requests
	}
	fail := func(code int, u string) {
		if l == nil {
			c.failure = &fetchFailure{code: code, url: u}
			c.failed = true
		}
	}
	abs, err := resolve(base, raw)
	if err != nil {
		c.diagnostic(legName, 11100, "error", fmt.Sprintf("invalid URL %q: %v", raw, err))
		fail(11100, raw)
		return nil
	}
	c.mu.Lock()
	c.docs++
	n := c.docs
	c.mu.Unlock()
	if n > c.e.maxDocuments() {
		c.diagnostic(legName, 0, "error", fmt.Sprintf("more than %d TwiML documents in one call: a Redirect loop? (dialsim's limit, Engine.MaxDocuments)", c.e.maxDocuments()))
		return nil // not a failure of the application: no fallback
	}
	var params url.Values
	if c.needParams(method) {
		params = c.params(l)
		for _, p := range extra {
			params.Set(p.key, p.value)
		}
	}
	c.emitRequest(legName, method, abs, c.requestStatus(l, extra), extra)
	resp, err := c.fetch.Do(ctx, webhook.Request{Method: method, URL: abs, Params: params})
	if err != nil && ctx.Err() != nil {
		return nil // the call (or leg) ended during the request
	}
	if err != nil {
		code := 11200
		var we *webhook.Error
		if errors.As(err, &we) {
			code = we.Code
		}
		c.diagnostic(legName, code, "error", err.Error())
		fail(code, abs)
		return nil
	}
	r, shared, err := parse(resp.Document(), twiml.Options{Whisper: whisper, File: c.shortURL(resp.URL)})
	var warnings twiml.Diagnostics
	if r != nil {
		warnings = r.Warnings
	}
	for _, d := range warnings {
		c.diagnostic(legName, d.Code, strings.ToLower(d.Level.String()), d.Error())
	}
	if err != nil {
		ds := twiml.DiagnosticsOf(err)
		code := 12100
		if len(ds) == 0 {
			c.diagnostic(legName, code, "error", err.Error())
		}
		for _, d := range ds {
			c.diagnostic(legName, d.Code, strings.ToLower(d.Level.String()), d.Error())
			if d.Level == twiml.Error {
				code = d.Code
			}
		}
		fail(code, resp.URL)
		return nil
	}
	return &document{url: resp.URL, resp: r, shared: shared}
}

// needParams reports whether a request with method needs its parameters
// built: not a POST to a Documents application, which never sees
// them (a GET's are in the URL, against which the document's own URLs
// resolve).
func (c *call) needParams(method string) bool {
	return !c.static || strings.EqualFold(method, "GET")
}

// requestStatus is the CallStatus a request for the call, or for leg l,
// carries: extra's, if it has one.
func (c *call) requestStatus(l *leg, extra []param) string {
	for _, p := range extra {
		if p.key == "CallStatus" {
			return p.value
		}
	}
	if l != nil {
		return l.callStatus()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// emitRequest records a request: its method, its URL and the parameters
// that matter (its CallStatus and those particular to the request).
func (c *call) emitRequest(leg, method, abs, status string, extra []param) {
	if c.e.NoTranscript {
		return
	}
	var buf [8]Attr
	attrs := append(buf[:0], a("Method", method), a("URL", c.shortURL(abs)), a("CallStatus", status))
	n := len(attrs)
	for _, p := range extra {
		if p.key == "CallStatus" {
			continue // already there, merged
		}
		v := p.value
		if p.key == "ErrorUrl" {
			v = c.shortURL(v)
		}
		attrs = append(attrs, a(p.key, v))
	}
	sortAttrs(attrs[n:]) // the request's own, by name
	c.emit(KindRequest, leg, attrs...)
}

// param is one of the parameters particular to a request, such as Digits.
type param struct{ key, value string }

// shortURL prints URLs on the base's host as a path, so transcripts do not
// depend on where the application listens.
func (c *call) shortURL(abs string) string {
	if rest, ok := strings.CutPrefix(abs, strings.TrimRight(c.base, "/")); ok && strings.HasPrefix(rest, "/") {
		return rest
	}
	return abs
}

// resolve returns raw resolved against base, an error unless that is an
// http or https URL. Results are cached.
func resolve(base, raw string) (string, error) {
	if abs, ok := cachedResolve(base, raw); ok {
		return abs, nil
	}
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	r, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", err
	}
	u := b.ResolveReference(r)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("scheme %q is not http or https", u.Scheme)
	}
	abs := u.String()
	cacheResolve(base, raw, abs)
	return abs, nil
}

// document is a fetched, parsed TwiML document and the URL it came from.
type document struct {
	url    string
	resp   *twiml.Response
	shared bool // resp is the parse cache's, which other calls share
}

// execute runs a document's verbs on the caller's call and returns the
// document to run next, or nil when the call ends.
func (c *call) execute(ctx context.Context, doc *document) *document {
	r := &runner{c: c, ctx: ctx, press: c.callerPress}
	for _, v := range doc.resp.Verbs {
		if ctx.Err() != nil {
			return nil
		}
		if answers(v) {
			c.answer()
		}
		switch v := v.(type) {
		case *twiml.Say, *twiml.Play, *twiml.Pause:
			if r.prompt(v) != nil {
				return nil
			}
		case *twiml.Gather:
			next, done := r.gather(v, doc)
			if done {
				return next
			}
		case *twiml.Dial:
			next, goOn := c.dial(ctx, v, doc)
			if !goOn {
				return next
			}
		case *twiml.Hangup:
			c.emit(KindHangup, "")
			return nil
		case *twiml.Reject:
			c.emit(KindReject, "", a("Reason", v.Reason))
			if !c.answered {
				c.mu.Lock()
				if v.Reason == "busy" {
					c.status = "busy"
				} else {
					c.status = "no-answer"
				}
				c.mu.Unlock()
			}
			return nil
		case *twiml.Redirect:
			c.emit(KindRedirect, "", a("URL", v.URL), a("Method", v.Method))
			return c.document(ctx, nil, v.URL, v.Method, doc.url, nil, false)
		default:
			c.diagnostic("", 0, "error", fmt.Sprintf("%s:%d: <%s> is not simulated yet; the call ends here", c.shortURL(doc.url), v.SourceLine(), v.Element()))
			return nil
		}
	}
	return nil
}

// answers reports whether running v answers the caller's call: every verb
// does but <Reject>, and <Dial answerOnBridge="true">, which answers at the
// bridge.
func answers(v twiml.Verb) bool {
	switch v := v.(type) {
	case *twiml.Reject:
		return false
	case *twiml.Dial:
		return !v.AnswerOnBridge
	}
	return true
}

// callerPress returns the caller's next scripted press, if any is left.
func (c *call) callerPress() (fake.Press, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.presses >= len(c.in.Caller.Presses) {
		return fake.Press{}, false
	}
	p := c.in.Caller.Presses[c.presses]
	c.presses++
	return p, true
}

// runner runs the verbs that the caller's call and a whisper share: Say,
// Play, Pause and Gather. leg is nil on the caller's call.
type runner struct {
	c     *call
	leg   *leg
	ctx   context.Context
	press func() (fake.Press, bool)
}

func (r *runner) legName() string {
	if r.leg == nil {
		return ""
	}
	return r.leg.addr
}

// promptTime is how long a Say, Play or Pause takes.
func promptTime(v twiml.Verb) time.Duration {
	loops := func(n int) time.Duration {
		if n == 0 {
			n = InfiniteLoop
		}
		return time.Duration(n)
	}
	switch v := v.(type) {
	case *twiml.Say:
		return loops(v.Loop) * time.Duration(len(strings.Fields(v.Text))) * SayWordTime
	case *twiml.Play:
		if v.Digits != "" {
			return digitsTime(v.Digits)
		}
		return loops(v.Loop) * PlayTime
	case *twiml.Pause:
		return twimlSeconds(v.Length)
	}
	return 0
}

func digitsTime(digits string) time.Duration {
	var d time.Duration
	for _, k := range digits {
		if k == 'W' {
			d += 2 * DigitTime
		} else {
			d += DigitTime
		}
	}
	return d
}

func (r *runner) emitPrompt(v twiml.Verb) {
	switch v := v.(type) {
	case *twiml.Say:
		r.c.emit(KindSay, r.legName(), a("Text", v.Text), a("Loop", v.Loop), a("Duration", seconds(promptTime(v))))
	case *twiml.Play:
		if v.Digits != "" {
			r.c.emit(KindPlay, r.legName(), a("Digits", v.Digits), a("Duration", seconds(promptTime(v))))
		} else {
			r.c.emit(KindPlay, r.legName(), a("URL", v.URL), a("Loop", v.Loop), a("Duration", seconds(promptTime(v))))
		}
	case *twiml.Pause:
		r.c.emit(KindPause, r.legName(), a("Length", v.Length))
	}
}

// prompt runs a Say, Play or Pause for its simulated duration.
func (r *runner) prompt(v twiml.Verb) error {
	r.emitPrompt(v)
	return r.c.s.Sleep(r.ctx, promptTime(v))
}

// gather runs a Gather: its prompts, then the wait for input. With input
// (or with actionOnEmptyResult) it requests the action and returns its
// document and true; without, it returns false and the next verb runs. It
// also returns true with a nil document when the call (or leg) ended.
func (r *runner) gather(g *twiml.Gather, doc *document) (*document, bool) {
	c := r.c
	c.emit(KindGather, r.legName(), a("Timeout", g.Timeout), a("NumDigits", g.NumDigits), a("FinishOnKey", g.FinishOnKey))
	listen := c.s.Now()
	p, pressing := r.press()
	pressAt := listen.Add(p.After)
	// The prompts play while the Gather listens; a key press stops them.
	pressed := false
	for _, v := range g.Prompts {
		d := promptTime(v)
		r.emitPrompt(v)
		if pressing && !pressAt.After(c.s.Now().Add(d)) {
			if err := c.s.Sleep(r.ctx, pressAt.Sub(c.s.Now())); err != nil {
				return nil, true
			}
			pressed = true
			break
		}
		if err := c.s.Sleep(r.ctx, d); err != nil {
			return nil, true
		}
	}
	timeout := twimlSeconds(g.Timeout)
	if !pressed {
		deadline := c.s.Now().Add(timeout)
		if pressing && pressAt.Before(deadline) {
			if err := c.s.Sleep(r.ctx, pressAt.Sub(c.s.Now())); err != nil {
				return nil, true
			}
			pressed = true
		} else {
			if err := c.s.Sleep(r.ctx, deadline.Sub(c.s.Now())); err != nil {
				return nil, true
			}
		}
	}
	digits, finished := "", ""
	if pressed {
		c.emit(KindPress, r.legName(), a("Keys", p.Keys))
		var complete bool
		digits, finished, complete = collect(p.Keys, g.FinishOnKey, g.NumDigits)
		if !complete {
			// Input ends when no further key comes within the timeout.
			if err := c.s.Sleep(r.ctx, timeout); err != nil {
				return nil, true
			}
		}
	}
	if digits == "" && !g.ActionOnEmptyResult {
		if pressed {
			c.emit(KindGatherEnd, r.legName(), a("Result", "empty"), a("FinishedOnKey", finished))
		} else {
			c.emit(KindGatherEnd, r.legName(), a("Result", "timeout"))
		}
		return nil, false
	}
	c.emit(KindGatherEnd, r.legName(), a("Digits", digits), a("FinishedOnKey", finished))
	action := g.Action
	if action == "" {
		action = doc.url
	}
	extra := []param{{"Digits", digits}, {"FinishedOnKey", finished}}
	return c.document(r.ctx, r.leg, action, g.Method, doc.url, extra, r.leg != nil), true
}

// collect reads keys pressed into a Gather, in order: input ends at the
// finish key (which is not a digit) or once numDigits digits are in. It
// reports whether input ended; if not, the Gather waits its timeout for
// more.
func collect(keys, finishOnKey string, numDigits int) (digits, finished string, complete bool) {
	for i := 0; i < len(keys); i++ {
		k := keys[i : i+1]
		if k == finishOnKey {
			return digits, k, true
		}
		digits += k
		if numDigits > 0 && len(digits) >= numDigits {
			return digits, "", true
		}
	}
	return digits, "", false
}

// seconds returns d in seconds, as a transcript number.
func seconds(d time.Duration) float64 {
	return d.Seconds()
}

// wholeSeconds rounds d to whole seconds, as Twilio's durations are.
func wholeSeconds(d time.Duration) int {
	return int(d.Round(time.Second) / time.Second)
}

// sortAttrs sorts a few fields by name.
func sortAttrs(s []Attr) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Key < s[j-1].Key; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
