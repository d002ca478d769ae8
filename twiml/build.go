package twiml

import (
	"slices"
	"strconv"
	"strings"
)

// Element names, by where they may appear.
var (
	// verbs are the verbs this package models.
	verbs = []string{"Say", "Play", "Pause", "Gather", "Dial", "Hangup", "Reject", "Redirect", "Record", "Enqueue", "Leave"}
	// otherVerbs are Twilio verbs kept as *Unsupported.
	otherVerbs = []string{"Connect", "Echo", "Pay", "Refer", "Start", "Stop", "Sms"}
	// whisperVerbs are the verbs allowed in whisper TwiML.
	whisperVerbs = []string{"Say", "Play", "Pause", "Gather", "Hangup", "Reject"}
	// prompts are the verbs allowed inside Gather.
	prompts = []string{"Say", "Play", "Pause"}
	// dialNouns are the nouns this package models.
	dialNouns = []string{"Number", "Client", "Sip", "Conference", "Queue"}
	// otherDialNouns are Dial nouns kept as *Unsupported.
	otherDialNouns = []string{"Sim", "Application", "WhatsApp"}
	// nested are the other TwiML elements, for "not allowed here" messages.
	nested = []string{"Identity", "Parameter", "Task", "Stream", "Siprec", "Room", "Conversation", "VirtualAgent", "Config", "Autopilot", "ApplicationSid", "Prompt", "ConversationRelay", "Assistant", "Language"}
	// ssml are the SSML elements allowed inside Say, by local name
	// (<amazon:effect> is "effect").
	ssml = []string{"break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub", "w", "effect", "domain"}
)

// maxDialNouns is the most nouns one Dial may ring.
const maxDialNouns = 10

// known reports whether name is any TwiML element.
func known(name string) bool {
	for _, set := range [][]string{{"Response"}, verbs, otherVerbs, dialNouns, otherDialNouns, nested} {
		if slices.Contains(set, name) {
			return true
		}
	}
	return false
}

// caseHint returns the TwiML element name that name differs from only in
// case, or "".
func caseHint(name string, sets ...[]string) string {
	for _, set := range sets {
		for _, s := range set {
			if strings.EqualFold(s, name) && s != name {
				return s
			}
		}
	}
	return ""
}

// unexpected reports a child element that is not allowed where it is, as
// a 12200 warning; the element is skipped.
func (p *parser) unexpected(n *node, parent string, expected ...[]string) {
	name := n.name.Local
	element := parent + "->" + name
	if parent == "Response" {
		element = name
	}
	if hint := caseHint(name, append(expected, verbs, otherVerbs, dialNouns, nested)...); hint != "" {
		p.warn(CodeSchema, n.line, element, "unknown element <%s>: TwiML names are case-sensitive, did you mean <%s>? It is ignored", name, hint)
		return
	}
	if known(name) {
		p.warn(CodeSchema, n.line, element, "<%s> is not allowed inside <%s>; it is ignored", name, lastPart(parent))
		return
	}
	p.warn(CodeSchema, n.line, element, "unknown element <%s>; it is ignored", name)
}

func lastPart(path string) string {
	if i := strings.LastIndex(path, "->"); i >= 0 {
		return path[i+2:]
	}
	return path
}

// noText warns about text in an element that takes none.
func (p *parser) noText(n *node, element string) {
	for _, c := range n.body {
		if c.isText() {
			if t := strings.TrimSpace(string(c.text)); t != "" {
				p.warn(CodeSchema, textLine(c.line, c.text), element, "unexpected text %q in <%s>; it is ignored", clip(t, 30), lastPart(element))
				return
			}
		}
	}
}

// noChildren warns about every child element of an element that takes none.
func (p *parser) noChildren(n *node, element string) {
	for _, c := range n.elements() {
		p.unexpected(c, element)
	}
}

// text returns the element's own text with surrounding space trimmed,
// warning about any child element.
func (p *parser) text(n *node, element string) string {
	p.noChildren(n, element)
	return strings.TrimSpace(n.directText())
}

