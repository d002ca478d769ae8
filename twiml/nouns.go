package twiml

import "strings"

// Noun is a party a Dial rings: *Number, *Client, *Sip, *Conference,
// *Queue, or *Unsupported for <Sim>, <Application> and <WhatsApp>.
type Noun interface {
	// Address returns the dialed address: "+18589876543" for a Number,
	// "client:jenny" for a Client, the URI for a Sip, "conference:NAME" and
	// "queue:NAME" for a Conference and a Queue.
	Address() string
	// Element returns the noun's element name, such as "Number".
	Element() string
	// SourceLine returns the line of the noun's start tag (of the Dial, for
	// a number written as the Dial's text).
	SourceLine() int
	isNoun()
}

// Number is a phone number to dial.
type Number struct {
	Line int
	// Number is the number in E.164 form, such as "+18589876543"; unformatted
	// US numbers are normalised to it.
	Number string
	// SendDigits are DTMF tones played when the party answers: 0-9, A-D,
	// *, #, w (half a second's pause) and W (one second).
	SendDigits string
	// URL is whisper TwiML run on the party's leg when it answers, before
	// the bridge; "" for none. Parse it with Options.Whisper.
	URL string
	// Method is "GET" or "POST" (default) for URL.
	Method string
	// StatusCallback is a URL told about the leg's progress.
	StatusCallback string
	// StatusCallbackEvent lists "initiated", "ringing", "answered" and
	// "completed"; nil means only "completed", and only with a
	// StatusCallback.
	StatusCallbackEvent []string
	// StatusCallbackMethod is "GET" or "POST" (default).
	StatusCallbackMethod string
	// BYOC names a Bring Your Own Carrier trunk.
	BYOC string
	// MachineDetection is "Enable", "DetectMessageEnd", or "" for none.
	MachineDetection string
	// AMDStatusCallback is a URL told the machine detection result.
	AMDStatusCallback string
	// AMDStatusCallbackMethod is "GET" or "POST" (default).
	AMDStatusCallbackMethod string
	// MachineDetectionTimeout is in seconds, 30 by default.
	MachineDetectionTimeout int
	// MachineDetectionSpeechThreshold is in milliseconds, 2400 by default.
	MachineDetectionSpeechThreshold int
	// MachineDetectionSpeechEndThreshold is in milliseconds, 1200 by
	// default.
	MachineDetectionSpeechEndThreshold int
	// MachineDetectionSilenceTimeout is in milliseconds, 5000 by default.
	MachineDetectionSilenceTimeout int
}

// Client is a Twilio Voice SDK client to dial.
type Client struct {
	Line int
	// Identity is the client's identifier, from the element's text or its
	// nested <Identity>.
	Identity string
	// Parameters are the nested <Parameter> elements, passed to the client.
	Parameters []Parameter
	// URL is whisper TwiML run on the client's leg when it answers.
	URL string
	// Method is "GET" or "POST" (default) for URL.
	Method string
	// StatusCallback is a URL told about the leg's progress.
	StatusCallback string
	// StatusCallbackEvent is as for Number.
	StatusCallbackEvent []string
	// StatusCallbackMethod is "GET" or "POST" (default).
	StatusCallbackMethod string
	// ClientNotificationURL is the URL of a call notification webhook.
	ClientNotificationURL string
}

// Sip is a SIP endpoint to dial.
type Sip struct {
	Line int
	// URI is the SIP URI, such as "sip:jack@example.com".
	URI string
	// Username and Password authenticate to the SIP endpoint.
	Username string
	Password string
	// URL is whisper TwiML run on the leg when it answers.
	URL string
	// Method is "GET" or "POST" (default) for URL.
	Method string
	// StatusCallback is a URL told about the leg's progress.
	StatusCallback string
	// StatusCallbackEvent is as for Number.
	StatusCallbackEvent []string
	// StatusCallbackMethod is "GET" or "POST" (default).
	StatusCallbackMethod string
	// MachineDetection and the fields below are as for Number.
	MachineDetection                   string
	AMDStatusCallback                  string
	AMDStatusCallbackMethod            string
	MachineDetectionTimeout            int
	MachineDetectionSpeechThreshold    int
	MachineDetectionSpeechEndThreshold int
	MachineDetectionSilenceTimeout     int
}

