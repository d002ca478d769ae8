package twiml

// Response is a parsed TwiML voice document: the verbs inside <Response>,
// in document order.
type Response struct {
	// Line is the line of the <Response> start tag.
	Line int
	// Version is the version attribute, "" when absent.
	Version string
	// Verbs are the verbs to execute, in order. Elements that drew a
	// warning and were skipped are not here.
	Verbs []Verb
	// Warnings are the warning-level diagnostics; the document runs anyway,
	// with the defaults the warnings name.
	Warnings Diagnostics
}

// Verb is one instruction of a Response: *Say, *Play, *Pause, *Gather,
// *Dial, *Hangup, *Reject, *Redirect, *Record, *Enqueue, *Leave, or
// *Unsupported for the verbs Twilio has and this package does not model.
// Prompts inside a Gather are Verbs too (*Say, *Play, *Pause).
type Verb interface {
	// Element returns the verb's element name, such as "Say".
	Element() string
	// SourceLine returns the line of the verb's start tag.
	SourceLine() int
	isVerb()
}

// Say speaks text to the caller.
type Say struct {
	Line int
	// Text is the words to speak, with SSML tags removed and runs of white
	// space collapsed to one space.
	Text string
	// Voice is the voice attribute; "" means Twilio's default voice.
	Voice string
	// Language defaults to "en-US".
	Language string
	// Loop is how many times to speak the text, 1 by default; 0 means until
	// the call ends. Valid values are 0 to 1000.
	Loop int
}

// Play plays an audio file, or DTMF tones, to the caller.
type Play struct {
	Line int
	// URL is the audio to play; "" when Digits is set instead.
	URL string
	// Loop is how many times to play, 1 by default; 0 means until the call
	// ends. Valid values are 0 to 1000.
	Loop int
	// Digits are DTMF tones to play: 0-9, A-D, *, #, w for a half-second
	// pause and W for a one-second pause.
	Digits string
}

// Pause waits silently.
type Pause struct {
	Line int
	// Length is the pause in seconds, 1 by default.
	Length int
}

// Gather collects digits (or speech) from the caller, playing its prompts
// first.
type Gather struct {
	Line int
	// Action is the URL requested with the input; "" means the current
	// document's URL.
	Action string
	// Method is "GET" or "POST" (default) for Action.
	Method string
	// Timeout is the number of seconds to wait for input after the prompts
	// finish, 5 by default.
	Timeout int
	// FinishOnKey is the key that ends input, "#" by default; "" disables it.
	FinishOnKey string
	// NumDigits ends input once this many digits are in; 0 (the default)
	// means no limit.
	NumDigits int
	// Input lists the kinds of input accepted: "dtmf" (the default),
	// "speech", or both.
	Input []string
	// Language is the speech recognition language, "en-US" by default.
	Language string
	// Hints are speech recognition hints, as written.
	Hints string
	// SpeechTimeout is "auto" or a number of seconds; "" means the value
	// of Timeout.
	SpeechTimeout string
	// SpeechModel names the speech recognition model; "" means Twilio's
	// default.
	SpeechModel string
	// ProfanityFilter masks profanity in speech results; true by default.
	ProfanityFilter bool
	// PartialResultCallback is a URL for interim speech results.
	PartialResultCallback string
	// PartialResultCallbackMethod is "GET" or "POST" (default).
	PartialResultCallbackMethod string
	// BargeIn stops the prompts when speech starts; true by default.
	BargeIn bool
	// Debug asks Twilio for debug information; false by default.
	Debug bool
	// ActionOnEmptyResult requests Action even without input; false by
	// default, in which case the next verb runs.
	ActionOnEmptyResult bool
	// Enhanced asks for the enhanced speech model; false by default.
	Enhanced bool
	// MaxSpeechTime is the longest speech accepted, in seconds, 60 by
	// default.
	MaxSpeechTime int
	// Prompts are the nested *Say, *Play and *Pause verbs, in order.
	Prompts []Verb
}

