package engine

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/twiml"
)

// Event kinds of conferences (docs/twilio.md, “Conferences”).
const (
	KindConfJoin  = "conf.join"  // ConferenceSid, Participants, Muted, StartConferenceOnEnter, EndConferenceOnExit
	KindConfFull  = "conf.full"  // ConferenceSid, MaxParticipants: the call cannot join
	KindConfStart = "conf.start" // ConferenceSid, Participants
	KindConfBeep  = "conf.beep"  // On: enter or exit
	KindConfLeave = "conf.leave" // ConferenceSid, ReasonParticipantLeft, Participants
	KindConfEnd   = "conf.end"   // ConferenceSid, ReasonConferenceEnded
)

// Why a participant's wait or stay ended, as its context's cause.
var (
	errConfStarted = errors.New("the conference started")
	errConfEnded   = errors.New("the conference ended")
)

// conference is a conference room of a world (or of one call).
type conference struct {
	name, sid string
	max       int
	started   bool
	ended     bool
	members   []*participant
	callback  *confCallback // the first participant's statusCallback
	seq       int           // the next SequenceNumber
}

// confCallback is where a conference's events go.
type confCallback struct {
	url, method, base string
	events            []string
}

// participant is a call in a conference.
type participant struct {
	c      *call
	noun   *twiml.Conference
	in     legContext // ended when the conference ends
	wait   legContext // ended when the conference starts (a child of in)
	joined time.Duration
	met    bool // the conference was started while it was in
	muted  bool // under resources.mu
	hold   bool
}

// conference returns the live conference named name, creating it (again,
// with a new SID, once one of that name has ended). r.mu is held.
func (r *resources) conference(c *call, name string, max int) *conference {
	if f, ok := r.conferences[name]; ok && !f.ended {
		return f
	}
	if r.conferences == nil {
		r.conferences = map[string]*conference{}
	}
	r.confCount++
	f := &conference{name: name, sid: c.e.sid("CF", c.account, name, strconv.Itoa(r.confCount)), max: max}
	r.conferences[name] = f
	return f
}

// dialConference runs a <Dial><Conference>: the call joins the room,
// hears the wait document until the conference starts, and stays until
// it leaves (it hangs up, or the Dial's timeLimit) or the conference ends.
func (c *call) dialConference(ctx context.Context, d *twiml.Dial, cn *twiml.Conference, doc *document) (*document, bool) {
	c.emit(KindDialStart, "", a("Nouns", 1), a("Timeout", d.Timeout), a("Policy", c.e.Policy.String()),
		a("Sequential", d.Sequential), a("AnswerOnBridge", d.AnswerOnBridge))
	start := c.now()
	res := c.res()
	res.mu.Lock()
	f := res.conference(c, cn.Name, cn.MaxParticipants)
	if len(f.members) >= f.max {
		n := len(f.members)
		res.mu.Unlock()
		c.emit(KindConfFull, "", a("ConferenceSid", f.sid), a("Participants", n), a("MaxParticipants", f.max))
		return c.confAction(ctx, d, doc, f, DialResult{At: start, Status: "failed", To: cn.Address()})
	}
	p := &participant{c: c, noun: cn, joined: c.now(), muted: cn.Muted}
	p.in.init(ctx)
	p.wait.init(&p.in)
	f.members = append(f.members, p)
	n := len(f.members)
	startNow := !f.started && n >= 2 && slices.ContainsFunc(f.members, func(m *participant) bool { return m.noun.StartConferenceOnEnter })
	if startNow {
		f.started = true
	}
	if f.callback == nil && cn.StatusCallback != "" {
		events := cn.StatusCallbackEvent
		if len(events) == 0 {
			events = []string{"start", "end"}
		}
		f.callback = &confCallback{url: cn.StatusCallback, method: cn.StatusCallbackMethod, base: doc.url, events: events}
	}
	res.mu.Unlock()
	if !c.answered && d.AnswerOnBridge {
		c.answer()
	}
	c.emit(KindConfJoin, "", a("ConferenceSid", f.sid), a("Participants", n), a("Muted", cn.Muted),
		a("StartConferenceOnEnter", cn.StartConferenceOnEnter), a("EndConferenceOnExit", cn.EndConferenceOnExit))
	if cn.Beep == "true" || cn.Beep == "onEnter" {
		c.emit(KindConfBeep, "", a("On", "enter"))
	}
	c.confCallback(f, "join", "participant-join", p, nil)
	if startNow {
		c.emit(KindConfStart, "", a("ConferenceSid", f.sid), a("Participants", n))
		c.confCallback(f, "start", "conference-start", nil, nil)
		res.mu.Lock()
		for _, m := range f.members {
			m.met = true
			m.wait.end(errConfStarted)
		}
		res.mu.Unlock()
	}
	if p.wait.Err() == nil {
		c.confWait(p, f, cn, doc)
	}
	if p.in.Err() == nil {
		c.talk(&p.in)
		c.s.Sleep(&p.in, twimlSeconds(d.TimeLimit))
	}
	reason := "participant_hung_up"
	switch {
	case ctx.Err() != nil:
	case causeOf(&p.in) == errConfEnded || causeOf(&p.in) == errConfAPI:
		reason = "conference_ended"
	default:
		reason = "time_limit" // the Dial's timeLimit, or four hours of waiting
	}
	c.leaveConference(f, p, reason)
	dur := c.now() - p.joined
	r := DialResult{At: start, Status: "completed", To: cn.Address(), Bridged: p.met, Duration: dur}
	if ctx.Err() != nil && !p.met {
		r.Status = "canceled"
	}
	return c.confAction(ctx, d, doc, f, r)
}