// Conference puts the caller in a conference room.
type Conference struct {
	Line int
	// Name is the room's name, the element's text.
	Name string
	// Muted joins the participant muted.
	Muted bool
	// Beep is "true" (default), "false", "onEnter" or "onExit".
	Beep string
	// StartConferenceOnEnter starts the conference on joining; true by
	// default.
	StartConferenceOnEnter bool
	// EndConferenceOnExit ends the conference when this participant leaves.
	EndConferenceOnExit bool
	// WaitURL is the TwiML played while waiting; "" means Twilio's default
	// hold music.
	WaitURL string
	// WaitMethod is "GET" or "POST" (default).
	WaitMethod string
	// MaxParticipants is 2 to 250, 250 by default.
	MaxParticipants int
	// Record is "do-not-record" (default) or "record-from-start".
	Record string
	// Region names the media region; "" means Twilio's choice.
	Region string
	// Coach is the SID of a call to coach.
	Coach string
	// Trim is "trim-silence" (default) or "do-not-trim".
	Trim string
	// StatusCallback is a URL told about conference events.
	StatusCallback string
	// StatusCallbackEvent lists the events, as written.
	StatusCallbackEvent []string
	// StatusCallbackMethod is "GET" or "POST" (default).
	StatusCallbackMethod string
	// RecordingStatusCallback is a URL told about the recording.
	RecordingStatusCallback string
	// RecordingStatusCallbackMethod is "GET" or "POST" (default).
	RecordingStatusCallbackMethod string
	// RecordingStatusCallbackEvent lists "in-progress", "completed" and
	// "absent"; ["completed"] by default.
	RecordingStatusCallbackEvent []string
	// EventCallbackURL is a URL told about conference events.
	EventCallbackURL string
	// JitterBufferSize is "large" (default), "medium", "small" or "off".
	JitterBufferSize string
	// ParticipantLabel labels the participant.
	ParticipantLabel string
}

// Queue connects the caller to the first call waiting in a queue.
type Queue struct {
	Line int
	// Name is the queue's name, the element's text.
	Name string
	// URL is TwiML played to the dequeued caller before the bridge.
	URL string
	// Method is "GET" or "POST" (default) for URL.
	Method string
	// ReservationSid and PostWorkActivitySid are TaskRouter SIDs.
	ReservationSid      string
	PostWorkActivitySid string
}

// Address returns the E.164 number.
func (n *Number) Address() string { return n.Number }

// Address returns "client:" and the identity.
func (n *Client) Address() string { return "client:" + n.Identity }

// Address returns the SIP URI.
func (n *Sip) Address() string { return n.URI }

// Address returns "conference:" and the room's name.
func (n *Conference) Address() string { return "conference:" + n.Name }

// Address returns "queue:" and the queue's name.
func (n *Queue) Address() string { return "queue:" + n.Name }

// Address returns the element name in lower case, a colon and the text,
// such as "sim:DE123".
func (n *Unsupported) Address() string { return strings.ToLower(n.Name) + ":" + n.Text }

// Element returns "Number".
func (n *Number) Element() string { return "Number" }

// Element returns "Client".
func (n *Client) Element() string { return "Client" }

// Element returns "Sip".
func (n *Sip) Element() string { return "Sip" }

// Element returns "Conference".
func (n *Conference) Element() string { return "Conference" }

// Element returns "Queue".
func (n *Queue) Element() string { return "Queue" }

// SourceLine returns n.Line.
func (n *Number) SourceLine() int { return n.Line }

// SourceLine returns n.Line.
func (n *Client) SourceLine() int { return n.Line }

// SourceLine returns n.Line.
func (n *Sip) SourceLine() int { return n.Line }

// SourceLine returns n.Line.
func (n *Conference) SourceLine() int { return n.Line }

// SourceLine returns n.Line.
func (n *Queue) SourceLine() int { return n.Line }

func (*Number) isNoun()      {}
func (*Client) isNoun()      {}
func (*Sip) isNoun()         {}
func (*Conference) isNoun()  {}
func (*Queue) isNoun()       {}
func (*Unsupported) isNoun() {}
