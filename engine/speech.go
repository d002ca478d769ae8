package engine

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/twiml"
)

// The transcript's events of speech input (the README lists every kind).
const (
	KindSpeak         = "speak"          // Text, Duration, Confidence, Ignored: the caller (or a party) speaks
	KindSpeechPartial = "speech.partial" // Method, URL, SequenceNumber, StableSpeechResult, UnstableSpeechResult
)

// AutoSpeechTimeout is the silence after speech that ends a Gather with
// speechTimeout="auto". Twilio's "auto" ends recognition at a natural
// pause and documents no length; dialsim takes one second.
const AutoSpeechTimeout = time.Second

// takesSpeech reports whether the Gather listens for speech.
func takesSpeech(g *twiml.Gather) bool { return slices.Contains(g.Input, "speech") }

// takesKeys reports whether the Gather listens for keys.
func takesKeys(g *twiml.Gather) bool { return slices.Contains(g.Input, "dtmf") }

// speechTimeout is the silence after speech that ends recognition: the
// speechTimeout attribute's seconds, AutoSpeechTimeout for "auto", and
// without the attribute the Gather's timeout.
func speechTimeout(g *twiml.Gather) time.Duration {
	switch g.SpeechTimeout {
	case "auto":
		return AutoSpeechTimeout
	case "":
		return twimlSeconds(g.Timeout)
	}
	n, _ := strconv.Atoi(g.SpeechTimeout) // twiml.Parse accepted only a number
	return twimlSeconds(n)
}

// emitSpeechGather records the start of a Gather that takes speech, and a
// note naming the recognition settings it gives that change nothing in a
// simulation, where the scenario's words are what is recognized.
func (r *runner) emitSpeechGather(g *twiml.Gather) {
	c := r.c
	st := g.SpeechTimeout
	if st == "" {
		st = strconv.Itoa(g.Timeout)
	}
	c.emit(KindGather, r.legName(), a("Timeout", g.Timeout), a("NumDigits", g.NumDigits), a("FinishOnKey", g.FinishOnKey),
		a("Input", strings.Join(g.Input, " ")), a("SpeechTimeout", st))
	var inert []string
	if g.Language != "en-US" {
		inert = append(inert, "language")
	}
	if g.Hints != "" {
		inert = append(inert, "hints")
	}
	if g.SpeechModel != "" {
		inert = append(inert, "speechModel")
	}
	if g.Enhanced {
		inert = append(inert, "enhanced")
	}
	if !g.ProfanityFilter {
		inert = append(inert, "profanityFilter")
	}
	if len(inert) > 0 {
		c.emit(KindNote, r.legName(), a("message", "Gather "+strings.Join(inert, ", ")+": accepted; not simulated (the scenario's words are the result)"))
	}
}

// gatherSpeech runs a Gather that takes speech, or one that takes only
// keys but is given speech, from listen, with the input p if pressing
// (README, "Speech"). Keys in a Gather that takes them go the way of
// gatherKeys. An input the Gather does not hear (keys in a speech-only
// Gather, speech in a keys-only one, speech that starts during the
// prompts of a Gather with bargeIn="false") is recorded as ignored and
// ends nothing: the Gather waits out its timeout.
func (r *runner) gatherSpeech(ctx context.Context, g *twiml.Gather, doc *document, listen time.Time, p fake.Press, pressing bool) (*document, bool) {
	c := r.c
	if pressing && p.Speech == "" && takesKeys(g) {
		return r.gatherKeys(ctx, g, doc, listen, p, pressing)
	}
	at := listen.Add(p.After)
	heard := pressing && p.Speech != "" && takesSpeech(g)
	pending := pressing // the input has not happened yet
	// ignore records the input at its moment, d from now at the latest:
	// it sleeps to it, or for d if it comes later.
	ignore := func(d time.Duration) error {
		if !pending || at.After(c.s.Now().Add(d)) {
			return c.s.Sleep(ctx, d)
		}
		end := c.s.Now().Add(d)
		if err := c.s.Sleep(ctx, at.Sub(c.s.Now())); err != nil {
			return err
		}
		pending = false
		r.emitInput(p, true)
		return c.s.Sleep(ctx, end.Sub(c.s.Now()))
	}
	// The prompts play while the Gather listens; speech stops them
	// (bargeIn), and with bargeIn="false" speech during them is not
	// heard.
	started := false
	for _, v := range g.Prompts {
		d := promptTime(v)
		r.emitPrompt(v)
		if heard && pending && !at.After(c.s.Now().Add(d)) {
			if g.BargeIn {
				if err := c.s.Sleep(ctx, at.Sub(c.s.Now())); err != nil {
					return nil, true
				}
				started = true
				break
			}
			heard = false
		}
		if err := ignore(d); err != nil {
			return nil, true
		}
	}
	if !started {
		// timeout counts from the end of the prompts, for no speech at
		// all; speech that starts at its end is too late.
		deadline := c.s.Now().Add(twimlSeconds(g.Timeout))
		if heard && pending && at.Before(deadline) {
			if err := c.s.Sleep(ctx, at.Sub(c.s.Now())); err != nil {
				return nil, true
			}
			started = true
		} else {
			if pending && !at.Before(deadline) {
				pending = false // lost, as a late press is
			}
			if err := ignore(deadline.Sub(c.s.Now())); err != nil {
				return nil, true
			}
		}
	}
	if !started {
		return r.noSpeech(ctx, g, doc)
	}
	text, err := r.hear(ctx, g, doc, p)
	if err != nil {
		return nil, true
	}
	conf := p.SpeechConfidence()
	confText := strconv.FormatFloat(conf, 'f', -1, 64)
	c.emit(KindGatherEnd, r.legName(), a("SpeechResult", text), a("Confidence", conf))
	extra := []param{{"SpeechResult", text}, {"Confidence", confText}}
	return c.document(ctx, r.leg, gatherAction(g, doc), g.Method, doc.url, extra, r.leg != nil), true
}