func (p *parser) response(n *node) *Response {
	if n.name.Local != "Response" {
		if strings.EqualFold(n.name.Local, "Response") {
			p.fail(CodeRoot, n.line, n.name.Local, "the root element must be <Response>, not <%s>: TwiML names are case-sensitive", n.name.Local)
		}
		p.fail(CodeRoot, n.line, n.name.Local, "the root element must be <Response>, not <%s>", n.name.Local)
	}
	r := &Response{Line: n.line}
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == "version" {
			if a.Value != "2010-04-01" && a.Value != "2008-08-01" {
				p.fail(CodeVersion, n.line, "Response", "invalid version %q: it must be 2010-04-01 or 2008-08-01, or left out", clip(a.Value, 30))
			}
		}
	}
	p.applyAttrs(n, "Response", []attr{str("version", &r.Version)})
	p.noText(n, "Response")
	for _, c := range n.elements() {
		if v := p.verb(c); v != nil {
			r.Verbs = append(r.Verbs, v)
		}
	}
	return r
}

// verb builds a top-level verb; it returns nil for a skipped element.
func (p *parser) verb(n *node) Verb {
	name := n.name.Local
	if p.opts.Whisper && (slices.Contains(verbs, name) || slices.Contains(otherVerbs, name)) && !slices.Contains(whisperVerbs, name) {
		if name == "Dial" {
			p.fail(CodeDialInWhisper, n.line, "Dial", "Cannot Dial out from a Dial Call Segment: whisper TwiML (a noun's url) runs on the dialed leg and may not dial")
		}
		p.fail(CodeSchema, n.line, name, "<%s> is not allowed in whisper TwiML (a noun's url document): only Say, Play, Pause, Gather, Hangup and Reject are", name)
	}
	switch name {
	case "Say":
		return p.say(n, "Say", 13510)
	case "Play":
		return p.play(n, "Play")
	case "Pause":
		return p.pause(n, "Pause")
	case "Gather":
		return p.gather(n)
	case "Dial":
		return p.dial(n)
	case "Hangup":
		h := &Hangup{Line: n.line}
		p.applyAttrs(n, "Hangup", nil)
		h.Parameters = p.parameters(n, "Hangup")
		return h
	case "Reject":
		r := &Reject{Line: n.line, Reason: "rejected"}
		p.applyAttrs(n, "Reject", []attr{enum("reason", &r.Reason, 0, "rejected", "busy")})
		r.Parameters = p.parameters(n, "Reject")
		return r
	case "Redirect":
		return p.redirect(n)
	case "Record":
		return p.record(n)
	case "Enqueue":
		return p.enqueue(n)
	case "Leave":
		p.applyAttrs(n, "Leave", nil)
		p.noText(n, "Leave")
		p.noChildren(n, "Leave")
		return &Leave{Line: n.line}
	}
	if slices.Contains(otherVerbs, name) {
		return unsupported(n)
	}
	p.unexpected(n, "Response", verbs, otherVerbs)
	return nil
}

func unsupported(n *node) *Unsupported {
	u := &Unsupported{Line: n.line, Name: n.name.Local, Text: strings.TrimSpace(n.directText())}
	for _, a := range n.attrs {
		if ignoredAttr(a.Name) {
			continue
		}
		if u.Attrs == nil {
			u.Attrs = make(map[string]string)
		}
		u.Attrs[qualified(a.Name)] = a.Value
	}
	return u
}

// say builds a Say; loopCode is 13510, or 13322 inside Gather.
func (p *parser) say(n *node, element string, loopCode int) Verb {
	s := &Say{Line: n.line, Language: "en-US", Loop: 1}
	p.applyAttrs(n, element, []attr{
		str("voice", &s.Voice),
		str("language", &s.Language),
		integer("loop", &s.Loop, 0, 1000, loopCode),
	})
	var b strings.Builder
	p.sayText(n, element, &b)
	// A <Say> without words is kept: it says nothing, and as the first
	// verb it delays the answer as a <Pause> does (TwiML changelog,
	// 2024.10.01), so the engine needs to see it.
	s.Text = strings.Join(strings.Fields(b.String()), " ")
	return s
}

