package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/internal/weburl"
	"github.com/dialsim/dialsim/twiml"
)

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
		c.callParams(set) // Direction: world_api.go
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
	abs, err := c.resolve(base, raw)
	if err != nil {
		c.diagnostic(legName, 11100, "error", fmt.Sprintf("invalid URL %q: %v", raw, err))
		fail(11100, raw)
		return nil
	}
	if !c.allowDocument(legName, l) {
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
	jar := c.sid // Twilio keeps cookies per call SID: a leg has its own
	if l != nil {
		jar = l.sid
	}
	resp, err := c.fetch.Do(ctx, webhook.Request{Method: method, URL: abs, Params: params, Jar: jar, Time: c.s.Now()})
	if err != nil && ctx.Err() != nil {
		return nil // the call (or leg) ended during the request
	}
	if err != nil {
		code := 11200
		var we *webhook.Error
		if errors.As(err, &we) {
			code = we.Code
		}
		c.diagnostic(legName, code, "error", c.errorText(err))
		fail(code, abs)
		if l == nil && c.isFirstDocument() {
			c.unreachable = unreachable(abs, err)
		}
		return nil
	}
	if resp.Note != "" {
		c.emit(KindNote, legName, a("message", resp.Note))
	}
	compiled := c.cache.document(resp.Document(), resp.URL, twiml.Options{Whisper: whisper, File: c.shortURL(resp.URL)})
	r, err := compiled.resp, compiled.err
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
	d := &document{url: resp.URL, compiled: compiled}
	c.noteUnsimulated(legName, d)
	return d
}

// document is a fetched, compiled TwiML document and the URL it came
// from.
type document struct {
	url string
	*compiled
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
// depend on where the application listens, and other URLs without their
// user information (weburl.Redact).
func (c *call) shortURL(abs string) string {
	if rest, ok := strings.CutPrefix(abs, strings.TrimRight(c.base, "/")); ok && strings.HasPrefix(rest, "/") {
		return rest
	}
	return weburl.Redact(abs)
}

// callbackTarget is where a callback for event is sent, if its events ask
// for it (empty events: "completed" alone, Twilio's default): raw resolved
// against base, and method, POST if empty. It reports false when nothing
// is to be sent, after a warning 11100 naming what for an invalid URL.
// Status callbacks of legs and calls and recording status callbacks all
// decide here.
func (c *call) callbackTarget(leg, what, base, raw, method string, events []string, event string) (abs, m string, ok bool) {
	wanted := event == "completed"
	if len(events) > 0 {
		wanted = slices.Contains(events, event)
	}
	if !wanted {
		return "", "", false
	}
	abs, err := c.resolve(base, raw)
	if err != nil {
		c.diagnostic(leg, 11100, "warning", "invalid "+what+" URL: "+err.Error())
		return "", "", false
	}
	if method == "" {
		method = "POST"
	}
	return abs, method, true
}

// resolve returns raw resolved against base, an error unless that is an
// http or https URL. Results are cached.
func (c *call) resolve(base, raw string) (string, error) {
	if abs, ok := c.cache.resolved(base, raw); ok {
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
	if err := weburl.Check(u); err != nil {
		return "", err
	}
	abs := u.String()
	c.cache.putResolved(base, raw, abs)
	return abs, nil
}

// sid derives a Twilio-style SID: the prefix and 32 hex digits of a hash of
// the parts, so the same call gets the same SIDs on every run. The
// Engine's Cache keeps them.
func (e *Engine) sid(prefix string, parts ...string) string {
	var buf [256]byte
	in := buf[:0]
	for _, p := range parts {
		in = append(in, p...)
		in = append(in, 0)
	}
	in = append(in, prefix...) // the cache's key: what is hashed, then the prefix
	cache := e.cache()
	if s, ok := cache.sid(in); ok {
		return s
	}
	sum := sha256.Sum256(in[:len(in)-len(prefix)])
	out := make([]byte, len(prefix)+32)
	copy(out, prefix)
	hex.Encode(out[len(prefix):], sum[:16])
	s := string(out)
	cache.putSID(in, s)
	return s
}
