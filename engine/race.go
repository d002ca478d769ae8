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

// A race is one first-answer race of a Dial (docs/twilio.md, “Screening
// and the race”): its legs ring at once, one goroutine each, and tell the
// coordinator, run, what happens to them; run waits for the next message
// or the next deadline and hands it to the rule it calls for, one method
// each. Only the coordinator changes the race and the legs' states; a leg
// it ends cleans up after itself (leg.end), the way net.dialParallel's
// losers close their own connections.
//
// A sequential Dial runs one race a noun; st is what the races of the
// Dial learn together.
type race struct {
	c    *call
	d    *twiml.Dial
	legs []*leg
	st   *dialState
	out  *fake.Queue[*legMsg] // the legs' messages

	deadline  time.Time // of the ring (the Dial's timeout)
	live      int       // legs whose goroutine has not returned
	ringing   int       // legs still ringing
	bridgeEnd time.Time // the bridge's timeLimit
	starAt    time.Time // when the caller presses * on the bridge (hangupOnStar); zero if never
	starKeys  string    // the keys pressed then
}

// race rings legs and runs the race to its end: a winner bridged and its
// bridge over, or every leg ended. Every leg's goroutine has returned when
// race returns, unless the clock found a deadlock (then they return as the
// clock wakes them).
func (c *call) race(ctx context.Context, d *twiml.Dial, legs []*leg, st *dialState) {
	r := &race{c: c, d: d, legs: legs, st: st}
	r.ring(ctx)
	r.run(ctx)
}

// ring dials every leg.
func (r *race) ring(ctx context.Context) {
	r.out = fake.NewQueue[*legMsg](r.c.s, "dial")
	r.deadline = r.c.s.Now().Add(twimlSeconds(r.d.Timeout))
	for _, l := range r.legs {
		l.dial(ctx, r.out, r.deadline)
	}
	r.live, r.ringing = len(r.legs), len(r.legs)
}

// run is the coordinator: it dispatches each message and each deadline to
// its rule until every leg's goroutine has returned.
func (r *race) run(ctx context.Context) {
	for r.live > 0 {
		// Before any message: a leg's goroutine may have seen the end of
		// the call first and sent its last word.
		r.checkCaller(ctx)
		m, err := r.next(ctx)
		if err == nil {
			r.checkCaller(ctx) // the call ended while m was on its way
			r.dispatch(m)
			continue
		}
		switch de := deadlockOf(err); {
		case de != nil:
			r.deadlock(de)
		case errors.Is(err, fake.ErrTimeout):
			r.timer()
		default: // the caller hung up (or the run was cancelled)
			r.callerHungUp(ctx)
		}
	}
}

// deadlockOf returns the *fake.DeadlockError in err's chain, or nil. The
// coordinator asks only when a wait fails: the variable errors.As is given
// escapes to the heap, and declared in the loop it was allocated at every
// message, 13 times a ten-leg call (BenchmarkCall/legs=10, medians of 9
// interleaved runs, 1 Dec 2026: 28 allocations and 23.9 µs a call with
// deadlockOf, 41 and 24.5 µs without).
func deadlockOf(err error) *fake.DeadlockError {
	var de *fake.DeadlockError
	errors.As(err, &de)
	return de
}

// next waits for the next message of a leg, until the next deadline of
// the race: the bridge's end or the caller's *, else the ring timeout
// while a leg rings. Once the caller has hung up, every leg has been ended
// and next waits for their goroutines without ctx.
func (r *race) next(ctx context.Context) (*legMsg, error) {
	var until time.Time
	switch b := r.st.bridged; {
	case b != nil && b.state == legBridged:
		until = r.bridgeEnd
		if !r.starAt.IsZero() && r.starAt.Before(until) {
			until = r.starAt
		}
	case r.ringing > 0:
		until = r.deadline
	}
	if r.st.callerHungUp {
		ctx = context.Background()
	}
	return recvMsg(ctx, r.out, until)
}

// dispatch hands a leg's message to its rule. A message from a leg the
// coordinator has ended is out of date and dropped, but the last one.
func (r *race) dispatch(m *legMsg) {
	l := m.l
	if m.kind == msgExit {
		r.live--
		return
	}
	if l.state == legEnded {
		return // the coordinator ended it while the message was on its way
	}
	switch m.kind {
	case msgEnded:
		r.end(l, m.status, m.reason)
	case msgAnswered:
		r.answered(l)
	case msgAccepted:
		r.accepted(l)
	case msgDeclined:
		r.declined(l, m.reason)
	case msgHungUp:
		r.hungUp(l)
	}
}

// checkCaller applies callerHungUp once the caller's call is over.
func (r *race) checkCaller(ctx context.Context) {
	if !r.st.callerHungUp && ctx.Err() != nil {
		r.callerHungUp(ctx)
	}
}

// answered: the party picked up. Under FirstAnswer it wins, and every
// other leg is ended at that instant; its whisper (if any) runs next.
func (r *race) answered(l *leg) {
	r.ringing--
	l.state = legAnswered
	l.answered = true
	l.answeredAt = r.c.now()
	r.c.emit(KindLegAnswered, l.addr, a("CallSid", l.sid))
	if r.c.e.Policy == FirstAnswer {
		r.endOthers(l, " answered first")
		r.st.voicemailWon = r.st.voicemailWon || l.party.Voicemail // it won, whatever its whisper says
	}
	l.goAhead("screen")
}