// sayText collects the text of a Say and of its SSML elements.
func (p *parser) sayText(n *node, element string, b *strings.Builder) {
	for _, c := range n.body {
		switch {
		case c.isText():
			b.Write(c.text)
			b.WriteByte(' ')
		case slices.Contains(ssml, c.name.Local):
			p.sayText(c, element, b)
			b.WriteByte(' ')
		default:
			p.unexpected(c, element, ssml)
		}
	}
}

func (p *parser) play(n *node, element string) Verb {
	v := &Play{Line: n.line, Loop: 1}
	p.applyAttrs(n, element, []attr{
		integer("loop", &v.Loop, 0, 1000, 13410),
		digits("digits", &v.Digits, 13430, "0123456789ABCD*#wW", false),
	})
	v.URL = p.text(n, element)
	if v.URL == "" && v.Digits == "" {
		p.warn(CodeSchema, n.line, element, "<Play> needs a URL as its text, or digits; it is skipped")
		return nil
	}
	return v
}

func (p *parser) pause(n *node, element string) Verb {
	v := &Pause{Line: n.line, Length: 1}
	p.applyAttrs(n, element, []attr{integer("length", &v.Length, 1, maxInt, 13910)})
	p.noText(n, element)
	p.noChildren(n, element)
	return v
}

func (p *parser) gather(n *node) Verb {
	g := &Gather{
		Line:                        n.line,
		Method:                      "POST",
		Timeout:                     5,
		FinishOnKey:                 "#",
		Input:                       []string{"dtmf"},
		Language:                    "en-US",
		ProfanityFilter:             true,
		PartialResultCallbackMethod: "POST",
		BargeIn:                     true,
		MaxSpeechTime:               60,
	}
	p.applyAttrs(n, "Gather", []attr{
		str("action", &g.Action),
		method("method", &g.Method, 13312),
		integer("timeout", &g.Timeout, 1, maxInt, 13313),
		digits("finishOnKey", &g.FinishOnKey, 13310, "0123456789*#", true),
		described(integer("numDigits", &g.NumDigits, 1, maxInt, 13314), "no limit"),
		list("input", &g.Input, 0, "dtmf", "speech"), // 13326 is not in Twilio's dictionary
		str("language", &g.Language),
		str("hints", &g.Hints),
		speechTimeout(&g.SpeechTimeout),
		str("speechModel", &g.SpeechModel),
		boolean("profanityFilter", &g.ProfanityFilter, 13333),
		str("partialResultCallback", &g.PartialResultCallback),
		method("partialResultCallbackMethod", &g.PartialResultCallbackMethod, 0),
		boolean("bargeIn", &g.BargeIn, 13332),
		boolean("debug", &g.Debug, 13336),
		fatal(boolean("actionOnEmptyResult", &g.ActionOnEmptyResult, 13338)),
		boolean("enhanced", &g.Enhanced, 13339),
		integer("maxSpeechTime", &g.MaxSpeechTime, 1, maxInt, 13328),
	})
	if g.SpeechTimeout == "auto" && g.SpeechModel == "default" {
		// Twilio's title for 13335: "speechTimeout auto cannot be used
		// with model default".
		p.warn(13335, n.line, "Gather", "speechTimeout \"auto\" cannot be used with speechModel \"default\": give a number of seconds, or another model; using the timeout value")
		g.SpeechTimeout = ""
	}
	if len(g.FinishOnKey) > 1 {
		// digits accepted the characters; finishOnKey is a single key.
		p.warn(13310, n.line, "Gather", "invalid finishOnKey value %q: it must be one key (0-9, * or #) or empty; using \"#\"", clip(g.FinishOnKey, 20))
		g.FinishOnKey = "#"
	}
	p.noText(n, "Gather")
	for _, c := range n.elements() {
		name := c.name.Local
		element := "Gather->" + name
		var v Verb
		switch name {
		case "Say":
			v = p.say(c, element, 13322)
		case "Play":
			v = p.play(c, element)
		case "Pause":
			v = p.pause(c, element)
		default:
			if slices.Contains(verbs, name) || slices.Contains(otherVerbs, name) {
				p.warn(13320, c.line, "Gather", "<%s> cannot be nested in <Gather>: only Say, Play and Pause can; it is ignored", name)
			} else {
				p.unexpected(c, "Gather", prompts)
			}
		}
		if v != nil {
			g.Prompts = append(g.Prompts, v)
		}
	}
	return g
}

