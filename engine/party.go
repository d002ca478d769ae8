package engine

import (
	"context"
	"time"

	"github.com/dialsim/dialsim/fake"
)

// run is a leg's goroutine: the party's script, from ringing to hanging
// up, as fake.Party describes it, told to the race on out. It returns
// once ctx, the leg's, ends.
func (l *leg) run(ctx context.Context, out *fake.Queue[*legMsg], deadline time.Time) {
	c := l.c
	defer func() { l.tell(out, msgExit, "", "") }()
	l.statusCallback("initiated", "initiated", 0)
	if ctx.Err() != nil {
		return // the call ended during the callback
	}
	if l.failure != "" {
		l.tell(out, msgEnded, "failed", l.failure)
		return
	}
	l.setCallStatus("ringing")
	c.emit(KindLegRinging, l.addr)
	l.statusCallback("ringing", "ringing", 0)
	p := l.party
	if p.Outcome == fake.NoAnswer || !c.s.Now().Add(p.After).Before(deadline) {
		// Rings until the Dial ends it; an outcome at or after the
		// timeout comes too late.
		l.waitEnd(ctx)
		return
	}
	if c.s.Sleep(ctx, p.After) != nil {
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
	if l.waitGoAhead(ctx) != nil {
		return
	}
	l.statusCallback("answered", "in-progress", 0)
	// From here the party may hang up on its own.
	pctx := &legContext{}
	pctx.init(ctx)
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
	partyHungUp := func() bool { return ctx.Err() == nil && causeOf(pctx) == errPartyHangup }
	na := &l.plan.na
	if na.amd.Mode != "" && l.detectMachine(pctx) != nil {
		if partyHungUp() {
			l.tell(out, msgDeclined, "", "the party hung up")
		}
		return
	}
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
		if ctx.Err() != nil {
			return // the race ended the leg
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
	if l.waitGoAhead(pctx) != nil {
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
