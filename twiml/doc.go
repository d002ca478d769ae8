// Package twiml parses and validates TwiML voice documents the way Twilio
// does, into typed verbs, and reports problems with Twilio's error codes.
//
// Parse turns a document into a *Response: its verbs in order (*Say, *Play,
// *Pause, *Gather, *Dial, ...), each with the line of its start tag and every
// documented attribute typed, defaults applied. A Dial's parties are Nouns
// (*Number, *Client, *Sip, ...) in document order, and each Noun's Address is
// the string the engine dials: "+18589876543", "client:jenny", a SIP URI.
//
//	resp, err := twiml.Parse(body, twiml.Options{File: url})
//	if err != nil {
//		// An error-level diagnostic: end the call (or decline the whisper).
//	}
//	for _, w := range resp.Warnings {
//		// Warnings: the document runs with the defaults they name.
//	}
//
// # Diagnostics
//
// Every problem is a Diagnostic with Twilio's code, a level, a line and the
// element concerned; codes and levels are those of Twilio's Error and
// Warning Dictionary (https://www.twilio.com/docs/api/errors) wherever it
// has one, and 12200 otherwise. A warning skips the element, or keeps the
// attribute's default, and parsing goes on. An error about one Dial noun
// (13224, 31105) drops that noun only: the document runs, the error is in
// Response.Warnings, and one bad noun never ends the whole document. Any
// other error stops the parse, and Parse returns the Diagnostics found so
// far as its error. The codes:
//
//	12100  ERROR    not well-formed XML: unclosed or mismatched elements,
//	                anything (even white space) before <?xml ...?>, text or a
//	                second element outside the root, a DOCTYPE or entity
//	                declaration, an undefined entity, invalid UTF-8, an
//	                encoding other than UTF-8, US-ASCII or ISO-8859-1, a
//	                repeated attribute, more than Options.MaxNodes elements
//	                and attributes, or nesting deeper than Options.MaxDepth
//	12101  ERROR    <Response version> other than 2010-04-01 or 2008-08-01
//	12102  ERROR    the root element is not <Response> (also <response>)
//	12200  WARNING  schema: unknown element or attribute (names are
//	                case-sensitive, so <say> is unknown), an element where it
//	                may not be, text where none is allowed, an invalid value of
//	                an attribute without a code of its own below (among them
//	                Gather input: Twilio's dictionary has no code for it), a
//	                verb missing what it needs (<Play> without URL or digits)
//	12200  ERROR    more than ten nouns in one <Dial>; in whisper TwiML, a verb
//	                other than Say, Play, Pause, Gather, Hangup and Reject
//	13000  WARNING  <Conference> or <Queue> together with other Dial nouns
//	13201  ERROR    <Dial> in whisper TwiML
//	13210  WARNING  Dial method       13212 Dial timeout (5 to 600)
//	13213  WARNING  Dial hangupOnStar 13214 Dial callerId (see below)
//	13216  WARNING  Dial timeLimit    13217 Dial record
//	13218  WARNING  Dial sequential   13219 Dial answerOnBridge
//	13220  WARNING  Dial ringTone
//	13221  WARNING  Number method     13222 Number sendDigits
//	13223  WARNING  a phone number in a format Twilio cannot read, or with
//	                more than 15 digits; the noun is not dialed
//	13224  ERROR    a phone number that cannot be dialed; the noun is not
//	                dialed, and the document runs
//	13241  WARNING  Sip method        13243 Sip URI (the noun is not dialed)
//	13310  WARNING  Gather finishOnKey  13312 Gather method
//	13313  WARNING  Gather timeout      13314 Gather numDigits
//	13320  WARNING  a verb other than Say, Play, Pause inside <Gather>
//	13322  WARNING  loop of a <Say> inside <Gather>
//	13327  WARNING  Gather speechTimeout 13328 Gather maxSpeechTime
//	13332  WARNING  Gather bargeIn       13333 Gather profanityFilter
//	13335  WARNING  Gather speechTimeout="auto" with speechModel="default"
//	13336  WARNING  Gather debug         13339 Gather enhanced
//	13338  ERROR    Gather actionOnEmptyResult
//	13410  WARNING  Play loop         13430 Play digits
//	13510  WARNING  Say loop
//	13610  WARNING  Record method     13611 Record timeout
//	13613  WARNING  Record finishOnKey
//	13621  ERROR    Record recordingStatusCallbackEvent
//	13710  WARNING  Redirect method
//	13910  WARNING  Pause length
//	14202  ERROR    Enqueue waitUrl (not a relative or http(s) URL)
//	14206  ERROR    Enqueue waitUrlMethod
//	31105  ERROR    an invalid <Client> identity; the client is not
//	                dialed, and the document runs
//
// Booleans (true, false) and methods (GET, POST) are accepted in any case;
// methods are stored in upper case. Other values are case-sensitive.
//
// # Phone numbers
//
// A <Number> (or a Dial's text) is read as follows. Spaces and the
// characters - . ( ) between digits are dropped; anything else but digits
// and a leading + is 13223. A number with + is E.164. A number without + must
// be a US number, 10 digits or 11 starting with 1, and gets +1: "858-987-6543",
// "(415) 555-1212" and "415.555.1212" become +18589876543, +14155551212 and
// +14155551212; other numbers without + are 13223. An E.164 number has at
// most 15 digits (more is 13223, as Twilio's page for 13223 says). It cannot
// be dialed (13224) if it starts with 0 or with no country calling code in
// use (ITU's list of assigned codes: +693, the example of Twilio's page for
// 13224, is spare), or has fewer than 4 digits after its country code; a +1
// number also if it has other than 10 digits after the 1, or its area code
// starts with 0 or 1, is an N11 service code (211 to 911) or is the
// premium-rate 900. Whether a +1 area code is assigned is not checked, so
// the +1 555 numbers of examples are dialable. IsPhoneNumber tells whether a
// string is a number in this E.164 form.
//
// # Caller IDs
//
// A callerId on Dial must be such a number, or "client:" and a valid client
// identity; otherwise it is 13214 and the caller's number is used. A
// "client:" callerId is only valid when the Dial rings <Client>s: with a
// <Number> or <Sip> among its nouns it is 13214 too, and every leg of that
// Dial, its Client legs included, shows the caller's number. Whether a
// caller ID is needed at all depends on the call (a client caller dialing a
// <Number> needs a phone number), which the engine knows and this package
// does not.
//
// # Client identities
//
// A client identity (the text of <Client>, or of its <Identity>) has 1 to
// 256 characters, none of them a control character, white space, a delimiter
// (< > # % ") or an "unwise" character ({ } | \ ^ [ ] `) of RFC 2396;
// otherwise it is 31105. Surrounding white space is trimmed first. The
// limit counts characters (Unicode code points), not bytes, as Twilio's
// rule is written: 256 "é" are a valid identity of 512 bytes. ValidClient
// applies this rule, and ValidAddress the rules of numbers and clients to
// an address such as a Noun's Address.
//
// # Whisper TwiML
//
// With Options.Whisper, Parse reads the document a noun's url names, which
// runs on the dialed party's leg before the bridge: <Dial> there is 13201,
// and Redirect, Record, Enqueue, Leave and the unsupported verbs are 12200
// errors.
//
// # What is kept as written
//
// Verbs and nouns that Twilio has and this package does not model (<Connect>,
// <Start>, <Stop>, <Pay>, <Echo>, <Refer>, <Sms>; <Sim> and <Application> in
// a Dial) are returned as *Unsupported, unvalidated, so the engine can say
// they are not simulated. SSML inside <Say> is accepted; Say.Text keeps its
// words. URLs are kept as written; only Enqueue's waitUrl, which has a code
// of its own (14202), is checked here, the others when the engine resolves
// them against the document's URL.
package twiml