// speechTimeout accepts "auto" or a positive number of seconds.
func speechTimeout(field *string) attr {
	return attr{name: "speechTimeout", code: 13327, def: "the timeout value", set: func(v string) string {
		v = strings.TrimSpace(v)
		if i, err := strconv.Atoi(v); (err != nil || i < 1) && v != "auto" {
			return `it must be "auto" or a positive whole number of seconds`
		}
		*field = v
		return ""
	}}
}

// recordValues are the values of record on Dial.
var recordValues = []string{"do-not-record", "record-from-answer", "record-from-ringing", "record-from-answer-dual", "record-from-ringing-dual", "true", "false"}

// ringTones are the country codes ringTone accepts.
var ringTones = []string{"at", "au", "bg", "br", "be", "ch", "cl", "cn", "cz", "de", "dk", "ee", "es", "fi", "fr", "gr", "hu", "il", "in", "it", "lt", "jp", "mx", "my", "nl", "no", "nz", "ph", "pl", "pt", "ru", "se", "sg", "th", "uk", "us", "us-old", "tw", "ve", "za"}

// recordingEvents are the values of recordingStatusCallbackEvent.
var recordingEvents = []string{"in-progress", "completed", "absent"}

// callEvents are the values of statusCallbackEvent on Dial nouns.
var callEvents = []string{"initiated", "ringing", "answered", "completed"}

func (p *parser) dial(n *node) Verb {
	d := &Dial{
		Line:                          n.line,
		Method:                        "POST",
		Timeout:                       30,
		TimeLimit:                     14400,
		Record:                        "do-not-record",
		Trim:                          "do-not-trim",
		RecordingStatusCallbackMethod: "POST",
		RecordingStatusCallbackEvent:  []string{"completed"},
		RecordingTrack:                "both",
		ReferMethod:                   "POST",
	}
	p.applyAttrs(n, "Dial", []attr{
		str("action", &d.Action),
		method("method", &d.Method, 13210),
		integer("timeout", &d.Timeout, 5, 600, 13212),
		boolean("hangupOnStar", &d.HangupOnStar, 13213),
		integer("timeLimit", &d.TimeLimit, 1, maxInt, 13216),
		{name: "callerId", code: 13214, def: "the caller's number", set: func(v string) string {
			id, ok := callerID(v)
			if !ok {
				return `it must be a phone number (E.164, or a US number such as 415-555-1212) or "client:" and a client name`
			}
			d.CallerID = id
			return ""
		}},
		boolean("answerOnBridge", &d.AnswerOnBridge, 13219),
		boolean("sequential", &d.Sequential, 13218),
		enum("record", &d.Record, 13217, recordValues...),
		enum("trim", &d.Trim, 0, "trim-silence", "do-not-trim"),
		str("recordingStatusCallback", &d.RecordingStatusCallback),
		method("recordingStatusCallbackMethod", &d.RecordingStatusCallbackMethod, 0),
		list("recordingStatusCallbackEvent", &d.RecordingStatusCallbackEvent, 0, recordingEvents...),
		enum("recordingTrack", &d.RecordingTrack, 0, "both", "inbound", "outbound"),
		described(enum("ringTone", &d.RingTone, 13220, ringTones...), "the called country's tone"),
		str("referUrl", &d.ReferURL),
		method("referMethod", &d.ReferMethod, 0),
		enum("events", &d.Events, 0, "call-progress-event"),
		str("callReason", &d.CallReason),
		str("recordingConfigurationId", &d.RecordingConfigurationID),
	})

	els := n.elements()
	text := strings.TrimSpace(n.directText())
	nouns := 0
	for _, c := range els {
		if slices.Contains(dialNouns, c.name.Local) || slices.Contains(otherDialNouns, c.name.Local) {
			nouns++
		}
	}
	switch {
	case text != "" && nouns > 0:
		p.warn(CodeSchema, n.line, "Dial", "<Dial> has both text %q and nouns; the text is ignored", clip(text, 30))
	case text != "":
		if num := p.number(n.line, text, "Dial"); num != nil {
			d.Nouns = append(d.Nouns, num)
		}
	case nouns == 0:
		p.warn(CodeSchema, n.line, "Dial", "<Dial> has nothing to dial: give a number as its text, or nest <Number>, <Client> or <Sip>")
	}

	seen := 0
	var group string // "Conference" or "Queue" once one is seen, else "call"
	for _, c := range els {
		name := c.name.Local
		element := "Dial->" + name
		if !slices.Contains(dialNouns, name) && !slices.Contains(otherDialNouns, name) {
			p.unexpected(c, "Dial", dialNouns, otherDialNouns)
			continue
		}
		seen++
		if seen > maxDialNouns {
			p.fail(CodeSchema, c.line, element, "more than %d nouns in <Dial>: Twilio dials at most %d numbers, clients and SIP addresses at once", maxDialNouns, maxDialNouns)
		}
		kind := "call"
		if name == "Conference" || name == "Queue" {
			kind = name
		}
		if group == "" {
			group = kind
		} else if group != kind || kind != "call" {
			p.warn(13000, c.line, element, "<%s> cannot be dialed together with other nouns: a <Conference> or <Queue> must be the only noun of its <Dial>; it is ignored", name)
			continue
		}
		var noun Noun
		switch name {
		case "Number":
			noun = p.numberNoun(c, element)
		case "Client":
			noun = p.client(c, element)
		case "Sip":
			noun = p.sip(c, element)
		case "Conference":
			noun = p.conference(c, element)
		case "Queue":
			noun = p.queue(c, element)
		default:
			noun = unsupported(c)
		}
		if noun != nil {
			d.Nouns = append(d.Nouns, noun)
		}
	}
	p.clientCallerID(d)
	return d
}

