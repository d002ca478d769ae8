package engine

import (
	"context"
	"fmt"
	"time"
	"unicode"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/twiml"
)

// execute runs a document's verbs on the caller's call and returns the
// document to run next, or nil when the call ends.
func (c *call) execute(ctx context.Context, doc *document) *document {
	r := &runner{c: c, press: c.callerPress}
	for _, v := range doc.resp.Verbs {
		if ctx.Err() != nil {
			return nil
		}
		c.pickUp(v)
		switch v := v.(type) {
		case *twiml.Say, *twiml.Play, *twiml.Pause:
			if r.prompt(ctx, v) != nil {
				return nil
			}
		case *twiml.Gather:
			next, done := r.gather(ctx, v, doc)
			if done {
				return next
			}
		case *twiml.Dial:
			next, goOn := c.dial(ctx, v, doc)
			if !goOn {
				return next
			}
		case *twiml.Record:
			next, goOn := c.record(ctx, v, doc)
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
		case *twiml.Enqueue: // queue.go
			next, goOn := c.enqueue(ctx, v, doc)
			if !goOn {
				return next
			}
		case *twiml.Leave: // outside a wait document: no queue to leave
			c.emit(KindNote, "", a("message", "<Leave> outside a queue's wait document has no queue to leave"))
		default:
			c.diagnostic("", 0, "error", fmt.Sprintf("%s:%d: <%s> is not simulated yet; the call ends here", c.shortURL(doc.url), v.SourceLine(), v.Element()))
			return nil
		}
	}
	return nil
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
		return loops(v.Loop) * time.Duration(words(v.Text)) * SayWordTime
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

// words returns len(strings.Fields(s)) without making the fields: a
// ten-leg call's whispers say many words.
func words(s string) int {
	n := 0
	in := false
	for _, r := range s {
		space := unicode.IsSpace(r)
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
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
func (r *runner) prompt(ctx context.Context, v twiml.Verb) error {
	r.emitPrompt(v)
	return r.c.s.Sleep(ctx, promptTime(v))
}

// gather runs a Gather: its prompts, then the wait for input. With input
// (or with actionOnEmptyResult) it requests the action and returns its
// document and true; without, it returns false and the next verb runs. It
// also returns true with a nil document when the call (or leg) ended.
func (r *runner) gather(ctx context.Context, g *twiml.Gather, doc *document) (*document, bool) {
	c := r.c
	speech := takesSpeech(g)
	if speech {
		r.emitSpeechGather(g)
	} else {
		c.emit(KindGather, r.legName(), a("Timeout", g.Timeout), a("NumDigits", g.NumDigits), a("FinishOnKey", g.FinishOnKey))
	}
	listen := c.s.Now()
	p, pressing := r.press()
	if speech || pressing && p.Speech != "" {
		return r.gatherSpeech(ctx, g, doc, listen, p, pressing) // speech.go
	}
	return r.gatherKeys(ctx, g, doc, listen, p, pressing)
}

// gatherKeys is a Gather's wait for keys, from listen, with the press p if
// pressing.
func (r *runner) gatherKeys(ctx context.Context, g *twiml.Gather, doc *document, listen time.Time, p fake.Press, pressing bool) (*document, bool) {
	c := r.c
	pressAt := listen.Add(p.After)
	// The prompts play while the Gather listens; a key press stops them.
	pressed := false
	for _, v := range g.Prompts {
		d := promptTime(v)
		r.emitPrompt(v)
		if pressing && !pressAt.After(c.s.Now().Add(d)) {
			if err := c.s.Sleep(ctx, pressAt.Sub(c.s.Now())); err != nil {
				return nil, true
			}
			pressed = true
			break
		}
		if err := c.s.Sleep(ctx, d); err != nil {
			return nil, true
		}
	}
	timeout := twimlSeconds(g.Timeout)
	if !pressed {
		deadline := c.s.Now().Add(timeout)
		if pressing && pressAt.Before(deadline) {
			if err := c.s.Sleep(ctx, pressAt.Sub(c.s.Now())); err != nil {
				return nil, true
			}
			pressed = true
		} else {
			if err := c.s.Sleep(ctx, deadline.Sub(c.s.Now())); err != nil {
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
			if err := c.s.Sleep(ctx, timeout); err != nil {
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
	return c.document(ctx, r.leg, action, g.Method, doc.url, extra, r.leg != nil), true
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
