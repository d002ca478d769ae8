package engine

import (
	"context"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/twiml"
)

// whisper runs the noun's url TwiML on an answered leg, before the bridge
// (docs/twilio.md, “Screening and the race”). It returns true if the party accepts: the document
// runs out of verbs without hanging up. It declines with a reason on
// <Hangup>, <Reject>, or a document that fails; when ctx ends (the party
// hangs up, or the race ends the leg) it returns false and the caller
// tells which.
func (l *leg) whisper(ctx context.Context, rawURL, method string) (bool, string) {
	c := l.c
	doc := c.document(ctx, l, rawURL, method, l.base, l.amdParams(), true)
	if doc == nil {
		return false, "the whisper document failed"
	}
	r := &runner{c: c, leg: l, press: l.press}
next:
	for doc != nil {
		for _, v := range doc.resp.Verbs {
			if ctx.Err() != nil {
				return false, "cancelled"
			}
			switch v := v.(type) {
			case *twiml.Say, *twiml.Play, *twiml.Pause:
				if r.prompt(ctx, v) != nil {
					return false, "cancelled"
				}
			case *twiml.Gather:
				d, done := r.gather(ctx, v, doc)
				if done {
					if d == nil {
						if ctx.Err() != nil {
							return false, "cancelled"
						}
						return false, "the whisper document failed"
					}
					doc = d
					continue next
				}
			case *twiml.Hangup:
				c.emit(KindHangup, l.addr)
				return false, "hangup"
			case *twiml.Reject:
				c.emit(KindReject, l.addr, a("Reason", v.Reason))
				return false, "reject"
			default:
				// Parse in whisper mode rejects every other verb.
				c.diagnostic(l.addr, 12200, "error", "<"+v.Element()+"> cannot run in a whisper")
				return false, "the whisper document failed"
			}
		}
		return true, ""
	}
	return true, ""
}

// press returns the party's next scripted press in its whisper's Gathers.
// A voicemail presses nothing.
func (l *leg) press() (fake.Press, bool) {
	if l.party.Voicemail || l.presses >= len(l.party.Presses) {
		return fake.Press{}, false
	}
	p := l.party.Presses[l.presses]
	l.presses++
	return p, true
}
