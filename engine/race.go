package engine

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/twiml"
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
	out := c.s.NewQueue("dial")
	deadline := c.s.Now().Add(twimlSeconds(d.Timeout))
	for _, l := range legs {
		l.lctx.init(ctx)
		l.ctx = &l.lctx
		c.s.InitQueue(&l.ctrl, l.plan.name)
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
		v, err := out.Recv(recvCtx, until)
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
		m := v.(*legMsg)
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