// confWait plays the conference's wait document until it starts or the
// participant's stay ends: Twilio's hold music (nothing requested) when
// there is no waitUrl.
func (c *call) confWait(p *participant, f *conference, cn *twiml.Conference, doc *document) {
	wctx := &p.wait
	if cn.WaitURL == "" {
		if c.s.Sleep(wctx, LongestWait) == nil {
			p.in.end(errMaxWait)
		}
		return
	}
	url, method, base := cn.WaitURL, cn.WaitMethod, doc.url
	idle := 0
	for wctx.Err() == nil {
		before := c.s.Now()
		wd := c.loopDocument(wctx, url, method, base, []param{{"ConferenceSid", f.sid}, {"FriendlyName", f.name}})
		if wctx.Err() != nil {
			return
		}
		if wd == nil {
			c.s.Sleep(wctx, LongestWait) // the wait document failed: silence
			return
		}
		next, outcome := c.runWait(wctx, wd)
		if outcome == "hangup" {
			return
		}
		if next != nil {
			url, method, base = next.URL, next.Method, wd.url
		} else {
			url, method, base = cn.WaitURL, cn.WaitMethod, doc.url
		}
		if !c.s.Now().After(before) {
			if idle++; idle >= maxIdleWaits {
				c.emit(KindNote, "", a("message", fmt.Sprintf("%d wait documents in a row took no time: the participant waits in silence", maxIdleWaits)))
				c.s.Sleep(wctx, LongestWait)
				return
			}
		} else {
			idle = 0
		}
	}
}

// leaveConference takes p out of f; a participant with
// endConferenceOnExit, or the last, ends it.
func (c *call) leaveConference(f *conference, p *participant, reason string) {
	res := c.res()
	res.mu.Lock()
	if i := slices.Index(f.members, p); i >= 0 {
		f.members = slices.Delete(f.members, i, i+1)
	}
	n := len(f.members)
	end := ""
	switch {
	case f.ended:
	case p.noun.EndConferenceOnExit:
		end = "participant-with-end-conference-on-exit-left"
	case n == 0:
		end = "last-participant-left"
	}
	var others []*participant
	if end != "" {
		f.ended = true
		others = slices.Clone(f.members)
	}
	res.mu.Unlock()
	c.emit(KindConfLeave, "", a("ConferenceSid", f.sid), a("ReasonParticipantLeft", reason), a("Participants", n))
	if p.noun.Beep == "true" || p.noun.Beep == "onExit" {
		c.emit(KindConfBeep, "", a("On", "exit"))
	}
	c.confCallback(f, "leave", "participant-leave", p, []param{{"ReasonParticipantLeft", reason}, {"ParticipantCallStatus", c.currentStatus()}})
	if end == "" {
		return
	}
	c.emit(KindConfEnd, "", a("ConferenceSid", f.sid), a("ReasonConferenceEnded", end))
	if f.started {
		c.confCallback(f, "end", "conference-end", nil, []param{{"ReasonConferenceEnded", end}, {"CallSidEndingConference", c.sid}})
	}
	for _, m := range others {
		m.in.end(errConfEnded)
	}
}

