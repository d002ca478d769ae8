package engine

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/twiml"
)

// Simulated times of <Record> (README "Behaviour", **Record**: Twilio
// documents none of them).
const (
	// BeepTime is how long the beep of <Record playBeep="true"> lasts;
	// the recording starts when it ends.
	BeepTime = time.Second
	// TranscriptionDelay is how long after a recording ends its
	// transcribeCallback is requested.
	TranscriptionDelay = 10 * time.Second
	// MaxTranscribed is the longest recording Twilio transcribes: two
	// minutes. A longer one's transcription fails.
	MaxTranscribed = 2 * time.Minute
)

// recordingBase is the start of every RecordingUrl and TranscriptionUrl:
// Twilio's REST API, where an application fetches the resource.
const recordingBase = "https://api.twilio.com/2010-04-01/Accounts/"

// Recording is a recording a call made, as Twilio's Recording resource
// describes it: by <Record>, or by <Dial record>. An empty <Record>
// recording (silent, or too short) is not one: Twilio keeps no file.
type Recording struct {
	// SID is the RecordingSid: "RE" and 32 hex digits, derived from the
	// call's SID and the recording's place in the call.
	SID string
	// URL is the RecordingUrl, on Twilio's REST API:
	// https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Recordings/{SID}.
	URL string
	// CallSID is the SID of the caller's call, as Twilio gives it for the
	// parent call of a Dial.
	CallSID string
	// Source is "RecordVerb" or "DialVerb".
	Source string
	// Start is when the recording started, from the start of the call.
	Start time.Duration
	// Duration is the recording's length (after trimming silence, for a
	// <Record> with trim="trim-silence"); RecordingDuration is it in whole
	// seconds, rounded.
	Duration time.Duration
	// Channels is 1, or 2 for a dual-channel Dial recording.
	Channels int
	// Digits is what <Record> sent as Digits: the key that ended it, or
	// "hangup"; empty for a timeout, maxLength, or a Dial recording.
	Digits string
	// Transcription is the recording's transcription, nil unless the
	// <Record> had transcribe="true".
	Transcription *Transcription
}

// Transcription is the transcription of a <Record> recording.
type Transcription struct {
	// SID is the TranscriptionSid: "TR" and 32 hex digits, derived from
	// the recording's SID.
	SID string
	// URL is the TranscriptionUrl:
	// https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Transcriptions/{SID}.
	URL string
	// Text is the scenario's scripted text (fake.Message.Transcript);
	// empty when the status is failed.
	Text string
	// Status is "completed", or "failed" for a recording longer than
	// MaxTranscribed.
	Status string
}

// callerMessage returns what the caller does at the next <Record>: the
// next of Caller.Messages, or silence when none is left.
func (c *call) callerMessage() fake.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.messages >= len(c.in.Caller.Messages) {
		c.messages++
		return fake.Message{}
	}
	m := c.in.Caller.Messages[c.messages]
	c.messages++
	return m
}

// newRecording returns the SID and URL of the call's next recording.
func (c *call) newRecording() (sid, u string) {
	c.mu.Lock()
	c.recordingN++
	n := c.recordingN
	c.mu.Unlock()
	sid = c.e.sid("RE", c.sid, "recording", strconv.Itoa(n))
	return sid, recordingBase + c.account + "/Recordings/" + sid
}

// The ways a <Record> ends, as record.end's Reason gives them.
const (
	endKey       = "finishOnKey"
	endTimeout   = "timeout"
	endMaxLength = "maxLength"
	endHangup    = "hangup"
)

// span is a stretch of the caller's speech, from the start of the
// recording.
type span struct{ from, to time.Duration }

// cue is something the caller does at an instant of a recording: starts
// talking (for d), presses key, or hangs up.
type cue struct {
	at   time.Duration
	kind fake.StepKind
	d    time.Duration
	key  string
}

// recordPlan is how one <Record> goes for the caller's message, all from
// the start of the recording: when and why it ends, the caller's speech
// and what the caller does before the end.
type recordPlan struct {
	end    time.Duration
	reason string
	key    string // the finishing key, for endKey
	speech []span
	cues   []cue
}

