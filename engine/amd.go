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

// MachineDetection is answering-machine detection as a <Number> or <Sip>
// asks for it with machineDetection and its tuning attributes (and as a
// call made by the REST API asks with MachineDetection and the same
// parameters): docs/twilio.md, “Answering-machine detection”. The zero
// value asks for none.
type MachineDetection struct {
	// Mode is "Enable" (the result as soon as the party is identified),
	// "DetectMessageEnd" (for a machine, once its message ends), or ""
	// for no detection.
	Mode string
	// Timeout is machineDetectionTimeout: how long detection tries before
	// it gives up with AnsweredBy=unknown.
	Timeout time.Duration
	// SpeechThreshold is machineDetectionSpeechThreshold: speech shorter
	// than this is a person, longer a machine.
	SpeechThreshold time.Duration
	// SpeechEndThreshold is machineDetectionSpeechEndThreshold: the
	// silence after speech that ends it.
	SpeechEndThreshold time.Duration
	// SilenceTimeout is machineDetectionSilenceTimeout: the silence at the
	// start after which the result is unknown.
	SilenceTimeout time.Duration
}

// MachineDetectionOf returns the detection a <Number> asks for, with
// Twilio's defaults for the attributes it leaves out (twiml fills them in).
func MachineDetectionOf(n *twiml.Number) MachineDetection {
	return machineDetection(n.MachineDetection, n.MachineDetectionTimeout, n.MachineDetectionSpeechThreshold,
		n.MachineDetectionSpeechEndThreshold, n.MachineDetectionSilenceTimeout)
}

func machineDetection(mode string, timeout, speech, speechEnd, silence int) MachineDetection {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	return MachineDetection{Mode: mode, Timeout: twimlSeconds(timeout), SpeechThreshold: ms(speech),
		SpeechEndThreshold: ms(speechEnd), SilenceTimeout: ms(silence)}
}

// Detection is what answering-machine detection concluded about a party.
type Detection struct {
	// AnsweredBy is "human", "machine_start", "machine_end_beep",
	// "machine_end_silence", "machine_end_other" or "unknown".
	AnsweredBy string
	// Duration is MachineDetectionDuration: the time from the answer to
	// the result.
	Duration time.Duration
}

// Machine reports whether the detection found a machine.
func (d Detection) Machine() bool { return strings.HasPrefix(d.AnsweredBy, "machine_") }

// Detect returns what detection concludes about the party p once it has
// picked up, from its greeting (fake.Party.GreetingTime): dialsim's model
// of Twilio's detector, docs/twilio.md, “Answering-machine detection”.
//   - A silent party: unknown after SilenceTimeout (or Timeout, if
//     sooner).
//   - A greeting shorter than SpeechThreshold, then silence: human, once
//     SpeechEndThreshold of silence has followed it. A voicemail with a
//     short greeting is taken for a person, as Twilio's detector can.
//   - A longer greeting: a machine. With Enable, machine_start at
//     SpeechThreshold. With DetectMessageEnd, at the end of the message:
//     machine_end_beep at the voicemail's beep, which ends its greeting;
//     machine_end_silence SpeechEndThreshold after a person's long
//     greeting; machine_end_other at Timeout when the message has not
//     ended by then.
//   - Nothing decided by Timeout: unknown at Timeout.
func (m MachineDetection) Detect(p fake.Party) Detection {
	unknown := Detection{AnsweredBy: "unknown", Duration: m.Timeout}
	g := p.GreetingTime()
	at := func(answer string, d time.Duration) Detection {
		if d > m.Timeout {
			return unknown
		}
		return Detection{AnsweredBy: answer, Duration: d}
	}
	switch {
	case g == 0:
		return at("unknown", m.SilenceTimeout)
	case g < m.SpeechThreshold:
		return at("human", g+m.SpeechEndThreshold)
	case m.Mode != "DetectMessageEnd":
		return at("machine_start", m.SpeechThreshold)
	case m.SpeechThreshold > m.Timeout:
		return unknown
	}
	end := Detection{AnsweredBy: "machine_end_beep", Duration: g}
	if !p.Voicemail {
		end = Detection{AnsweredBy: "machine_end_silence", Duration: g + m.SpeechEndThreshold}
	}
	if end.Duration > m.Timeout {
		return Detection{AnsweredBy: "machine_end_other", Duration: m.Timeout}
	}
	return end
}

