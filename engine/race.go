package engine

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/twiml"
)

// legMsg is what a leg's goroutine tells the dialer.
type legMsg struct {
	l      *leg
	kind   msgKind
	status string // msgEnded: busy, failed or no-answer
	reason string
}

type msgKind int

const (
	msgAnswered msgKind = iota // the party picked up
	msgEnded                   // the leg ended by itself while ringing
	msgAccepted                // the whisper accepted (or there was none)
	msgDeclined                // the whisper declined
	msgHungUp                  // the party hung up after accepting
	msgExit                    // the leg's goroutine returns
)

// Reasons a leg was cancelled, as its context's cause.
var (
	errLost    = errors.New("another leg won")
	errTimeout = errors.New("the Dial timeout fired")
	errDone    = errors.New("the Dial is over")
)

// race rings legs at once (one goroutine each) and runs the first-answer
// race to its end: a winner bridged and its bridge over, or every leg ended.
// Every leg's goroutine has returned when race returns, unless the clock
// found a deadlock (then they return as the clock wakes them).
func (c *call) race(ctx context.Context, d *twiml.Dial, legs []*leg, st *dialState) {
	out := fake.NewQueue[*legMsg](c.s, "dial")
	deadline := c.s.Now().Add(twimlSeconds(d.Timeout))
	for _, l := range legs {
		l.lctx.init(ctx)
		l.ctx = &l.lctx
		l.ctrl.Init(c.s, l.plan.name)
		l.out, l.deadline = out, deadline
		l.cstatus = "initiated"
		c.emit(KindLegInitiated, l.addr, a("CallSid", l.sid), a("From", l.from), a("To", l.addr))
		c.s.Go(l.plan.name, l.start)
	}
	live := len(legs)
	ringing := len(legs)
	timedOut := false // this race's timeout (a sequential Dial runs one race a noun)
	var bridgeEnd, starAt time.Time
	var starKeys string
	recvCtx := ctx
	// hangUp ends every leg when the caller's call ends: the caller hung
	// up, or the run itself was cancelled.
	hangUp := func() {
		st.callerHungUp = true
		reason := "the caller hung up"
		if causeOf(ctx) != errCallerHangup {
			reason = "the run was cancelled"
		}
		for _, l := range legs {
			if l.state == legBridged {
				c.endLeg(l, "completed", reason, st)
			} else if l.state != legEnded {
				c.endLeg(l, lostStatus(l), reason, st)
			}
		}
		recvCtx = context.Background()
	}
	for live > 0 {
		if !st.callerHungUp && ctx.Err() != nil {
			// Before any message: a leg's goroutine may have seen the
			// end of the call first and sent its last word.
			hangUp()
		}
		var until time.Time
		switch {
		case st.bridged != nil && st.bridged.state == legBridged:
			until = bridgeEnd
			if !starAt.IsZero() && starAt.Before(until) {
				until = starAt
			}
		case ringing > 0 && !timedOut:
			until = deadline
		}
		m, err := out.Recv(recvCtx, until)
		if err != nil {
			var de *fake.DeadlockError
			switch {
			case errors.As(err, &de):
				c.diagnostic("", 0, "error", "simulation deadlock: "+de.Error())
				for _, l := range legs {
					l.lctx.end(errDone)
				}
				recvCtx = context.Background()
				live = 0
			case errors.Is(err, fake.ErrTimeout) && st.bridged != nil:
				b := st.bridged
				if !starAt.IsZero() && !starAt.After(c.s.Now()) {
					c.emit(KindPress, "", a("Keys", starKeys))
					c.endLeg(b, "completed", "the caller pressed *", st)
				} else {
					c.endLeg(b, "completed", "timeLimit reached", st)
				}
			case errors.Is(err, fake.ErrTimeout):
				for _, l := range legs {
					if l.state == legRinging {
						c.endLeg(l, "no-answer", "timeout", st)
						st.timedOut = true
					}
				}
				timedOut = true
				ringing = 0
			default: // the caller hung up (or the run was cancelled)
				hangUp()
			}
			continue
		}
		if !st.callerHungUp && ctx.Err() != nil {
			hangUp() // the call ended while this message was on its way
		}
		l := m.l
		if m.kind == msgExit {
			live--
			continue
		}
		if l.state == legEnded {
			continue // the dialer ended it while the message was on its way
		}
		switch m.kind {
		case msgEnded:
			ringing--
			c.endLeg(l, m.status, m.reason, st)
		case msgAnswered:
			ringing--
			l.state = legAnswered
			l.answered = true
			l.answeredAt = c.now()
			c.emit(KindLegAnswered, l.addr, a("CallSid", l.sid))
			if c.e.Policy == FirstAnswer {
				reason := ""
				for _, o := range legs {
					if o != l && o.state != legEnded {
						if o.state == legRinging {
							ringing--
						}
						if reason == "" {
							reason = l.addr + " answered first"
						}
						c.endLeg(o, lostStatus(o), reason, st)
					}
				}
			}
			l.ctrl.Send("screen")
		case msgAccepted:
			l.state = legAccepted
			c.emit(KindLegAccepted, l.addr)
			if st.bridged != nil {
				c.endLeg(l, lostStatus(l), st.bridged.addr+" was bridged first", st)
				continue
			}
			reason := ""
			for _, o := range legs {
				if o != l && o.state != legEnded {
					if o.state == legRinging {
						ringing--
					}
					if reason == "" {
						reason = l.addr + " accepted first"
					}
					c.endLeg(o, lostStatus(o), reason, st)
				}
			}
			st.bridged = l
			l.state = legBridged
			l.bridgedAt = c.now()
			if d.AnswerOnBridge {
				c.answer()
			}
			c.emit(KindLegBridged, l.addr, a("CallSid", l.sid))
			bridgeEnd = c.s.Now().Add(twimlSeconds(d.TimeLimit))
			if d.HangupOnStar {
				if p, ok := c.callerPress(); ok && strings.Contains(p.Keys, "*") {
					starAt, starKeys = c.s.Now().Add(p.After), p.Keys
				}
			}
			l.ctrl.Send("bridge")
		case msgDeclined:
			st.declined++
			st.lastDeclined = l
			l.declined = true
			c.emit(KindLegDeclined, l.addr, a("Reason", m.reason))
			c.endLeg(l, "completed", m.reason, st)
		case msgHungUp:
			c.emit(KindLegHangup, l.addr)
			c.endLeg(l, "completed", "the party hung up", st)
		}
	}
}