// Dial connects the caller to other parties: it rings its Nouns (all at
// once, or one after another with Sequential) and bridges the first to
// answer.
type Dial struct {
	Line int
	// Action is the URL requested when the Dial ends; "" means the next verb
	// runs instead.
	Action string
	// Method is "GET" or "POST" (default) for Action.
	Method string
	// Timeout is how long to ring, in seconds: 5 to 600, 30 by default.
	Timeout int
	// TimeLimit is the longest the bridged call may last, in seconds, 14400
	// by default.
	TimeLimit int
	// HangupOnStar lets the caller end the bridge by pressing *.
	HangupOnStar bool
	// CallerID is the caller ID shown to the called parties, normalised: an
	// E.164 number or "client:name". "" means the caller's own number.
	CallerID string
	// AnswerOnBridge keeps the caller hearing ringing until the bridge.
	AnswerOnBridge bool
	// Sequential dials the nouns one after another, in document order.
	Sequential bool
	// Record is "do-not-record" (default), "record-from-answer",
	// "record-from-ringing", "record-from-answer-dual" or
	// "record-from-ringing-dual"; the legacy "true" and "false" are kept as
	// written.
	Record string
	// Trim is "do-not-trim" (default) or "trim-silence".
	Trim string
	// RecordingStatusCallback is a URL told about recordings.
	RecordingStatusCallback string
	// RecordingStatusCallbackMethod is "GET" or "POST" (default).
	RecordingStatusCallbackMethod string
	// RecordingStatusCallbackEvent lists "in-progress", "completed" and
	// "absent"; ["completed"] by default.
	RecordingStatusCallbackEvent []string
	// RecordingTrack is "both" (default), "inbound" or "outbound".
	RecordingTrack string
	// RingTone is the ringback tone's country code, such as "us"; "" means
	// the tone of the called number's country.
	RingTone string
	// ReferURL is the URL told about SIP REFER requests.
	ReferURL string
	// ReferMethod is "GET" or "POST" (default).
	ReferMethod string
	// Events is "call-progress-event" to have the child legs' progress
	// reported, or "".
	Events string
	// CallReason is the reason for the call shown to the called parties
	// (Twilio's Branded Calling), as written; "" for none.
	CallReason string
	// RecordingConfigurationID names a recording configuration, as written;
	// "" for none.
	RecordingConfigurationID string
	// Nouns are the parties to dial, in document order (the order breaks
	// ties in the race). A number written as the Dial's text, as in
	// <Dial>415-123-4567</Dial>, is a *Number here. Nouns that drew a
	// warning are left out, so Nouns may be empty.
	Nouns []Noun
}

// Hangup ends the call.
type Hangup struct {
	Line int
	// Parameters are the nested <Parameter> elements.
	Parameters []Parameter
}

// Reject refuses an incoming call without answering it.
type Reject struct {
	Line int
	// Reason is "rejected" (default) or "busy".
	Reason string
	// Parameters are the nested <Parameter> elements.
	Parameters []Parameter
}

// Redirect hands the call to the TwiML at URL; verbs after it never run.
type Redirect struct {
	Line int
	// URL is the document to fetch; relative URLs are kept as written.
	URL string
	// Method is "GET" or "POST" (default).
	Method string
}

// Record records the caller. It is parsed and validated; the engine does not
// simulate it yet.
type Record struct {
	Line int
	// Action is the URL requested when recording ends.
	Action string
	// Method is "GET" or "POST" (default) for Action.
	Method string
	// Timeout is the seconds of silence that end the recording, 5 by
	// default.
	Timeout int
	// FinishOnKey lists the keys that end the recording, "1234567890*#" by
	// default; "" disables them.
	FinishOnKey string
	// MaxLength is the longest recording, in seconds, 3600 by default.
	MaxLength int
	// PlayBeep plays a beep before recording; true by default.
	PlayBeep bool
	// Trim is "trim-silence" (default) or "do-not-trim".
	Trim string
	// RecordingStatusCallback is a URL told about the recording.
	RecordingStatusCallback string
	// RecordingStatusCallbackMethod is "GET" or "POST" (default).
	RecordingStatusCallbackMethod string
	// RecordingStatusCallbackEvent lists "in-progress", "completed" and
	// "absent"; ["completed"] by default.
	RecordingStatusCallbackEvent []string
	// Transcribe asks for a transcription; false by default.
	Transcribe bool
	// TranscribeCallback is the URL told about the transcription.
	TranscribeCallback string
}