// currentStatus is the call's CallStatus now.
func (c *call) currentStatus() string {
	if c.callCtx.Err() != nil {
		return "completed"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// confAction ends a conference's Dial: its dial.end, its action with
// DialCallStatus, DialCallDuration (the time in the conference),
// DialBridged (whether the conference was started while the call was in
// it) and ConferenceSid, or the next verb.
func (c *call) confAction(ctx context.Context, d *twiml.Dial, doc *document, f *conference, r DialResult) (*document, bool) {
	attrs := []Attr{a("DialCallStatus", r.Status), a("DialCallSid", ""), a("DialCallDuration", wholeSeconds(r.Duration)),
		a("DialBridged", r.Bridged), a("to", r.To)}
	c.emit(KindDialEnd, "", attrs...)
	c.mu.Lock()
	c.dials = append(c.dials, r)
	c.mu.Unlock()
	if d.Action == "" {
		return nil, ctx.Err() == nil
	}
	extra := []param{{"DialCallStatus", r.Status}, {"DialCallDuration", strconv.Itoa(wholeSeconds(r.Duration))},
		{"DialBridged", strconv.FormatBool(r.Bridged)}, {"ConferenceSid", f.sid}}
	if ctx.Err() != nil {
		if c.life.Err() == nil {
			extra = append(extra, param{"CallStatus", c.leftStatus(ctx)})
			c.document(c.life, nil, d.Action, d.Method, doc.url, extra, false)
		}
		return nil, false
	}
	return c.document(ctx, nil, d.Action, d.Method, doc.url, extra, false), false
}

// confCallback sends the conference's status callback for event (the
// attribute's word: start, end, join, leave) as StatusCallbackEvent
// name, for participant p (nil for the conference's own events).
func (c *call) confCallback(f *conference, event, name string, p *participant, extra []param) {
	cb := f.callback
	if cb == nil || !slices.Contains(cb.events, event) || c.life.Err() != nil {
		return
	}
	abs, err := c.resolve(cb.base, cb.url)
	if err != nil {
		c.diagnostic("", 11100, "warning", "invalid conference statusCallback URL: "+err.Error())
		return
	}
	method := cb.method
	if method == "" {
		method = "POST"
	}
	res := c.res()
	res.mu.Lock()
	seq := f.seq
	f.seq++
	res.mu.Unlock()
	var params url.Values
	if c.needParams(method) {
		params = url.Values{}
		params.Set("AccountSid", c.account)
		params.Set("ConferenceSid", f.sid)
		params.Set("FriendlyName", f.name)
		params.Set("StatusCallbackEvent", name)
		params.Set("SequenceNumber", strconv.Itoa(seq))
		params.Set("Timestamp", c.s.Now().Format(time.RFC1123Z))
		if p != nil {
			params.Set("CallSid", p.c.sid)
			res.mu.Lock()
			params.Set("Muted", strconv.FormatBool(p.muted))
			params.Set("Hold", strconv.FormatBool(p.hold))
			res.mu.Unlock()
			params.Set("Coaching", "false")
			params.Set("StartConferenceOnEnter", strconv.FormatBool(p.noun.StartConferenceOnEnter))
			params.Set("EndConferenceOnExit", strconv.FormatBool(p.noun.EndConferenceOnExit))
		}
		for _, x := range extra {
			params.Set(x.key, x.value)
		}
	}
	attrs := []Attr{a("Method", method), a("URL", c.shortURL(abs)), a("StatusCallbackEvent", name), a("SequenceNumber", seq)}
	for _, x := range extra {
		if x.key != "CallSidEndingConference" {
			attrs = append(attrs, a(x.key, x.value))
		}
	}
	c.emit(KindCallback, "", attrs...)
	if err := c.fetch.Notify(c.life, webhook.Request{Method: method, URL: abs, Params: params, Jar: f.sid, Time: c.s.Now()}); err != nil && c.life.Err() == nil {
		code := 11200
		var we *webhook.Error
		if errors.As(err, &we) {
			code = we.Code
		}
		c.diagnostic("", code, "warning", "conference status callback failed: "+err.Error())
	}
}