// lostStatus is the final status of a leg that lost the race: canceled
// while it rang, completed once it had answered (a child call that was
// answered ends completed, whoever hangs it up).
func lostStatus(l *leg) string {
	if l.answered {
		return "completed"
	}
	return "canceled"
}

// endLeg ends a leg with its final status, cancels its goroutine's
// context, and reports it.
func (c *call) endLeg(l *leg, status, reason string, st *dialState) {
	cause := errDone
	switch {
	case reason == "timeout":
		cause = errTimeout
	case status == "canceled" || l.state == legAnswered || l.state == legAccepted:
		cause = errLost
	}
	l.state = legEnded
	l.status = status
	l.endedAt = c.now()
	st.lastEnded = l
	l.lctx.end(cause)
	var buf [3]Attr
	attrs := append(buf[:0], a("CallStatus", status))
	var dur time.Duration
	if l.answered {
		dur = l.endedAt - l.answeredAt
		attrs = append(attrs, a("CallDuration", wholeSeconds(dur)))
	}
	attrs = append(attrs, a("Reason", reason))
	c.emit(KindLegEnd, l.addr, attrs...)
	l.setCallStatus(status)
	l.statusCallback("completed", status, dur)
}

// ring is a leg's goroutine, with what race gave it.
func (l *leg) ring() { l.run(l.out, l.deadline) }