// planRecord plays msg against a <Record>'s timeout (of silence),
// maxLength and finishOnKey. The recording ends at the first of: a key of
// finishOnKey, the caller hanging up, timeout of unbroken silence (from
// the start, or from the end of the last speech), maxLength. At one
// instant a key or a hang-up comes first, then maxLength, then the
// timeout. After its steps the caller is silent.
func planRecord(msg fake.Message, timeout, maxLength time.Duration, finishOnKey string) recordPlan {
	var p recordPlan
	t, quiet := time.Duration(0), time.Duration(0) // now, and silent since
	// silence runs the caller's silence up to until, and reports whether
	// the recording ended during it.
	silence := func(until time.Duration, inclusive bool) bool {
		limit := quiet + timeout
		switch {
		case maxLength <= limit && (maxLength < until || inclusive && maxLength == until):
			p.end, p.reason = maxLength, endMaxLength
			return true
		case limit < until || inclusive && limit == until:
			p.end, p.reason = limit, endTimeout
			return true
		}
		t = until
		return false
	}
	for _, s := range msg.Steps {
		switch s.Kind {
		case fake.Talk:
			if maxLength <= t {
				p.end, p.reason = maxLength, endMaxLength
				return p
			}
			p.cues = append(p.cues, cue{at: t, kind: fake.Talk, d: s.D})
			if maxLength < t+s.D {
				p.speech = append(p.speech, span{t, maxLength})
				p.end, p.reason = maxLength, endMaxLength
				return p
			}
			if s.D > 0 {
				p.speech = append(p.speech, span{t, t + s.D})
			}
			t += s.D
			quiet = t
		case fake.Silence:
			if silence(t+s.D, false) {
				return p
			}
		case fake.Key:
			if silence(t+s.D, false) {
				return p
			}
			p.cues = append(p.cues, cue{at: t, kind: fake.Key, key: s.Key})
			if finishOnKey != "" && strings.Contains(finishOnKey, s.Key) {
				p.end, p.reason, p.key = t, endKey, s.Key
				return p
			}
		case fake.HangUp:
			if silence(t+s.D, false) {
				return p
			}
			p.cues = append(p.cues, cue{at: t, kind: fake.HangUp})
			p.end, p.reason = t, endHangup
			return p
		}
	}
	silence(LongestWait+maxLength+timeout, true) // silent to the end
	return p
}

// length is the recording's duration when it ended at end: all of it, or
// with trim, from the first speech to the last; and whether the caller
// said anything in it.
func (p *recordPlan) length(end time.Duration, trim bool) (time.Duration, bool) {
	var first, last time.Duration
	spoke := false
	for _, s := range p.speech {
		if s.from >= end {
			break
		}
		if !spoke {
			first = s.from
		}
		spoke = true
		last = min(s.to, end)
	}
	if !trim {
		return end, spoke
	}
	if !spoke {
		return 0, false
	}
	return last - first, true
}

// record runs a <Record>: the beep, the recording as the caller's next
// message plays it, the recording status callbacks, then the action. It
// returns the action's document, or false for the next verb to run when
// the recording is empty (Twilio requests no action for it).
func (c *call) record(ctx context.Context, v *twiml.Record, doc *document) (*document, bool) {
	msg := c.callerMessage()
	sid, recURL := c.newRecording()
	if v.PlayBeep {
		c.emit(KindBeep, "", a("Duration", seconds(BeepTime)))
		c.s.Sleep(ctx, BeepTime) // a hang-up during the beep records nothing
	}
	startAt := c.now()
	start := c.s.Now()
	cb := recordingCallback{url: v.RecordingStatusCallback, method: v.RecordingStatusCallbackMethod, events: v.RecordingStatusCallbackEvent,
		base: doc.url, sid: sid, recURL: recURL, source: "RecordVerb", channels: 1, start: start}
	if ctx.Err() == nil { // not for a caller gone during the beep
		c.emit(KindRecordStart, "", a("RecordingSid", sid), a("Timeout", v.Timeout), a("FinishOnKey", v.FinishOnKey),
			a("MaxLength", v.MaxLength), a("Trim", v.Trim))
		c.recordingStatus(&cb, "in-progress", 0, 0)
	}

	p := planRecord(msg, twimlSeconds(v.Timeout), twimlSeconds(v.MaxLength), v.FinishOnKey)
	end, reason, key := p.end, p.reason, p.key
	if ctx.Err() != nil {
		end, reason = 0, endHangup
	}
	for _, q := range p.cues {
		if reason == endHangup && q.at > end {
			break
		}
		if err := c.s.SleepUntil(ctx, start.Add(q.at)); err != nil {
			end, reason = c.s.Now().Sub(start), endHangup
			break
		}
		switch q.kind {
		case fake.Talk:
			c.emit(KindCallerTalk, "", a("Duration", seconds(q.d)))
		case fake.Key:
			c.emit(KindPress, "", a("Keys", q.key))
		case fake.HangUp:
			c.emit(KindCallerHangup, "")
			c.callCtx.end(errCallerHangup)
		}
	}
	if reason != endHangup {
		if err := c.s.SleepUntil(ctx, start.Add(end)); err != nil {
			end, reason = c.s.Now().Sub(start), endHangup
		}
	}
	if c.life.Err() != nil {
		return nil, false // the run was cancelled: nothing more happens
	}
	dur, spoke := p.length(end, v.Trim != "do-not-trim")
	secs := wholeSeconds(dur)
	digits := key
	if reason == endHangup {
		digits = "hangup"
	}
	attrs := []Attr{a("RecordingSid", sid), a("RecordingDuration", secs), a("Reason", reason)}
	if digits != "" {
		attrs = append(attrs, a("Digits", digits))
	}
	if !spoke || secs == 0 {
		// Empty: Twilio keeps no recording and requests no action.
		code := 16101 // too short
		if !spoke {
			code = 16102 // silent
		}
		c.emit(KindRecordEnd, "", append(attrs, a("Result", "empty"), a("ErrorCode", code))...)
		c.recordingStatus(&cb, "absent", 0, code)
		return nil, ctx.Err() == nil
	}
	c.emit(KindRecordEnd, "", attrs...)
	rec := Recording{SID: sid, URL: recURL, CallSID: c.sid, Source: "RecordVerb", Start: startAt, Duration: dur, Channels: 1, Digits: digits}
	if v.Transcribe {
		rec.Transcription = c.transcription(sid, msg.Transcript, dur)
	}
	c.mu.Lock()
	c.recordings = append(c.recordings, rec)
	c.mu.Unlock()
	c.recordingStatus(&cb, "completed", dur, 0)
	if v.Transcribe && v.TranscribeCallback != "" {
		c.transcribeLater(v.TranscribeCallback, doc.url, rec)
	}

	action := v.Action
	if action == "" {
		action = doc.url
	}
	extra := []param{{"RecordingUrl", recURL}, {"RecordingSid", sid}, {"RecordingDuration", strconv.Itoa(secs)}}
	if digits != "" {
		extra = append(extra, param{"Digits", digits})
	}
	if reason == endHangup || ctx.Err() != nil {
		// As after a Dial the caller left: the action is still requested,
		// with CallStatus=completed, and what it returns never runs.
		if c.life.Err() == nil {
			extra = append(extra, param{"CallStatus", "completed"})
			c.document(c.life, nil, action, v.Method, doc.url, extra, false)
		}
		return nil, false
	}
	return c.document(ctx, nil, action, v.Method, doc.url, extra, false), false
}