// accepted: the whisper accepted (or there was none). The first leg to
// accept is bridged and the others ended; a later one has lost.
func (r *race) accepted(l *leg) {
	l.state = legAccepted
	r.c.emit(KindLegAccepted, l.addr)
	if r.st.bridged != nil {
		r.end(l, lostStatus(l), r.st.bridged.addr+" was bridged first")
		return
	}
	r.endOthers(l, " accepted first")
	r.st.voicemailWon = r.st.voicemailWon || l.party.Voicemail
	r.bridge(l)
}

// bridge connects l to the caller, for at most the Dial's timeLimit, or
// until the caller presses * if the Dial has hangupOnStar.
func (r *race) bridge(l *leg) {
	c := r.c
	r.st.bridged = l
	l.state = legBridged
	l.bridgedAt = c.now()
	if r.d.AnswerOnBridge {
		c.answer()
	}
	c.emit(KindLegBridged, l.addr, a("CallSid", l.sid))
	c.startDialRecording(r.st.rec) // record-from-answer (record.go)
	r.bridgeEnd = c.s.Now().Add(twimlSeconds(r.d.TimeLimit))
	if r.d.HangupOnStar {
		if p, ok := c.callerPress(); ok && strings.Contains(p.Keys, "*") {
			r.starAt, r.starKeys = c.s.Now().Add(p.After), p.Keys
		}
	}
	l.goAhead("bridge")
}

// declined: the whisper declined (a Hangup, a Reject, a failed document,
// or the party hung up during it). The leg drops out, completed.
func (r *race) declined(l *leg, reason string) {
	r.st.declined++
	r.st.lastDeclined = l
	l.declined = true
	r.c.emit(KindLegDeclined, l.addr, a("Reason", reason))
	r.end(l, "completed", reason)
}

// hungUp: the party hung up after accepting.
func (r *race) hungUp(l *leg) {
	r.c.emit(KindLegHangup, l.addr)
	r.end(l, "completed", "the party hung up")
}

// timer: a deadline of the race came before any message. During the
// bridge it is the caller's * or the timeLimit; before, the ring timeout.
func (r *race) timer() {
	switch b := r.st.bridged; {
	case b == nil:
		r.timeout()
	case !r.starAt.IsZero() && !r.starAt.After(r.c.s.Now()):
		r.star(b)
	default:
		r.timeLimit(b)
	}
}

// timeout: the Dial's timeout fired; every leg still ringing ends
// no-answer.
func (r *race) timeout() {
	for _, l := range r.legs {
		if l.state == legRinging {
			r.end(l, "no-answer", "timeout")
			r.st.timedOut = true
		}
	}
}

// star: the caller pressed * on the bridge of a Dial with hangupOnStar.
func (r *race) star(b *leg) {
	r.c.emit(KindPress, "", a("Keys", r.starKeys))
	r.end(b, "completed", "the caller pressed *")
}

// timeLimit: the bridge lasted the Dial's timeLimit.
func (r *race) timeLimit(b *leg) {
	r.end(b, "completed", "timeLimit reached")
}

// callerHungUp: the caller's call ended (the caller hung up, or the run
// itself was cancelled), which ends every leg.
func (r *race) callerHungUp(ctx context.Context) {
	r.st.callerHungUp = true
	reason := "the caller hung up"
	switch cause := causeOf(ctx); cause {
	case errCallerHangup:
	case errLongestCall:
		reason = cause.Error()
	case errRedirected, errAPIHangup: // world_api.go
		reason = "the call was " + cause.Error()
	default:
		reason = "the run was cancelled"
	}
	r.endOthers(nil, reason)
}

// deadlock: the clock found that nothing can happen any more. The legs'
// goroutines are cancelled and not waited for.
func (r *race) deadlock(de *fake.DeadlockError) {
	r.c.diagnostic("", 0, "error", "simulation deadlock: "+de.Error())
	for _, l := range r.legs {
		l.cancel(errDone)
	}
	r.live = 0
}

// endOthers ends every leg but winner that has not ended, as losers (every
// leg, if winner is nil). Their reason is winner's address followed by
// why, or why alone without a winner.
func (r *race) endOthers(winner *leg, why string) {
	reason := ""
	for _, l := range r.legs {
		if l == winner || l.state == legEnded {
			continue
		}
		if reason == "" {
			reason = why
			if winner != nil {
				reason = winner.addr + why
			}
		}
		r.end(l, lostStatus(l), reason)
	}
}

// end ends leg l of the race with its final status.
func (r *race) end(l *leg, status, reason string) {
	if l.state == legRinging {
		r.ringing--
	}
	r.st.lastEnded = l
	l.end(status, reason)
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

// recvMsg receives the next message of a leg on q, until the time until
// (none if zero).
func recvMsg(ctx context.Context, q *fake.Queue[*legMsg], until time.Time) (*legMsg, error) {
	return q.Recv(ctx, until)
}