// run is a leg's goroutine: the party's behaviour from ringing to hanging
// up, told to the dialer on out.
func (l *leg) run(out *fake.Queue[*legMsg], deadline time.Time) {
	c := l.c
	defer func() { l.tell(out, msgExit, "", "") }()
	l.statusCallback("initiated", "initiated", 0)
	if l.ctx.Err() != nil {
		return // the call ended during the callback
	}
	l.setCallStatus("ringing")
	c.emit(KindLegRinging, l.addr)
	l.statusCallback("ringing", "ringing", 0)
	p := l.party
	if p.Outcome == fake.NoAnswer || !c.s.Now().Add(p.After).Before(deadline) {
		// Rings until the Dial ends it; an outcome at or after the
		// timeout comes too late.
		l.waitEnd(l.ctx)
		return
	}
	if c.s.Sleep(l.ctx, p.After) != nil {
		return
	}
	switch p.Outcome {
	case fake.Busy:
		l.tell(out, msgEnded, "busy", "busy")
		return
	case fake.Fail:
		l.tell(out, msgEnded, "failed", "unreachable")
		return
	case fake.Reject:
		l.tell(out, msgEnded, "no-answer", "rejected")
		return
	}
	l.setCallStatus("in-progress")
	l.tell(out, msgAnswered, "", "")
	if _, err := l.ctrl.Recv(l.ctx, time.Time{}); err != nil {
		return
	}
	l.statusCallback("answered", "in-progress", 0)
	// From here the party may hang up on its own.
	pctx := &legContext{}
	pctx.init(l.ctx)
	// Ended when the leg's goroutine returns, which ends the party's
	// hangup goroutine too: on a real clock it waits on Done.
	defer pctx.end(errDone)
	if p.Hangup > 0 {
		c.s.Go("hangup "+l.addr, func() {
			if c.s.Sleep(pctx, p.Hangup) == nil {
				pctx.end(errPartyHangup)
			}
		})
	}
	partyHungUp := func() bool { return l.ctx.Err() == nil && causeOf(pctx) == errPartyHangup }
	na := &l.plan.na
	if na.sendDigits != "" {
		c.emit(KindSendDigits, l.addr, a("Digits", na.sendDigits))
		if c.s.Sleep(pctx, digitsTime(na.sendDigits)) != nil {
			if partyHungUp() {
				l.tell(out, msgDeclined, "", "the party hung up")
			}
			return
		}
	}
	if na.url != "" {
		accepted, reason := l.whisper(pctx, na.url, na.method)
		if l.ctx.Err() != nil {
			return // the dialer ended the leg
		}
		if partyHungUp() {
			accepted, reason = false, "the party hung up"
		}
		if !accepted {
			l.tell(out, msgDeclined, "", reason)
			return
		}
	}
	l.tell(out, msgAccepted, "", "")
	if _, err := l.ctrl.Recv(pctx, time.Time{}); err != nil {
		if partyHungUp() {
			l.tell(out, msgHungUp, "", "")
		}
		return
	}
	if p.Talk > 0 {
		if c.s.Sleep(pctx, p.Talk) == nil {
			l.tell(out, msgHungUp, "", "")
			return
		}
	} else {
		l.waitEnd(pctx)
	}
	if partyHungUp() {
		l.tell(out, msgHungUp, "", "")
	}
}

// tell sends the dialer a message from the leg. The leg keeps room for
// the few messages it sends, which spares the queue boxing each.
func (l *leg) tell(out *fake.Queue[*legMsg], kind msgKind, status, reason string) {
	var m *legMsg
	if l.told < len(l.msgs) {
		m = &l.msgs[l.told]
		l.told++
	} else {
		m = new(legMsg)
	}
	*m = legMsg{l: l, kind: kind, status: status, reason: reason}
	out.Send(m)
}

// waitEnd parks until ctx ends, on the leg's queue: the dialer sends
// nothing more to a leg that waits for its end.
func (l *leg) waitEnd(ctx context.Context) {
	l.ctrl.Recv(ctx, time.Time{})
}

// statusCallback sends the leg's status callback for event, if the noun
// asked for it (TWILIO.md section 5). A failure is reported and changes
// nothing in the call.
func (l *leg) statusCallback(event, status string, dur time.Duration) {
	if l.plan.na.statusCallback != "" && l.c.life.Err() == nil {
		l.sendStatusCallback(event, status, dur)
	}
}

func (l *leg) sendStatusCallback(event, status string, dur time.Duration) {
	na := &l.plan.na
	events := na.statusEvents
	if len(events) == 0 {
		events = []string{"completed"}
	}
	if !slices.Contains(events, event) {
		return
	}
	c := l.c
	abs, err := resolve(l.base, na.statusCallback)
	if err != nil {
		c.diagnostic(l.addr, 11100, "warning", "invalid statusCallback URL: "+err.Error())
		return
	}
	c.mu.Lock()
	seq := l.callback
	l.callback++
	c.mu.Unlock()
	method := na.statusCBMethod
	if method == "" {
		method = "POST"
	}
	var params url.Values
	if c.needParams(method) {
		params = c.params(l)
		params.Set("CallStatus", status)
		if event == "completed" {
			params.Set("CallDuration", strconv.Itoa(wholeSeconds(dur)))
		}
		params.Set("Timestamp", c.s.Now().Format(time.RFC1123Z))
		params.Set("CallbackSource", "call-progress-events")
		params.Set("SequenceNumber", strconv.Itoa(seq))
	}
	c.emit(KindCallback, l.addr, a("Method", method), a("URL", c.shortURL(abs)), a("CallStatus", status), a("SequenceNumber", seq))
	err = c.fetch.Notify(c.life, webhook.Request{Method: method, URL: abs, Params: params})
	if err != nil && c.life.Err() == nil {
		code := 11200
		var we *webhook.Error
		if errors.As(err, &we) {
			code = we.Code
		}
		c.diagnostic(l.addr, code, "warning", "status callback failed: "+err.Error())
	}
}
