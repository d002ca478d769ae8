package engine

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/memo"
	"github.com/dialsim/dialsim/twiml"
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

	ctx  context.Context    // &lctx once the leg is dialed
	lctx legContext         // ended by the dialer
	ctrl fake.Queue[string] // the dialer's go-aheads: screen, then bridge
	// What the leg's goroutine is started with: start is l.ring, made
	// once for the leg's slot and kept when the slot is reused.
	start    func()
	out      *fake.Queue[*legMsg] // the dialer's
	deadline time.Time            // of the ring

	// Owned by the dialer.
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
	msgs     [4]legMsg // room for the messages a leg tells the dialer (tell)
	told     int
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

// nounAttrs are the attributes that Number, Client and Sip share.
type nounAttrs struct {
	url, method, sendDigits        string
	statusCallback, statusCBMethod string
	statusEvents                   []string
}

// nounPlan is what the legs of a parsed noun share on every call.
type nounPlan struct {
	addr, name string
	na         nounAttrs
}

// plans remembers the nouns' plans of parsed Dials, which the parse cache
// shares between calls.
var plans = memo.New[*twiml.Dial, []nounPlan](maxCached)

// planOf returns the plans of d's nouns, through the cache if d is a
// shared parsed Dial (one of the parse cache's, which other calls meet).
func planOf(d *twiml.Dial, shared bool) []nounPlan {
	if shared {
		if p, ok := plans.Get(d); ok {
			return p
		}
	}
	p := make([]nounPlan, len(d.Nouns))
	for i, n := range d.Nouns {
		addr := n.Address()
		p[i] = nounPlan{addr: addr, name: "leg " + addr, na: attrsOf(n)}
	}
	if shared {
		plans.Put(d, p)
	}
	return p
}

func attrsOf(n twiml.Noun) nounAttrs {
	switch n := n.(type) {
	case *twiml.Number:
		return nounAttrs{n.URL, n.Method, n.SendDigits, n.StatusCallback, n.StatusCallbackMethod, n.StatusCallbackEvent}
	case *twiml.Client:
		return nounAttrs{n.URL, n.Method, "", n.StatusCallback, n.StatusCallbackMethod, n.StatusCallbackEvent}
	case *twiml.Sip:
		return nounAttrs{n.URL, n.Method, "", n.StatusCallback, n.StatusCallbackMethod, n.StatusCallbackEvent}
	}
	return nounAttrs{}
}

// dialState is what the race (or races, when sequential) of one Dial
// learned, for the DialCallStatus rules.
type dialState struct {
	timedOut     bool // the ring timeout fired while a leg still rang
	callerHungUp bool // before the bridge or during it
	bridged      *leg
	lastDeclined *leg
	lastEnded    *leg
	declined     int
}