// Enqueue puts the caller in a queue.
type Enqueue struct {
	Line int
	// Name is the queue's name, the element's text.
	Name string
	// Action is the URL requested when the caller leaves the queue.
	Action string
	// Method is "GET" or "POST" (default) for Action.
	Method string
	// MaxQueueSize is the most calls the queue may hold; 0 means Twilio's
	// default.
	MaxQueueSize int
	// WaitURL is the TwiML played while waiting.
	WaitURL string
	// WaitURLMethod is "GET" or "POST" (default).
	WaitURLMethod string
	// WorkflowSid names a TaskRouter workflow.
	WorkflowSid string
	// Task is the nested <Task>, nil if none.
	Task *Task
}

// Task is the TaskRouter task of an Enqueue.
type Task struct {
	// Body is the task's attributes, the element's text (JSON).
	Body string
	// Priority is the task's priority; 0 by default.
	Priority int
	// Timeout is the task's timeout in seconds; 0 means TaskRouter's
	// default.
	Timeout int
}

// Leave takes the caller out of a queue.
type Leave struct {
	Line int
}

// Unsupported is a verb or noun that Twilio has and this package does not
// model, such as <Connect>, <Start>, <Pay> or <Dial><Sim>. It is kept so
// that the engine reports it as not simulated instead of skipping it. Its
// content is not validated.
type Unsupported struct {
	Line int
	// Name is the element name, such as "Connect".
	Name string
	// Text is the element's own text, trimmed.
	Text string
	// Attrs are the element's attributes, as written.
	Attrs map[string]string
}

// Parameter is a custom parameter, <Parameter name="..." value="..."/>.
type Parameter struct {
	Name  string
	Value string
}

// Element returns "Say".
func (v *Say) Element() string { return "Say" }

// Element returns "Play".
func (v *Play) Element() string { return "Play" }

// Element returns "Pause".
func (v *Pause) Element() string { return "Pause" }

// Element returns "Gather".
func (v *Gather) Element() string { return "Gather" }

// Element returns "Dial".
func (v *Dial) Element() string { return "Dial" }

// Element returns "Hangup".
func (v *Hangup) Element() string { return "Hangup" }

// Element returns "Reject".
func (v *Reject) Element() string { return "Reject" }

// Element returns "Redirect".
func (v *Redirect) Element() string { return "Redirect" }

// Element returns "Record".
func (v *Record) Element() string { return "Record" }

// Element returns "Enqueue".
func (v *Enqueue) Element() string { return "Enqueue" }

// Element returns "Leave".
func (v *Leave) Element() string { return "Leave" }

// Element returns v.Name.
func (v *Unsupported) Element() string { return v.Name }

// SourceLine returns v.Line.
func (v *Say) SourceLine() int { return v.Line }

// SourceLine returns v.Line.
func (v *Play) SourceLine() int { return v.Line }

// SourceLine returns v.Line.
func (v *Pause) SourceLine() int { return v.Line }

// SourceLine returns v.Line.
func (v *Gather) SourceLine() int { return v.Line }

// SourceLine returns v.Line.
func (v *Dial) SourceLine() int { return v.Line }

// SourceLine returns v.Line.
func (v *Hangup) SourceLine() int { return v.Line }

// SourceLine returns v.Line.
func (v *Reject) SourceLine() int { return v.Line }

// SourceLine returns v.Line.
func (v *Redirect) SourceLine() int { return v.Line }

// SourceLine returns v.Line.
func (v *Record) SourceLine() int { return v.Line }

// SourceLine returns v.Line.
func (v *Enqueue) SourceLine() int { return v.Line }

// SourceLine returns v.Line.
func (v *Leave) SourceLine() int { return v.Line }

// SourceLine returns v.Line.
func (v *Unsupported) SourceLine() int { return v.Line }

func (*Say) isVerb()         {}
func (*Play) isVerb()        {}
func (*Pause) isVerb()       {}
func (*Gather) isVerb()      {}
func (*Dial) isVerb()        {}
func (*Hangup) isVerb()      {}
func (*Reject) isVerb()      {}
func (*Redirect) isVerb()    {}
func (*Record) isVerb()      {}
func (*Enqueue) isVerb()     {}
func (*Leave) isVerb()       {}
func (*Unsupported) isVerb() {}
