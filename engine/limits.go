package engine

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// The limits of one call. A hostile or broken application cannot make a
// call last, or request, without end:
//
//   - a call lasts at most LongestCall of virtual time in all, whatever its
//     verbs; then it ends, with a diagnostic, as if the caller had hung up
//     (the Dial's action is still requested, and what it returns never
//     runs);
//   - the caller's call fetches at most Engine.MaxDocuments documents;
//   - its Dial legs, together, fetch at most Engine.MaxDocuments whisper
//     documents and make at most Engine.MaxRequests requests (whisper
//     documents and status callbacks). These are budgets of their own, so
//     a leg's looping whisper or a flood of status callbacks cannot use up
//     the documents the caller's call needs, such as the Dial's action.
//
// Each limit reached is reported once, as a diagnostic of code 0 naming
// it.
const (
	// LongestCall is the longest a call lasts, in virtual time: four hours,
	// Twilio's longest call, as LongestWait is its longest wait.
	LongestCall = LongestWait
	// DefaultMaxRequests is how many requests the Dial legs of one call may
	// make when Engine.MaxRequests is zero: a Dial of ten legs with every
	// status callback event makes 40, and a 63 KB document of Dials made
	// 171,000 before this limit.
	DefaultMaxRequests = 1000
)

// errLongestCall is the cause with which a call that reached LongestCall
// ends.
var errLongestCall = errors.New("the call reached its longest duration")

// budget counts what a call has requested against its limits. It is
// touched under the call's mu.
type budget struct {
	docs        int  // documents of the caller's call
	legDocs     int  // whisper documents of the call's legs
	legRequests int  // requests of the legs: whisper documents and callbacks
	legsWarned  bool // the legs' limit was reported
}

func (e *Engine) maxRequests() int {
	if e.MaxRequests <= 0 {
		return DefaultMaxRequests
	}
	return e.MaxRequests
}

// startTimers starts the call's one timer goroutine: the caller's hangup,
// if the caller hangs up before LongestCall, or else the end of the call
// at LongestCall. hangup ends the caller's call with its cause.
func (c *call) startTimers(ctx, callCtx context.Context, hangup func(error)) {
	d, cause := LongestCall, errLongestCall
	if h := c.in.Caller.Hangup; h > 0 && h <= LongestCall {
		d, cause = h, errCallerHangup
	}
	c.s.Go("caller", func() {
		if c.s.Sleep(ctx, d) != nil || callCtx.Err() != nil {
			return // the call is over, or the caller has gone already (record.go)
		}
		if cause == errCallerHangup {
			c.emit(KindCallerHangup, "")
		} else {
			c.diagnostic("", 0, "error", fmt.Sprintf("the call lasted %v, Twilio's longest call: it ends (dialsim's limit, engine.LongestCall)", fmtHours(LongestCall)))
		}
		hangup(cause)
	})
}

// fmtHours formats d as "4 hours".
func fmtHours(d time.Duration) string {
	if h := d / time.Hour; h*time.Hour == d {
		if h == 1 {
			return "1 hour"
		}
		return fmt.Sprintf("%d hours", h)
	}
	return d.String()
}

// isFirstDocument reports whether the caller's call has fetched one
// document so far: its first request's.
func (c *call) isFirstDocument() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.budget.docs == 1
}

// allowDocument reports whether the call (l nil) or its leg l may fetch
// one more document, and counts it. When it may not, it records why.
func (c *call) allowDocument(legName string, l *leg) bool {
	limit := c.e.maxDocuments()
	c.mu.Lock()
	var n int
	if l == nil {
		c.budget.docs++
		n = c.budget.docs
	} else {
		c.budget.legDocs++
		n = c.budget.legDocs
	}
	c.mu.Unlock()
	if n > limit {
		who := "one call"
		if l != nil {
			who = "the Dial legs of one call"
		}
		c.diagnostic(legName, 0, "error", fmt.Sprintf("more than %d TwiML documents in %s: a Redirect loop? (dialsim's limit, Engine.MaxDocuments)", limit, who))
		return false
	}
	if l != nil {
		return c.allowLegRequest(legName)
	}
	return true
}

// allowLegRequest reports whether a leg of the call may make one more
// request, a whisper document or a status callback, and counts it. The
// first refusal is recorded.
func (c *call) allowLegRequest(legName string) bool {
	limit := c.e.maxRequests()
	c.mu.Lock()
	c.budget.legRequests++
	over := c.budget.legRequests > limit
	warn := over && !c.budget.legsWarned
	if warn {
		c.budget.legsWarned = true
	}
	c.mu.Unlock()
	if warn {
		c.diagnostic(legName, 0, "error", fmt.Sprintf("more than %d requests of the Dial legs of one call (whisper documents and status callbacks): no more are made (dialsim's limit, Engine.MaxRequests)", limit))
	}
	return !over
}