// dial runs a Dial. It returns the document to run next and whether the
// verbs after the Dial run instead (no action).
func (c *call) dial(ctx context.Context, d *twiml.Dial, doc *document) (*document, bool) {
	for _, n := range d.Nouns {
		switch n.(type) {
		case *twiml.Number, *twiml.Client, *twiml.Sip:
		default:
			c.diagnostic("", 0, "error", fmt.Sprintf("%s:%d: <Dial><%s> is not simulated yet; the call ends here", c.shortURL(doc.url), n.SourceLine(), n.Element()))
			return nil, false
		}
	}
	policy := c.e.Policy
	c.emit(KindDialStart, "", a("Nouns", len(d.Nouns)), a("Timeout", d.Timeout), a("Policy", policy.String()),
		a("Sequential", d.Sequential), a("AnswerOnBridge", d.AnswerOnBridge))
	start := c.now()
	from := d.CallerID
	if from == "" {
		from = c.in.From
	}
	legs := make([]*leg, len(d.Nouns))
	structs := c.newLegs(len(d.Nouns))
	c.reserve(eventsPerLeg*len(d.Nouns)+eventsAfter, attrsPerLeg*len(d.Nouns)+attrsAfter)
	plan := planOf(d, doc.shared)
	for i := range d.Nouns {
		c.mu.Lock()
		c.legs++
		seq := c.legs
		c.mu.Unlock()
		addr := plan[i].addr
		p, listed := c.e.party(addr)
		l := &structs[i]
		l.c, l.plan, l.addr, l.from, l.party, l.base = c, &plan[i], addr, from, p, doc.url
		l.sid = sid("CA", c.sid, "leg", strconv.Itoa(seq), addr)
		legs[i] = &structs[i]
		if !listed {
			c.emit(KindNote, addr, a("message", "not listed in the scenario: rings until canceled"))
		}
	}
	st := &dialState{}
	if len(legs) == 0 {
		c.emit(KindNote, "", a("message", "the Dial has nothing to dial"))
	}
	if d.Sequential {
		for _, l := range legs {
			c.race(ctx, d, []*leg{l}, st)
			if st.bridged != nil || st.callerHungUp {
				break
			}
		}
	} else if len(legs) > 0 {
		c.race(ctx, d, legs, st)
	}
	for _, l := range legs {
		if l.state != legEnded && l.ctx == nil {
			// Sequential: never dialed, because an earlier leg connected.
			l.status = ""
		}
	}
	status, bridged := dialStatus(legs, st)
	res := DialResult{At: start, Status: status, Bridged: bridged, Declined: st.declined}
	for _, l := range legs {
		if l.answered {
			res.Answered++
		}
	}
	switch {
	case st.bridged != nil:
		res.SID = st.bridged.sid
		res.To = st.bridged.addr
		res.Duration = st.bridged.endedAt - st.bridged.answeredAt
		res.Connect = st.bridged.bridgedAt - start
		res.Voicemail = st.bridged.party.Voicemail
	case st.lastDeclined != nil:
		res.SID = st.lastDeclined.sid
	case st.lastEnded != nil:
		res.SID = st.lastEnded.sid
	}
	var buf [5]Attr
	attrs := append(buf[:0], a("DialCallStatus", res.Status), a("DialCallSid", res.SID))
	if bridged {
		attrs = append(attrs, a("DialCallDuration", wholeSeconds(res.Duration)))
	}
	attrs = append(attrs, a("DialBridged", bridged), a("to", res.To))
	c.emit(KindDialEnd, "", attrs...)
	c.mu.Lock()
	c.dials = append(c.dials, res)
	c.mu.Unlock()
	if !c.answered {
		// Twilio answers the call to go on with it (answerOnBridge).
		if !st.callerHungUp {
			c.answer()
		}
	}
	if d.Action == "" {
		return nil, !st.callerHungUp
	}
	var extraBuf [5]param
	extra := append(extraBuf[:0], param{"DialCallStatus", res.Status}, param{"DialCallSid", res.SID},
		param{"DialBridged", strconv.FormatBool(bridged)})

	if bridged {
		extra = append(extra, param{"DialCallDuration", strconv.Itoa(wholeSeconds(res.Duration))})
	}
	if st.callerHungUp {
		// The action is still requested, with CallStatus=completed, and
		// what it returns never runs; unless the run itself was cancelled.
		if c.life.Err() == nil {
			extra = append(extra, param{"CallStatus", "completed"})
			c.document(c.life, nil, d.Action, d.Method, doc.url, extra, false)
		}
		return nil, false
	}
	return c.document(ctx, nil, d.Action, d.Method, doc.url, extra, false), false
}

// dialStatus decides DialCallStatus and DialBridged from how the legs
// ended: the rules of TWILIO.md section 2, in one place.
func dialStatus(legs []*leg, st *dialState) (string, bool) {
	if st.bridged != nil {
		return "completed", true // rule 1
	}
	if st.callerHungUp {
		return "canceled", false // rule 4
	}
	if st.timedOut {
		return "no-answer", false // rule 2
	}
	var statuses []string
	for _, l := range legs {
		if l.status != "" {
			statuses = append(statuses, l.status)
		}
	}
	all := func(s string) bool {
		for _, x := range statuses {
			if x != s {
				return false
			}
		}
		return len(statuses) > 0
	}
	switch {
	case all("busy"):
		return "busy", false
	case all("failed"):
		return "failed", false
	case st.declined > 0:
		return "completed", false
	}
	for _, s := range []string{"no-answer", "busy", "failed"} {
		if slices.Contains(statuses, s) {
			return s, false
		}
	}
	return "failed", false // nothing was dialed
}

// legBufs recycles the legs of finished calls: a ten-leg Dial's legs are
// the largest allocation of a call, and nothing refers to them once the
// call's goroutines have returned.
var legBufs = sync.Pool{New: func() any { return new([]leg) }}

// maxPooledLegs is the largest set of legs kept for reuse.
const maxPooledLegs = 64

// newLegs returns n zeroed legs for a Dial of the call, which
// releaseLegs recycles once the call is over.
func (c *call) newLegs(n int) []leg {
	buf := legBufs.Get().(*[]leg)
	if cap(*buf) < n {
		*buf = make([]leg, n, max(n, 10))
	}
	legs := (*buf)[:n]
	for i := range legs {
		if legs[i].start == nil {
			legs[i].start = legs[i].ring
		}
	}
	c.legBufs = append(c.legBufs, buf)
	return legs
}

// releaseLegs recycles the call's legs. Every goroutine of the call must
// have returned. Legs whose context was watched (a real clock, an HTTP
// request) are left to the collector: a context.AfterFunc may still be on
// its way to them.
func (c *call) releaseLegs() {
	for _, buf := range c.legBufs {
		if cap(*buf) <= maxPooledLegs && !watched(*buf) {
			legs := (*buf)[:cap(*buf)]
			for i := range legs {
				start := legs[i].start
				legs[i] = leg{start: start}
			}
			legBufs.Put(buf)
		}
	}
	c.legBufs = nil
}

// watched reports whether the context of any of the legs was watched.
func watched(legs []leg) bool {
	for i := range legs {
		if legs[i].lctx.watched() {
			return true
		}
	}
	return false
}
