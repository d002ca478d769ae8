package engine

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/dialsim/dialsim/twiml"
)

// nounAttrs are the attributes that Number, Client and Sip share.
type nounAttrs struct {
	url, method, sendDigits        string
	statusCallback, statusCBMethod string
	statusEvents                   []string
	// Answering-machine detection, for a Number or a Sip.
	amd                    MachineDetection
	amdCallback, amdMethod string
}

// nounPlan is what the legs of a parsed noun share on every call.
type nounPlan struct {
	addr, name string
	na         nounAttrs
}

// planOf returns the plans of d's nouns. A compiled document holds those
// of its Dials.
func planOf(d *twiml.Dial) []nounPlan {
	p := make([]nounPlan, len(d.Nouns))
	for i, n := range d.Nouns {
		addr := n.Address()
		p[i] = nounPlan{addr: addr, name: "leg " + addr, na: attrsOf(n)}
	}
	return p
}

func attrsOf(n twiml.Noun) nounAttrs {
	switch n := n.(type) {
	case *twiml.Number:
		return nounAttrs{url: n.URL, method: n.Method, sendDigits: n.SendDigits, statusCallback: n.StatusCallback,
			statusCBMethod: n.StatusCallbackMethod, statusEvents: n.StatusCallbackEvent,
			amd: MachineDetectionOf(n), amdCallback: n.AMDStatusCallback, amdMethod: n.AMDStatusCallbackMethod}
	case *twiml.Client:
		return nounAttrs{url: n.URL, method: n.Method, statusCallback: n.StatusCallback,
			statusCBMethod: n.StatusCallbackMethod, statusEvents: n.StatusCallbackEvent}
	case *twiml.Sip:
		return nounAttrs{url: n.URL, method: n.Method, statusCallback: n.StatusCallback,
			statusCBMethod: n.StatusCallbackMethod, statusEvents: n.StatusCallbackEvent,
			amd: machineDetection(n.MachineDetection, n.MachineDetectionTimeout, n.MachineDetectionSpeechThreshold,
				n.MachineDetectionSpeechEndThreshold, n.MachineDetectionSilenceTimeout),
			amdCallback: n.AMDStatusCallback, amdMethod: n.AMDStatusCallbackMethod}
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
	voicemailWon bool // a voicemail won a race of the Dial

	// rec is the Dial's recording (record.go); nil if it records nothing.
	rec *dialRecording
}

// dial runs a Dial. It returns the document to run next and whether the
// verbs after the Dial run instead (no action).
func (c *call) dial(ctx context.Context, d *twiml.Dial, doc *document) (*document, bool) {
	if q, ok := soleNoun[*twiml.Queue](d); ok {
		return c.dialQueue(ctx, d, q, doc) // queue.go
	}
	if cn, ok := soleNoun[*twiml.Conference](d); ok {
		return c.dialConference(ctx, d, cn, doc) // conference.go
	}
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
	needs := needsCallerID(from, d, c.cache.isPhoneNumber)
	if needs != "" {
		c.diagnostic("", codeCallerID, "warning", fmt.Sprintf("%s:%d: %d Dial: a client caller (%s) dialing <Number> %s needs a callerId that is a phone number; the Number legs fail",
			c.shortURL(doc.url), d.Line, codeCallerID, from, needs))
	}
	legs := make([]*leg, len(d.Nouns))
	structs := c.newLegs(len(d.Nouns))
	c.reserve(eventsPerLeg*len(d.Nouns)+eventsAfter, attrsPerLeg*len(d.Nouns)+attrsAfter)
	plan, ok := doc.plans[d]
	if !ok {
		plan = planOf(d)
	}
	for i := range d.Nouns {
		c.mu.Lock()
		c.legs++
		seq := c.legs
		c.mu.Unlock()
		addr := plan[i].addr
		p, listed := c.e.party(addr)
		l := &structs[i]
		l.c, l.plan, l.addr, l.from, l.party, l.base = c, &plan[i], addr, from, p, doc.url
		l.sid = c.e.sid("CA", c.sid, "leg", strconv.Itoa(seq), addr)
		legs[i] = &structs[i]
		if _, isNumber := d.Nouns[i].(*twiml.Number); isNumber && needs != "" {
			l.failure = "no phone-number callerId (13214)"
		} else if !listed {
			c.emit(KindNote, addr, a("message", "not listed in the scenario: rings until canceled"))
		}
	}
	st := &dialState{rec: c.newDialRecording(d, doc.url)}
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
		if l.state != legEnded && !l.dialed {
			// Sequential: never dialed, because an earlier leg connected.
			l.status = ""
		}
	}
	status, bridged := dialStatus(legs, st)
	res := DialResult{At: start, Status: status, Bridged: bridged, Declined: st.declined, VoicemailWon: st.voicemailWon}
	for _, l := range legs {
		if l.answered {
			res.Answered++
		}
		if l.machine() {
			res.Machines++
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
	recParams := c.endDialRecording(st.rec)
	c.emit(KindDialEnd, "", attrs...)
	c.mu.Lock()
	c.dials = append(c.dials, res)
	c.mu.Unlock()
	// With answerOnBridge and no bridge, the call is still ringing: the
	// next verb that answers picks it up, or it ends no-answer (pickUp).
	if d.Action == "" {
		return nil, !st.callerHungUp
	}
	var extraBuf [5]param
	extra := append(extraBuf[:0], param{"DialCallStatus", res.Status}, param{"DialCallSid", res.SID},
		param{"DialBridged", strconv.FormatBool(bridged)})

	if bridged {
		extra = append(extra, param{"DialCallDuration", strconv.Itoa(wholeSeconds(res.Duration))})
	}
	extra = append(extra, recParams...)
	if st.callerHungUp {
		// The action is still requested, with CallStatus=completed, and
		// what it returns never runs; unless the run itself was cancelled.
		if c.life.Err() == nil {
			extra = append(extra, param{"CallStatus", c.leftStatus(ctx)}) // world_api.go
			c.document(c.life, nil, d.Action, d.Method, doc.url, extra, false)
		}
		return nil, false
	}
	return c.document(ctx, nil, d.Action, d.Method, doc.url, extra, false), false
}

// codeCallerID is Twilio's warning 13214, "Dial: Invalid callerId value".
const codeCallerID = 13214

// needsCallerID returns the first Number of d, if the legs' From, from,
// is not a phone number (isPhoneNumber: twiml.IsPhoneNumber, remembered): a client caller (or a client: callerId) cannot
// call a phone number (warning 13214; docs/twilio.md, “Numbers and
// clients”). It returns "" when every Number may be called.
func needsCallerID(from string, d *twiml.Dial, isPhoneNumber func(string) bool) string {
	for _, n := range d.Nouns {
		if n, ok := n.(*twiml.Number); ok {
			if isPhoneNumber(from) {
				return ""
			}
			return n.Number
		}
	}
	return ""
}

// dialStatus decides DialCallStatus and DialBridged from how the legs
// ended, in one place: the rules are numbered as in the README's
// "Behaviour", "How a Dial ends" (Twilio's part in docs/twilio.md, “How a
// Dial ends”). Rules 5 and 6 (a busy leg does not end the Dial; which leg
// DialCallSid names) live in race.go and in call.dial.
func dialStatus(legs []*leg, st *dialState) (string, bool) {
	if st.bridged != nil {
		return "completed", true // rule 1: a leg bridged
	}
	if st.callerHungUp {
		return "canceled", false // rule 2: the caller hung up before the bridge
	}
	if st.timedOut {
		return "no-answer", false // rule 3: the timeout fired while a leg rang
	}
	// Rule 4: every leg ended by itself.
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

// soleNoun returns the Dial's one noun if it is of type N: a <Queue> or
// a <Conference>, which a Dial holds alone.
func soleNoun[N twiml.Noun](d *twiml.Dial) (N, bool) {
	if len(d.Nouns) != 1 {
		var zero N
		return zero, false
	}
	n, ok := d.Nouns[0].(N)
	return n, ok
}