// transcription makes the transcription of a recording of length dur.
func (c *call) transcription(recSID, text string, dur time.Duration) *Transcription {
	sid := c.e.sid("TR", recSID, "transcription")
	t := &Transcription{SID: sid, URL: recordingBase + c.account + "/Transcriptions/" + sid, Text: text, Status: "completed"}
	if dur > MaxTranscribed {
		t.Text, t.Status = "", "failed"
	}
	return t
}

// transcribeLater requests the transcribeCallback TranscriptionDelay after
// now, in a goroutine of its own, on the call's life context: the request
// is made even after the call has ended, and run waits for it.
func (c *call) transcribeLater(raw, base string, rec Recording) {
	done := fake.NewQueue[struct{}](c.s, "transcription")
	c.mu.Lock()
	c.pending = append(c.pending, done)
	c.mu.Unlock()
	due := c.s.Now().Add(TranscriptionDelay)
	c.s.Go("transcription", func() {
		defer done.Send(struct{}{})
		if c.s.SleepUntil(c.life, due) != nil {
			return
		}
		t := rec.Transcription
		abs, err := c.resolve(base, raw)
		if err != nil {
			c.diagnostic("", 11100, "warning", "invalid transcribeCallback URL: "+err.Error())
			return
		}
		var params url.Values
		if c.needParams("POST") {
			params = c.params(nil)
			params.Set("RecordingSid", rec.SID)
			params.Set("RecordingUrl", rec.URL)
			params.Set("TranscriptionSid", t.SID)
			params.Set("TranscriptionStatus", t.Status)
			params.Set("TranscriptionUrl", t.URL)
			if t.Status == "completed" {
				params.Set("TranscriptionText", t.Text)
			}
		}
		attrs := []Attr{a("Method", "POST"), a("URL", c.shortURL(abs)), a("TranscriptionSid", t.SID), a("TranscriptionStatus", t.Status)}
		if t.Status == "completed" {
			attrs = append(attrs, a("TranscriptionText", t.Text))
		}
		c.emit(KindCallback, "", attrs...)
		c.notify(abs, "POST", params, "transcribeCallback")
	})
}

// waitPending waits for the callbacks still to come (transcriptions),
// which Twilio sends after the call, too.
func (c *call) waitPending() {
	for {
		c.mu.Lock()
		if len(c.pending) == 0 {
			c.mu.Unlock()
			return
		}
		q := c.pending[0]
		c.pending = c.pending[1:]
		c.mu.Unlock()
		q.Recv(c.life, time.Time{})
	}
}

// recordingCallback is what the recordingStatusCallback of one recording
// needs.
type recordingCallback struct {
	url, method string
	events      []string
	base        string
	sid, recURL string
	source      string
	channels    int
	start       time.Time
}

