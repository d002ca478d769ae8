package engine

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/webhook"
)

// leg is one party a Dial rings: a child call of the caller's call.
type leg struct {
	c     *call
	plan  *nounPlan // the noun's address and attributes
	addr  string
	sid   string
	from  string
	party fake.Party
	base  string // the URL of the document holding the Dial
	// failure, if set, fails the leg at once, for that reason: it cannot
	// be placed (a Number without a phone-number caller ID).
	failure string

	dialed bool               // the leg was rung: a sequential Dial may stop before
	lctx   legContext         // the leg's context, ended by the race
	ctrl   fake.Queue[string] // the race's go-aheads: screen, then bridge
	// What the leg's goroutine is started with: start is l.ring, made
	// once for the leg's slot and kept when the slot is reused.
	start    func()
	out      *fake.Queue[*legMsg] // the race's
	deadline time.Time            // of the ring

	// Owned by the race's coordinator.
	state      legState
	status     string // final CallStatus
	answeredAt time.Duration
	bridgedAt  time.Duration
	endedAt    time.Duration
	declined   bool
	answered   bool

	// Owned by the leg's goroutine, read under c.mu for request parameters.
	cstatus  string
	callback int // next SequenceNumber
	presses  int
	// answeredBy is the answering-machine detection's result, once
	// known; read and written under c.mu.
	answeredBy string
	msgs       [4]legMsg // room for the messages a leg tells the race (tell)
	told       int
}

type legState int

const (
	legRinging legState = iota
	legAnswered
	legAccepted
	legBridged
	legEnded
)

func (l *leg) callStatus() string {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	return l.cstatus
}

func (l *leg) setCallStatus(s string) {
	l.c.mu.Lock()
	l.cstatus = s
	l.c.mu.Unlock()
}

// legMsg is what a leg's goroutine tells the race's coordinator.
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

// dial rings the leg, in a goroutine of its own (ring), whose context
// is derived from ctx and whose messages go to out.
func (l *leg) dial(ctx context.Context, out *fake.Queue[*legMsg], deadline time.Time) {
	c := l.c
	l.lctx.init(ctx)
	l.dialed = true
	l.ctrl.Init(c.s, l.plan.name)
	l.out, l.deadline = out, deadline
	l.cstatus = "initiated"
	c.emit(KindLegInitiated, l.addr, a("CallSid", l.sid), a("From", l.from), a("To", l.addr))
	c.s.Go(l.plan.name, l.start)
}

// ring is a leg's goroutine, with what dial gave it.
func (l *leg) ring() { l.run(&l.lctx, l.out, l.deadline) }

// goAhead tells the leg's goroutine, waiting in waitGoAhead, to go on.
func (l *leg) goAhead(what string) { l.ctrl.Send(what) }

// waitGoAhead waits for the race's go-ahead (goAhead), or for ctx to end.
func (l *leg) waitGoAhead(ctx context.Context) error {
	_, err := l.ctrl.Recv(ctx, time.Time{})
	return err
}

// end ends the leg with its final status: it cancels the leg's goroutine,
// whose context's cause tells why, and records and reports the end.
func (l *leg) end(status, reason string) {
	c := l.c
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
	l.cancel(cause)
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

// cancel ends the leg's context, and so its goroutine, with cause.
func (l *leg) cancel(cause error) { l.lctx.end(cause) }

// tell sends the race a message from the leg. The leg keeps room for
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

// waitEnd parks until ctx ends, on the leg's queue: the race sends
// nothing more to a leg that waits for its end.
func (l *leg) waitEnd(ctx context.Context) {
	l.waitGoAhead(ctx) // none comes
}

// statusCallback sends the leg's status callback for event, if the noun
// asked for it (docs/twilio.md, “Status callbacks”). A failure is reported and changes
// nothing in the call.
func (l *leg) statusCallback(event, status string, dur time.Duration) {
	if l.plan.na.statusCallback != "" && l.c.life.Err() == nil {
		l.sendStatusCallback(event, status, dur)
	}
}

func (l *leg) sendStatusCallback(event, status string, dur time.Duration) {
	na := &l.plan.na
	c := l.c
	abs, method, ok := c.callbackTarget(l.addr, "statusCallback", l.base, na.statusCallback, na.statusCBMethod, na.statusEvents, event)
	if !ok || !c.allowLegRequest(l.addr) {
		return
	}
	c.mu.Lock()
	seq := l.callback
	l.callback++
	c.mu.Unlock()
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
	err := c.fetch.Notify(c.life, webhook.Request{Method: method, URL: abs, Params: params, Jar: l.sid, Time: c.s.Now()})
	if err != nil && c.life.Err() == nil {
		code := 11200
		var we *webhook.Error
		if errors.As(err, &we) {
			code = we.Code
		}
		c.diagnostic(l.addr, code, "warning", "status callback failed: "+c.errorText(err))
	}
}