// clientCallerID applies the rule that a "client:" callerId is only valid
// when the Dial rings <Client>s: with a <Number> or <Sip> among its nouns
// it is warning 13214, and the Dial uses the caller's number for every
// leg, its Client legs included.
func (p *parser) clientCallerID(d *Dial) {
	if !strings.HasPrefix(d.CallerID, "client:") {
		return
	}
	for _, n := range d.Nouns {
		switch n.(type) {
		case *Number, *Sip:
			p.warn(13214, d.Line, "Dial", "invalid callerId value %q: a client: caller ID is only valid when the Dial rings <Client>s, and this one rings <%s> %s; using the caller's number for every leg",
				clip(d.CallerID, 40), n.Element(), clip(n.Address(), 40))
			d.CallerID = ""
			return
		}
	}
}

// number builds a Number from its text; it returns nil, after a warning, if
// the text is not a phone number.
func (p *parser) number(line int, text, element string) *Number {
	num := &Number{Line: line}
	p.numberDefaults(num)
	if !p.setNumber(num, text, element) {
		return nil
	}
	return num
}

func (p *parser) numberDefaults(num *Number) {
	num.Method = "POST"
	num.StatusCallbackMethod = "POST"
	num.AMDStatusCallbackMethod = "POST"
	num.MachineDetectionTimeout = 30
	num.MachineDetectionSpeechThreshold = 2400
	num.MachineDetectionSpeechEndThreshold = 1200
	num.MachineDetectionSilenceTimeout = 5000
}

// setNumber normalises text into num.Number, reporting 13223 (and
// returning false) or 13224.
func (p *parser) setNumber(num *Number, text, element string) bool {
	e164, code, reason := normalizeNumber(text)
	switch code {
	case CodeNumberFormat:
		// Twilio names these "Dial: ..." whichever noun holds the number.
		p.warn(code, num.Line, "Dial", "invalid phone number format %q: %s; the number is not dialed", clip(text, 30), reason)
		return false
	case CodeNotDialable:
		p.dropNoun(code, num.Line, "Dial", "cannot dial %q: %s; the number is not dialed", clip(text, 30), reason)
		return false
	}
	num.Number = e164
	return true
}