// detectMachine runs the leg's answering-machine detection once the
// party has picked up, in ctx (the party's: it ends if the party hangs
// up). Without an amdStatusCallback it is synchronous: it waits for the
// result, which the leg's url request then carries as AnsweredBy; with
// one, it returns at once and a goroutine of its own sends the result to
// the callback. It returns ctx's error if the wait ended early.
func (l *leg) detectMachine(ctx context.Context) error {
	c := l.c
	na := &l.plan.na
	if na.sendDigits != "" {
		c.emit(KindNote, l.addr, a("message", "machineDetection is ignored with sendDigits, as Twilio ignores MachineDetection with SendDigits"))
		return nil
	}
	d := na.amd.Detect(l.party)
	if na.amdCallback == "" {
		if err := c.s.Sleep(ctx, d.Duration); err != nil {
			return err
		}
		l.detected(d)
		return nil
	}
	c.s.Go("amd "+l.addr, func() {
		if c.s.Sleep(ctx, d.Duration) == nil {
			l.detected(d)
			l.amdCallback(d)
		}
	})
	return nil
}

// detected records the detection's result on the leg and in the
// transcript.
func (l *leg) detected(d Detection) {
	c := l.c
	c.mu.Lock()
	l.answeredBy = d.AnsweredBy
	c.mu.Unlock()
	c.emit(KindLegAMD, l.addr, a("AnsweredBy", d.AnsweredBy), a("MachineDetectionDuration", int(d.Duration/time.Millisecond)))
}

// amdParams returns the parameters that the leg's url request adds: its
// AnsweredBy, once synchronous detection has concluded.
func (l *leg) amdParams() []param {
	if l.plan.na.amd.Mode == "" || l.plan.na.amdCallback != "" {
		return nil
	}
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	if l.answeredBy == "" {
		return nil
	}
	return []param{{"AnsweredBy", l.answeredBy}}
}

// machine reports whether detection found the leg's party a machine.
func (l *leg) machine() bool {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	return strings.HasPrefix(l.answeredBy, "machine_")
}

// amdCallback sends the asynchronous detection result to the noun's
// amdStatusCallback, with AnsweredBy and MachineDetectionDuration (in
// milliseconds). A failure is reported and changes nothing in the call.
func (l *leg) amdCallback(d Detection) {
	c := l.c
	na := &l.plan.na
	if c.life.Err() != nil {
		return
	}
	abs, err := c.resolve(l.base, na.amdCallback)
	if err != nil {
		c.diagnostic(l.addr, 11100, "warning", "invalid amdStatusCallback URL: "+err.Error())
		return
	}
	method := na.amdMethod
	if method == "" {
		method = "POST"
	}
	ms := strconv.Itoa(int(d.Duration / time.Millisecond))
	var params url.Values
	if c.needParams(method) {
		params = c.params(l)
		params.Set("AnsweredBy", d.AnsweredBy)
		params.Set("MachineDetectionDuration", ms)
	}
	c.emit(KindCallback, l.addr, a("Method", method), a("URL", c.shortURL(abs)), a("AnsweredBy", d.AnsweredBy),
		a("MachineDetectionDuration", int(d.Duration/time.Millisecond)))
	err = c.fetch.Notify(c.life, webhook.Request{Method: method, URL: abs, Params: params, Jar: l.sid, Time: c.s.Now()})
	if err != nil && c.life.Err() == nil {
		code := 11200
		var we *webhook.Error
		if errors.As(err, &we) {
			code = we.Code
		}
		c.diagnostic(l.addr, code, "warning", "amdStatusCallback failed: "+err.Error())
	}
}