// gatherAction is the URL a Gather sends its input to.
func gatherAction(g *twiml.Gather, doc *document) string {
	if g.Action == "" {
		return doc.url
	}
	return g.Action
}

// emitInput records speech being said, or keys pressed, that the Gather
// may not hear.
func (r *runner) emitInput(p fake.Press, ignored bool) {
	c := r.c
	if p.Speech == "" {
		c.emit(KindPress, r.legName(), a("Keys", p.Keys), a("Ignored", ignored))
		return
	}
	attrs := []Attr{a("Text", p.Speech), a("Duration", seconds(time.Duration(words(p.Speech))*SayWordTime)), a("Confidence", p.SpeechConfidence())}
	if ignored {
		attrs = append(attrs, a("Ignored", true))
	}
	c.emit(KindSpeak, r.legName(), attrs...)
}

// hear plays speech p from now, as a Say of its words lasts, sending a
// partial result at the end of each word, then waits speechTimeout of
// silence. Speech longer than maxSpeechTime is cut there: the words
// finished by then are the result, at once. It returns the words heard.
func (r *runner) hear(ctx context.Context, g *twiml.Gather, doc *document, p fake.Press) (string, error) {
	c := r.c
	r.emitInput(p, false)
	all := strings.Fields(p.Speech)
	limit := twimlSeconds(g.MaxSpeechTime)
	n := len(all)
	cut := time.Duration(n)*SayWordTime > limit
	if cut {
		n = int(limit / SayWordTime)
	}
	for k := 1; k <= n; k++ {
		if err := c.s.Sleep(ctx, SayWordTime); err != nil {
			return "", err
		}
		if g.PartialResultCallback != "" {
			r.partialResult(ctx, g, doc, strings.Join(all[:k-1], " "), all[k-1], k-1)
			if err := ctx.Err(); err != nil {
				return "", err
			}
		}
	}
	wait := speechTimeout(g)
	if cut {
		wait = limit - time.Duration(n)*SayWordTime
	}
	if err := c.s.Sleep(ctx, wait); err != nil {
		return "", err
	}
	return strings.Join(all[:n], " "), nil
}

// partialResult sends the partialResultCallback request of the k-th word
// (SequenceNumber seq, from 0): the words before it are stable, the word
// itself unstable. Its answer is not read; a failure is a warning.
func (r *runner) partialResult(ctx context.Context, g *twiml.Gather, doc *document, stable, unstable string, seq int) {
	c := r.c
	abs, err := c.resolve(doc.url, g.PartialResultCallback)
	if err != nil {
		c.diagnostic(r.legName(), 11100, "warning", "invalid partialResultCallback URL: "+err.Error())
		return
	}
	method := g.PartialResultCallbackMethod
	var params url.Values
	if c.needParams(method) {
		params = c.params(r.leg)
		params.Set("StableSpeechResult", stable)
		params.Set("UnstableSpeechResult", unstable)
		params.Set("SequenceNumber", strconv.Itoa(seq))
		params.Set("Language", g.Language)
	}
	c.emit(KindSpeechPartial, r.legName(), a("Method", method), a("URL", c.shortURL(abs)), a("SequenceNumber", seq),
		a("StableSpeechResult", stable), a("UnstableSpeechResult", unstable))
	jar := c.sid
	if r.leg != nil {
		jar = r.leg.sid
	}
	err = c.fetch.Notify(ctx, webhook.Request{Method: method, URL: abs, Params: params, Jar: jar, Time: c.s.Now()})
	if err != nil && ctx.Err() == nil {
		code := 11200
		var we *webhook.Error
		if errors.As(err, &we) {
			code = we.Code
		}
		c.diagnostic(r.legName(), code, "warning", "partialResultCallback failed: "+err.Error())
	}
}

// noSpeech ends a Gather that heard nothing: the next verb runs, or with
// actionOnEmptyResult the action is requested without a result.
// A keys-only Gather that ignored speech ends as one that heard nothing.
func (r *runner) noSpeech(ctx context.Context, g *twiml.Gather, doc *document) (*document, bool) {
	c := r.c
	if !g.ActionOnEmptyResult {
		c.emit(KindGatherEnd, r.legName(), a("Result", "timeout"))
		return nil, false
	}
	var extra []param
	if takesSpeech(g) {
		c.emit(KindGatherEnd, r.legName(), a("Result", "timeout"))
	} else {
		c.emit(KindGatherEnd, r.legName(), a("Digits", ""), a("FinishedOnKey", ""))
		extra = []param{{"Digits", ""}, {"FinishedOnKey", ""}}
	}
	return c.document(ctx, r.leg, gatherAction(g, doc), g.Method, doc.url, extra, r.leg != nil), true
}