func (p *parser) numberNoun(n *node, element string) Noun {
	num := &Number{Line: n.line}
	p.numberDefaults(num)
	spec := []attr{
		digits("sendDigits", &num.SendDigits, 13222, "0123456789ABCD*#wW", false),
		str("url", &num.URL),
		method("method", &num.Method, 13221),
		list("statusCallbackEvent", &num.StatusCallbackEvent, 0, callEvents...),
		str("statusCallback", &num.StatusCallback),
		method("statusCallbackMethod", &num.StatusCallbackMethod, 0),
		str("byoc", &num.BYOC),
	}
	spec = append(spec, machineDetection(&num.MachineDetection, &num.AMDStatusCallback, &num.AMDStatusCallbackMethod,
		&num.MachineDetectionTimeout, &num.MachineDetectionSpeechThreshold, &num.MachineDetectionSpeechEndThreshold, &num.MachineDetectionSilenceTimeout)...)
	p.applyAttrs(n, element, spec)
	if !p.setNumber(num, p.text(n, element), element) {
		return nil
	}
	return num
}

// machineDetection returns the answering machine detection attributes of
// Number and Sip.
func machineDetection(md, cb, cbMethod *string, timeout, speech, speechEnd, silence *int) []attr {
	return []attr{
		described(enum("machineDetection", md, 0, "Enable", "DetectMessageEnd"), "no detection"),
		str("amdStatusCallback", cb),
		method("amdStatusCallbackMethod", cbMethod, 0),
		integer("machineDetectionTimeout", timeout, 3, 59, 0),
		integer("machineDetectionSpeechThreshold", speech, 1000, 6000, 0),
		integer("machineDetectionSpeechEndThreshold", speechEnd, 500, 5000, 0),
		integer("machineDetectionSilenceTimeout", silence, 2000, 10000, 0),
	}
}

func (p *parser) client(n *node, element string) Noun {
	c := &Client{Line: n.line, Method: "POST", StatusCallbackMethod: "POST"}
	p.applyAttrs(n, element, []attr{
		str("url", &c.URL),
		method("method", &c.Method, 0),
		list("statusCallbackEvent", &c.StatusCallbackEvent, 0, callEvents...),
		str("statusCallback", &c.StatusCallback),
		method("statusCallbackMethod", &c.StatusCallbackMethod, 0),
		str("clientNotificationUrl", &c.ClientNotificationURL),
	})
	text := strings.TrimSpace(n.directText())
	identityLine := n.line
	var identity *node
	for _, k := range n.elements() {
		switch k.name.Local {
		case "Identity":
			if identity != nil {
				p.warn(CodeSchema, k.line, element+"->Identity", "<Client> has more than one <Identity>; only the first is dialed")
				continue
			}
			identity = k
		case "Parameter":
			if prm, ok := p.parameter(k, element+"->Parameter"); ok {
				c.Parameters = append(c.Parameters, prm)
			}
		default:
			p.unexpected(k, element, []string{"Identity", "Parameter"})
		}
	}
	if identity != nil {
		if text != "" {
			p.warn(CodeSchema, n.line, element, "<Client> has both text %q and an <Identity>; the text is ignored", clip(text, 30))
		}
		p.applyAttrs(identity, element+"->Identity", nil)
		text = p.text(identity, element+"->Identity")
		identityLine = identity.line
	}
	if reason := badClientName(text); reason != "" {
		p.dropNoun(CodeClientName, identityLine, element, "invalid client name %q: %s; the client is not dialed", clip(text, 40), reason)
		return nil
	}
	c.Identity = text
	return c
}

// parameters builds the <Parameter> children of Hangup and Reject.
func (p *parser) parameters(n *node, element string) []Parameter {
	p.noText(n, element)
	var ps []Parameter
	for _, k := range n.elements() {
		if k.name.Local != "Parameter" {
			p.unexpected(k, element, []string{"Parameter"})
			continue
		}
		if prm, ok := p.parameter(k, element+"->Parameter"); ok {
			ps = append(ps, prm)
		}
	}
	return ps
}