// recordingStatus requests the recordingStatusCallback for status
// (in-progress, completed or absent) if its events ask for it, on the
// call's life context. dur is the recording's length; code the ErrorCode
// of an absent recording.
func (c *call) recordingStatus(cb *recordingCallback, status string, dur time.Duration, code int) {
	if cb.url == "" || c.life.Err() != nil {
		return
	}
	abs, method, ok := c.callbackTarget("", "recordingStatusCallback", cb.base, cb.url, cb.method, cb.events, status)
	if !ok {
		return
	}
	var params url.Values
	if c.needParams(method) {
		params = url.Values{}
		params.Set("AccountSid", c.account)
		params.Set("CallSid", c.sid)
		params.Set("RecordingSid", cb.sid)
		params.Set("RecordingUrl", cb.recURL)
		params.Set("RecordingStatus", status)
		if status != "in-progress" {
			params.Set("RecordingDuration", strconv.Itoa(wholeSeconds(dur)))
		}
		params.Set("RecordingChannels", strconv.Itoa(cb.channels))
		params.Set("RecordingSource", cb.source)
		params.Set("RecordingStartTime", cb.start.Format(time.RFC1123Z))
		if code != 0 {
			params.Set("ErrorCode", strconv.Itoa(code))
		}
	}
	attrs := []Attr{a("Method", method), a("URL", c.shortURL(abs)), a("RecordingSid", cb.sid), a("RecordingStatus", status)}
	if code != 0 {
		attrs = append(attrs, a("ErrorCode", code))
	}
	c.emit(KindCallback, "", attrs...)
	c.notify(abs, method, params, "recording status callback")
}

// notify sends a callback of the caller's call on its life context; a
// failure is a warning and changes nothing.
func (c *call) notify(abs, method string, params url.Values, what string) {
	err := c.fetch.Notify(c.life, webhook.Request{Method: method, URL: abs, Params: params, Jar: c.sid, Time: c.s.Now()})
	if err != nil && c.life.Err() == nil {
		code := 11200
		var we *webhook.Error
		if errors.As(err, &we) {
			code = we.Code
		}
		c.diagnostic("", code, "warning", what+" failed: "+err.Error())
	}
}

// dialRecording is the recording of a <Dial record="...">.
type dialRecording struct {
	cb      recordingCallback
	started bool
	startAt time.Duration
}

// newDialRecording returns the recording d asks for, nil if none, and
// starts it at once for record-from-ringing.
func (c *call) newDialRecording(d *twiml.Dial, base string) *dialRecording {
	var ringing bool
	switch d.Record {
	case "record-from-answer", "record-from-answer-dual", "true":
	case "record-from-ringing", "record-from-ringing-dual":
		ringing = true
	default:
		return nil
	}
	channels := 1
	if strings.HasSuffix(d.Record, "-dual") {
		channels = 2
	}
	r := &dialRecording{cb: recordingCallback{url: d.RecordingStatusCallback, method: d.RecordingStatusCallbackMethod,
		events: d.RecordingStatusCallbackEvent, base: base, source: "DialVerb", channels: channels}}
	if ringing {
		c.startDialRecording(r)
	}
	return r
}

// startDialRecording starts a Dial's recording now (the bridge, or the
// Dial's start), once.
func (c *call) startDialRecording(r *dialRecording) {
	if r == nil || r.started {
		return
	}
	r.started = true
	r.cb.sid, r.cb.recURL = c.newRecording()
	r.startAt, r.cb.start = c.now(), c.s.Now()
	c.emit(KindDialRecordStart, "", a("RecordingSid", r.cb.sid), a("Channels", r.cb.channels))
	c.recordingStatus(&r.cb, "in-progress", 0, 0)
}

// endDialRecording ends a Dial's recording at the Dial's end and returns
// the parameters it adds to the Dial's action: none if nothing was
// recorded (record-from-answer without a bridge).
func (c *call) endDialRecording(r *dialRecording) []param {
	if r == nil || !r.started {
		return nil
	}
	dur := c.now() - r.startAt
	secs := wholeSeconds(dur)
	c.emit(KindDialRecordEnd, "", a("RecordingSid", r.cb.sid), a("RecordingDuration", secs))
	c.mu.Lock()
	c.recordings = append(c.recordings, Recording{SID: r.cb.sid, URL: r.cb.recURL, CallSID: c.sid, Source: "DialVerb", Start: r.startAt, Duration: dur, Channels: r.cb.channels})
	c.mu.Unlock()
	c.recordingStatus(&r.cb, "completed", dur, 0)
	return []param{{"RecordingUrl", r.cb.recURL}, {"RecordingSid", r.cb.sid}, {"RecordingDuration", strconv.Itoa(secs)}}
}
