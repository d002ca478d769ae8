package engine

import (
	"fmt"
	"time"
)

// Event kinds of conference participants steered from outside.
const (
	KindConfMute = "conf.mute" // Muted: the participant was muted or unmuted
	KindConfHold = "conf.hold" // Hold: the participant was put on hold or taken off
)

// errConfAPI ends a conference from outside.
var errConfAPI = fmt.Errorf("%w via the API", errConfEnded)

// ParticipantUpdate are the parameters of a POST to a conference's
// Participant resource: nil leaves a setting as it is.
type ParticipantUpdate struct {
	Muted, Hold *bool
}

// EndConference ends the live conference named room at the instant at
// of the world (the POST to the Conference resource with
// Status=completed): every participant leaves it
// (ReasonConferenceEnded=conference-ended-via-api) and goes on after its
// Dial. A room with no live conference then is a 404 in the transcript.
func (w *World) EndConference(at time.Duration, room string) error {
	return w.schedule(apiOp{at: at, op: "end-conference", queue: room})
}

// UpdateParticipant mutes or unmutes, holds or unholds the call sid in
// its conference at the instant at of the world (the POST to the
// Participant resource). A call that is in no conference then is a 404 in
// the transcript.
func (w *World) UpdateParticipant(at time.Duration, sid string, u ParticipantUpdate) error {
	if u.Muted == nil && u.Hold == nil {
		return &APIError{400, 0, "Muted or Hold is required"}
	}
	return w.schedule(apiOp{at: at, op: "participant", sid: sid, part: u})
}

// confOp applies a conference request.
func (w *World) confOp(op apiOp) {
	res := &w.res
	res.mu.Lock()
	var f *conference
	var p *participant
	if op.op == "end-conference" {
		if g, ok := res.conferences[op.queue]; ok && !g.ended {
			f = g
		}
	} else {
	find:
		for _, g := range res.conferences {
			if g.ended {
				continue
			}
			for _, m := range g.members {
				if m.c.sid == op.sid {
					f, p = g, m
					break find
				}
			}
		}
	}
	res.mu.Unlock()
	if f == nil {
		what := "no live conference " + op.queue
		if op.op != "end-conference" {
			what = "call " + op.sid + " is in no conference"
		}
		w.apiEvent(op, nil, 404, 20404, what)
		return
	}
	if op.op == "end-conference" {
		w.apiEvent(op, nil, 200, 0, "")
		res.mu.Lock()
		f.ended = true
		members := append([]*participant(nil), f.members...)
		res.mu.Unlock()
		if len(members) > 0 {
			c := members[0].c
			c.emit(KindConfEnd, "", a("ConferenceSid", f.sid), a("ReasonConferenceEnded", "conference-ended-via-api"))
			if f.started {
				c.confCallback(f, "end", "conference-end", nil, []param{{"ReasonConferenceEnded", "conference-ended-via-api"}})
			}
		}
		for _, m := range members {
			m.in.end(errConfAPI)
		}
		return
	}
	c := p.c
	w.apiEvent(op, c.wc, 200, 0, "")
	c.setParticipant(res, f, p, &p.muted, op.part.Muted, KindConfMute, "Muted", "mute")
	c.setParticipant(res, f, p, &p.hold, op.part.Hold, KindConfHold, "Hold", "hold")
}

// setParticipant changes a participant's muted or hold flag to *to, if
// asked (to not nil) and different, and reports it: the event kind with
// the field named key, and the statusCallback event (mute or hold, as
// participant-mute or participant-unmute, ...).
// The flag is written under res.mu.
func (c *call) setParticipant(res *resources, f *conference, p *participant, flag *bool, to *bool, kind, key, event string) {
	if to == nil || *to == *flag {
		return
	}
	res.mu.Lock()
	*flag = *to
	res.mu.Unlock()
	c.emit(kind, "", a("ConferenceSid", f.sid), a(key, *to))
	name := "participant-un" + event
	if *to {
		name = "participant-" + event
	}
	c.confCallback(f, event, name, p, nil)
}