func (p *parser) parameter(n *node, element string) (Parameter, bool) {
	var prm Parameter
	hasName := false
	p.applyAttrs(n, element, []attr{
		{name: "name", set: func(v string) string {
			prm.Name, hasName = v, true
			return ""
		}},
		str("value", &prm.Value),
	})
	p.noText(n, element)
	p.noChildren(n, element)
	if !hasName || prm.Name == "" {
		p.warn(CodeSchema, n.line, element, "<Parameter> needs a name attribute; it is ignored")
		return prm, false
	}
	return prm, true
}

func (p *parser) sip(n *node, element string) Noun {
	s := &Sip{
		Line:                               n.line,
		Method:                             "POST",
		StatusCallbackMethod:               "POST",
		AMDStatusCallbackMethod:            "POST",
		MachineDetectionTimeout:            30,
		MachineDetectionSpeechThreshold:    2400,
		MachineDetectionSpeechEndThreshold: 1200,
		MachineDetectionSilenceTimeout:     5000,
	}
	spec := []attr{
		str("username", &s.Username),
		str("password", &s.Password),
		str("url", &s.URL),
		method("method", &s.Method, 13241),
		list("statusCallbackEvent", &s.StatusCallbackEvent, 0, callEvents...),
		str("statusCallback", &s.StatusCallback),
		method("statusCallbackMethod", &s.StatusCallbackMethod, 0),
	}
	spec = append(spec, machineDetection(&s.MachineDetection, &s.AMDStatusCallback, &s.AMDStatusCallbackMethod,
		&s.MachineDetectionTimeout, &s.MachineDetectionSpeechThreshold, &s.MachineDetectionSpeechEndThreshold, &s.MachineDetectionSilenceTimeout)...)
	p.applyAttrs(n, element, spec)
	s.URI = p.text(n, element)
	lower := strings.ToLower(s.URI)
	if !strings.HasPrefix(lower, "sip:") && !strings.HasPrefix(lower, "sips:") {
		p.warn(13243, n.line, element, "invalid SIP URI %q: it must start with sip: or sips:; it is not dialed", clip(s.URI, 40))
		return nil
	}
	return s
}

func (p *parser) conference(n *node, element string) Noun {
	c := &Conference{
		Line:                          n.line,
		Beep:                          "true",
		StartConferenceOnEnter:        true,
		WaitMethod:                    "POST",
		MaxParticipants:               250,
		Record:                        "do-not-record",
		Trim:                          "trim-silence",
		StatusCallbackMethod:          "POST",
		RecordingStatusCallbackMethod: "POST",
		RecordingStatusCallbackEvent:  []string{"completed"},
		JitterBufferSize:              "large",
	}
	p.applyAttrs(n, element, []attr{
		boolean("muted", &c.Muted, 0),
		enum("beep", &c.Beep, 0, "true", "false", "onEnter", "onExit"),
		boolean("startConferenceOnEnter", &c.StartConferenceOnEnter, 0),
		boolean("endConferenceOnExit", &c.EndConferenceOnExit, 0),
		str("waitUrl", &c.WaitURL),
		method("waitMethod", &c.WaitMethod, 0),
		integer("maxParticipants", &c.MaxParticipants, 2, 250, 0),
		enum("record", &c.Record, 0, "do-not-record", "record-from-start"),
		str("region", &c.Region),
		str("coach", &c.Coach),
		enum("trim", &c.Trim, 0, "trim-silence", "do-not-trim"),
		list("statusCallbackEvent", &c.StatusCallbackEvent, 0),
		str("statusCallback", &c.StatusCallback),
		method("statusCallbackMethod", &c.StatusCallbackMethod, 0),
		str("recordingStatusCallback", &c.RecordingStatusCallback),
		method("recordingStatusCallbackMethod", &c.RecordingStatusCallbackMethod, 0),
		list("recordingStatusCallbackEvent", &c.RecordingStatusCallbackEvent, 0, recordingEvents...),
		str("eventCallbackUrl", &c.EventCallbackURL),
		enum("jitterBufferSize", &c.JitterBufferSize, 0, "large", "medium", "small", "off"),
		str("participantLabel", &c.ParticipantLabel),
	})
	c.Name = p.text(n, element)
	if c.Name == "" {
		p.warn(CodeSchema, n.line, element, "<Conference> needs a room name as its text; it is ignored")
		return nil
	}
	return c
}

