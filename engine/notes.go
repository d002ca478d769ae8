package engine

import (
	"fmt"

	"github.com/dialsim/dialsim/twiml"
)

// notesOf returns the notes of a document's attributes that dialsim parses
// but does not simulate, in document order, each naming file and line:
// the simulation stops short there, though the call's flow is the same
// (README, "Behaviour", "Not simulated"). Attributes whose only effect
// is on sound (a Say's voice and language) leave no note.
func notesOf(r *twiml.Response, file string) []string {
	if r == nil {
		return nil
	}
	var notes []string
	note := func(line int, element, attr, value, what string) {
		if attr == "" { // the element itself
			notes = append(notes, fmt.Sprintf("%s:%d: <%s> is not simulated: %s", file, line, element, what))
			return
		}
		notes = append(notes, fmt.Sprintf("%s:%d: <%s %s=%q> is not simulated: %s", file, line, element, attr, value, what))
	}
	for _, v := range r.Verbs {
		switch v := v.(type) {
		case *twiml.Dial:
			dialNotes(v, note)
		case *twiml.Hangup:
			if len(v.Parameters) > 0 {
				note(v.Line, "Hangup><Parameter", "name", v.Parameters[0].Name, "no Voice SDK client receives its parameters")
			}
		case *twiml.Reject:
			if len(v.Parameters) > 0 {
				note(v.Line, "Reject><Parameter", "name", v.Parameters[0].Name, "no Voice SDK client receives its parameters")
			}
		case *twiml.Enqueue:
			enqueueNotes(v, note)
		}
	}
	return notes
}

// dialNotes notes the attributes of a Dial and its nouns that are not
// simulated.
func dialNotes(d *twiml.Dial, note func(line int, element, attr, value, what string)) {
	const el = "Dial"
	// record, trim and the recording status callback are simulated
	// (record.go); which audio a recording holds is not.
	if d.RecordingTrack != "" && d.RecordingTrack != "both" {
		note(d.Line, el, "recordingTrack", d.RecordingTrack, "a recording holds no audio, so its track makes no difference")
	}
	if d.RecordingConfigurationID != "" {
		note(d.Line, el, "recordingConfigurationId", d.RecordingConfigurationID, "no recording configuration is applied")
	}
	if d.ReferURL != "" {
		note(d.Line, el, "referUrl", d.ReferURL, "no SIP REFER is simulated")
	}
	if d.RingTone != "" {
		note(d.Line, el, "ringTone", d.RingTone, "the caller's ringback is not simulated")
	}
	if d.CallReason != "" {
		note(d.Line, el, "callReason", d.CallReason, "the called parties see no branded call")
	}
	if d.Events != "" {
		note(d.Line, el, "events", d.Events, "no call-progress events are sent for it")
	}
	for _, n := range d.Nouns {
		switch n := n.(type) {
		case *twiml.Number:
			if n.BYOC != "" {
				note(n.Line, "Number", "byoc", n.BYOC, "the leg is placed as any other")
			}
		case *twiml.Sip:
			if n.Username != "" {
				note(n.Line, "Sip", "username", n.Username, "no SIP authentication is simulated")
			}
		case *twiml.Conference:
			conferenceNotes(n, note)
		case *twiml.Queue:
			if n.ReservationSid != "" {
				note(n.Line, "Queue", "reservationSid", n.ReservationSid, "no TaskRouter reservation is accepted")
			}
			if n.PostWorkActivitySid != "" {
				note(n.Line, "Queue", "postWorkActivitySid", n.PostWorkActivitySid, "no TaskRouter worker changes activity")
			}
		case *twiml.Client:
			if n.ClientNotificationURL != "" {
				note(n.Line, "Client", "clientNotificationUrl", n.ClientNotificationURL, "no call notification is sent")
			}
			if len(n.Parameters) > 0 {
				note(n.Line, "Client><Parameter", "name", n.Parameters[0].Name, "no Voice SDK client receives its parameters")
			}
		}
	}
}

// noteUnsimulated records doc's notes of attributes not simulated, once a
// call for each document URL.
func (c *call) noteUnsimulated(leg string, doc *document) {
	if len(doc.notes) == 0 {
		return
	}
	c.mu.Lock()
	seen := c.noted[doc.url]
	if !seen {
		if c.noted == nil {
			c.noted = map[string]bool{}
		}
		c.noted[doc.url] = true
	}
	c.mu.Unlock()
	if seen {
		return
	}
	for _, n := range doc.notes {
		c.emit(KindNote, leg, a("message", n))
	}
}

// conferenceNotes notes the attributes of a Conference noun that are not
// simulated. Its join and leave, muting, beeps, start and end, its wait
// music, maxParticipants and its status callback are (conference.go).
func conferenceNotes(n *twiml.Conference, note func(line int, element, attr, value, what string)) {
	const el = "Conference"
	if n.Record != "" && n.Record != "do-not-record" {
		note(n.Line, el, "record", n.Record, "the conference is not recorded")
	}
	// The parser fills in Twilio's defaults (trim-silence, large, the
	// callback's POST and completed): those leave no note, and the
	// recording status callback's method and events are noted with it.
	if n.Trim != "" && n.Trim != "trim-silence" {
		note(n.Line, el, "trim", n.Trim, "no conference recording is made to trim")
	}
	if n.RecordingStatusCallback != "" {
		note(n.Line, el, "recordingStatusCallback", n.RecordingStatusCallback, "no conference recording is made, so it is never requested")
	}
	if n.Coach != "" {
		note(n.Line, el, "coach", n.Coach, "the participant joins as any other, heard by everyone")
	}
	if n.Region != "" {
		note(n.Line, el, "region", n.Region, "the conference has no region")
	}
	if n.JitterBufferSize != "" && n.JitterBufferSize != "large" {
		note(n.Line, el, "jitterBufferSize", n.JitterBufferSize, "no audio is mixed")
	}
	if n.ParticipantLabel != "" {
		note(n.Line, el, "participantLabel", n.ParticipantLabel, "the participant has no label")
	}
	if n.EventCallbackURL != "" {
		note(n.Line, el, "eventCallbackUrl", n.EventCallbackURL, "it is never requested (statusCallback is)")
	}
}

// enqueueNotes notes what of an Enqueue belongs to TaskRouter, which is
// not simulated: the call waits in the plain queue it names. An Enqueue
// that names no queue leaves no note: it is an error when it runs
// (queue.go).
func enqueueNotes(v *twiml.Enqueue, note func(line int, element, attr, value, what string)) {
	if v.Name == "" {
		return
	}
	if v.WorkflowSid != "" {
		note(v.Line, "Enqueue", "workflowSid", v.WorkflowSid, "no TaskRouter task is created; the call waits in a plain queue")
	}
	if v.Task != nil {
		note(v.Line, "Enqueue><Task", "", "", "no TaskRouter task is created; the call waits in a plain queue")
	}
}