func (p *parser) queue(n *node, element string) Noun {
	q := &Queue{Line: n.line, Method: "POST"}
	p.applyAttrs(n, element, []attr{
		str("url", &q.URL),
		method("method", &q.Method, 0),
		str("reservationSid", &q.ReservationSid),
		str("postWorkActivitySid", &q.PostWorkActivitySid),
	})
	q.Name = p.text(n, element)
	if q.Name == "" {
		p.warn(CodeSchema, n.line, element, "<Queue> needs a queue name as its text; it is ignored")
		return nil
	}
	return q
}

func (p *parser) redirect(n *node) Verb {
	r := &Redirect{Line: n.line, Method: "POST"}
	p.applyAttrs(n, "Redirect", []attr{method("method", &r.Method, 13710)})
	r.URL = p.text(n, "Redirect")
	if r.URL == "" {
		p.warn(CodeSchema, n.line, "Redirect", "<Redirect> needs a URL as its text; it is skipped")
		return nil
	}
	return r
}

func (p *parser) record(n *node) Verb {
	r := &Record{
		Line:                          n.line,
		Method:                        "POST",
		Timeout:                       5,
		FinishOnKey:                   "1234567890*#",
		MaxLength:                     3600,
		PlayBeep:                      true,
		Trim:                          "trim-silence",
		RecordingStatusCallbackMethod: "POST",
		RecordingStatusCallbackEvent:  []string{"completed"},
	}
	p.applyAttrs(n, "Record", []attr{
		str("action", &r.Action),
		method("method", &r.Method, 13610),
		integer("timeout", &r.Timeout, 1, maxInt, 13611),
		digits("finishOnKey", &r.FinishOnKey, 13613, "0123456789*#", true),
		integer("maxLength", &r.MaxLength, 1, maxInt, 0),
		boolean("playBeep", &r.PlayBeep, 0),
		enum("trim", &r.Trim, 0, "trim-silence", "do-not-trim"),
		str("recordingStatusCallback", &r.RecordingStatusCallback),
		method("recordingStatusCallbackMethod", &r.RecordingStatusCallbackMethod, 0),
		fatal(list("recordingStatusCallbackEvent", &r.RecordingStatusCallbackEvent, 13621, recordingEvents...)),
		boolean("transcribe", &r.Transcribe, 0),
		str("transcribeCallback", &r.TranscribeCallback),
	})
	p.noText(n, "Record")
	p.noChildren(n, "Record")
	return r
}

func (p *parser) enqueue(n *node) Verb {
	e := &Enqueue{Line: n.line, Method: "POST", WaitURLMethod: "POST"}
	p.applyAttrs(n, "Enqueue", []attr{
		str("action", &e.Action),
		method("method", &e.Method, 0),
		described(integer("maxQueueSize", &e.MaxQueueSize, 1, maxInt, 0), "Twilio's default"),
		fatal(urlRef("waitUrl", &e.WaitURL, 14202)),
		fatal(method("waitUrlMethod", &e.WaitURLMethod, 14206)),
		str("workflowSid", &e.WorkflowSid),
	})
	e.Name = strings.TrimSpace(n.directText())
	for _, k := range n.elements() {
		if k.name.Local != "Task" || e.Task != nil {
			p.unexpected(k, "Enqueue", []string{"Task"})
			continue
		}
		t := &Task{}
		p.applyAttrs(k, "Enqueue->Task", []attr{
			integer("priority", &t.Priority, 0, maxInt, 0),
			described(integer("timeout", &t.Timeout, 1, maxInt, 0), "TaskRouter's default"),
		})
		t.Body = p.text(k, "Enqueue->Task")
		e.Task = t
	}
	if e.Name == "" && e.WorkflowSid == "" {
		p.warn(CodeSchema, n.line, "Enqueue", "<Enqueue> needs a queue name as its text, or a workflowSid; it is skipped")
		return nil
	}
	return e
}
