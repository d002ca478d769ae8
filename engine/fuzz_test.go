package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/leakcheck"
)

// fuzzParties are the scripted parties of FuzzCall: one of each behaviour,
// under the addresses the scenario suite dials most. Any other address the
// fuzzed TwiML dials rings until it is cancelled.
var fuzzParties = engine.Parties{
	{Addr: "client:jenny", Outcome: fake.Answer, After: 3 * time.Second, Talk: 45 * time.Second},
	{Addr: "client:tommy", Outcome: fake.Busy},
	{Addr: "+18589876543", Outcome: fake.Answer, After: 8 * time.Second, Presses: []fake.Press{{Keys: "1", After: 2 * time.Second}}},
	{Addr: "client:vm", Outcome: fake.Answer, After: time.Second, Voicemail: true},
	{Addr: "+14155551212", Outcome: fake.Fail, After: 2 * time.Second},
	{Addr: "client:human", Outcome: fake.Answer, After: 6 * time.Second, Talk: 30 * time.Second, Presses: []fake.Press{{Keys: "1", After: 2 * time.Second}, {Keys: "42#", After: time.Second}, {Speech: "yes please", After: time.Second}}},
	{Addr: "+15550003333", Outcome: fake.Answer, After: 2 * time.Second, Hangup: 20 * time.Second},
	{Addr: "client:a", Outcome: fake.Reject, After: 4 * time.Second},
}

// fuzzDocs are the fixed documents next to the fuzzed ones, at the paths
// the scenario suite's documents request.
var fuzzDocs = map[string]string{
	"/after":    `<Response><Say>Goodbye</Say></Response>`,
	"/accept":   `<Response/>`,
	"/screened": `<Response/>`,
	"/decline":  `<Response><Hangup/></Response>`,
	"/menu":     `<Response><Gather numDigits="1" action="/voice"><Say>Again</Say></Gather><Redirect>/voice</Redirect></Response>`,
}

// fuzzCallSeeds are hand-made documents for FuzzCall: the verbs and
// attributes that take the engine down its less common paths.
var fuzzCallSeeds = []struct{ voice, whisper string }{
	{`<Response><Dial action="/after" timeout="5"><Client url="/whisper">vm</Client><Client url="/whisper">human</Client><Number url="/whisper" sendDigits="1w2W">+18589876543</Number></Dial></Response>`,
		`<Response><Gather numDigits="1" timeout="3" action="/screened"><Say>Press 1</Say></Gather><Hangup/></Response>`},
	{`<Response><Dial sequential="true" answerOnBridge="true" hangupOnStar="true" timeLimit="10"><Client>a</Client><Client>tommy</Client><Client>jenny</Client></Dial><Redirect>/voice</Redirect></Response>`, `<Response/>`},
	{`<Response><Gather action="/menu" finishOnKey="" numDigits="2" actionOnEmptyResult="true"><Play loop="0">a.mp3</Play><Pause length="600"/></Gather></Response>`, `<Response/>`},
	{`<Response><Dial><Client statusCallback="/status" statusCallbackEvent="initiated ringing answered completed" url="/whisper">jenny</Client><Number statusCallback="http://other.test/cb" method="GET" url="http://other.test/w">+15550003333</Number></Dial></Response>`,
		`<Response><Reject/></Response>`},
	{`<Response><Reject reason="busy"/></Response>`, `<Response><Dial>+1</Dial></Response>`},
	{`<Response><Gather input="speech" partialResultCallback="/partial" speechTimeout="auto" action="/menu"><Say>Say it</Say></Gather><Gather input="dtmf speech" hints="a" actionOnEmptyResult="true"/><Dial><Client url="/whisper">human</Client></Dial></Response>`,
		`<Response><Gather numDigits="1"/><Gather input="dtmf speech" bargeIn="false" maxSpeechTime="1" partialResultCallback="http://other.test/p" action="/screened"><Say>Say yes</Say></Gather><Hangup/></Response>`},
	{`<Response><Say loop="0" voice="alice">` + strings.Repeat("word ", 50) + `</Say><Play digits="wW1#*"/><Hangup/></Response>`, `<Response><Pause length="30"/></Response>`},
	{`<Response><Record/><Dial><Conference>x</Conference></Dial></Response>`, `<Response><Say>x</Say></Response>`},
	{`<Response><Dial action="/voice"><Sip>sip:a@b.test</Sip></Dial></Response>`, `<Response><Gather><Say>x</Say></Gather></Response>`},
	{`<Response><Dial timeout="600"><Number url="/whisper">+15550003333</Number></Dial></Response>`, `<Response><Redirect>/whisper</Redirect></Response>`},
	{`<Response><Redirect method="GET">/voice?x=1</Redirect></Response>`, ``},
	{`not xml`, `<Response`},
	{``, ``},
}

// FuzzCall runs a whole call on fuzzed TwiML: the document at /voice, and
// the one at /whisper (and /screen) that legs dialed with a url run. The
// third value picks the policy, when the caller hangs up, and whether the
// call has a fallback; the fourth, if not zero, is the request to the
// application (counting status callbacks) whose handler cancels the
// call's context. A call must end with a well-formed transcript, give the
// same transcript when run again, and leave no goroutine behind; a
// cancelled call must return context.Canceled, record nothing after the
// cancellation but the ends of what was open, and make no request after
// it. A real-time limit is only a safety net against a hang.
func FuzzCall(f *testing.F) {
	for _, s := range fuzzCallSeeds {
		for n := range 4 { // and cancelled at each of the first three requests
			f.Add([]byte(s.voice), []byte(s.whisper), uint8(0), uint8(n))
		}
	}
	// The scenario suite's documents.
	var files []string
	for _, pattern := range []string{"../scenarios/testdata/*.txt", "../scenarios/*.txt"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		files = append(files, m...)
	}
	for i, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var voice, whisper []byte
		for _, doc := range txtar.Parse(data).Files {
			switch doc.Name {
			case "/voice":
				voice = doc.Data
			case "/whisper", "/screen":
				whisper = doc.Data
			}
		}
		if voice != nil {
			f.Add(voice, whisper, uint8(i), uint8(0))
		}
	}
	f.Fuzz(func(t *testing.T, voice, whisper []byte, knobs, cancelAt uint8) {
		docs := engine.Documents{"/voice": string(voice), "/whisper": string(whisper), "/screen": string(whisper)}
		for path, doc := range fuzzDocs {
			docs[path] = doc
		}
		e := &engine.Engine{Handler: docs, Parties: fuzzParties, AuthToken: "12345"}
		if knobs&1 != 0 {
			e.Policy = engine.FirstAccept
		}
		in := engine.Inbound{
			From: "+15550001111", To: "+15550002222", URL: "/voice",
			Caller: engine.Caller{
				Presses: []fake.Press{{Keys: "1", After: 2 * time.Second}, {Keys: "42#", After: time.Second}, {Speech: "sales please", Confidence: 0.5, After: time.Second}, {Keys: "*", After: 5 * time.Second}},
				Hangup:  time.Duration(knobs>>1&7) * 7 * time.Second,
			},
		}
		if knobs&16 != 0 {
			in.Fallback = "/after"
		}
		if knobs&32 != 0 {
			in.Method = "GET"
		}

		base := leakcheck.Count()
		first := fuzzRun(t, e, in, int(cancelAt))
		checkCallTranscript(t, first)
		again := fuzzRun(t, e, in, int(cancelAt))
		if diff := cmpDiff(first.Events, again.Events); diff != "" {
			t.Fatalf("the same call gave another transcript (-first +second):\n%s", diff)
		}
		if n := leakcheck.Settle(base); n > base {
			t.Fatalf("%d goroutines after the call, %d before:\n%s", n, base, stacks())
		}
	})
}

// canceller passes requests on to an application, and cancels the call
// when the n-th arrives (before it is answered); n = 0 never does.
type canceller struct {
	app    http.Handler
	n      int
	cancel context.CancelFunc

	mu       sync.Mutex
	requests int
}

func (c *canceller) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.requests++
	if c.requests == c.n {
		c.cancel()
	}
	c.mu.Unlock()
	c.app.ServeHTTP(w, r)
}

// fuzzRun runs the call, cancelling it at the cancelAt-th request if that
// is not zero, and fails the test if it does not return within a generous
// real-time limit: virtual time cannot hang, so only a bug can.
func fuzzRun(t *testing.T, e *engine.Engine, in engine.Inbound, cancelAt int) *engine.Result {
	t.Helper()
	ctx, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	app := &canceller{app: e.Handler, n: cancelAt, cancel: cancel}
	e2 := *e
	e2.Handler = app
	type result struct {
		res *engine.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := e2.Call(ctx, in)
		done <- result{res, err}
	}()
	watchdog := time.NewTimer(2 * time.Minute)
	defer watchdog.Stop()
	var r result
	select {
	case r = <-done:
	case <-watchdog.C:
		t.Fatalf("Call did not return a minute after its context ended:\n%s", stacks())
	}
	if errors.Is(r.err, context.DeadlineExceeded) {
		t.Fatalf("Call ran for a minute of real time: a hang? (err %v)", r.err)
	}
	cancelled := cancelAt > 0 && app.requests >= cancelAt
	switch {
	case cancelled && !errors.Is(r.err, context.Canceled):
		t.Fatalf("Call cancelled at request %d returned %v, want context.Canceled", cancelAt, r.err)
	case !cancelled && r.err != nil:
		t.Fatalf("Call: %v", r.err)
	}
	if r.res == nil {
		t.Fatal("Call returned no Result")
	}
	if cancelled {
		if app.requests > cancelAt {
			t.Fatalf("%d requests after the cancellation at request %d:\n%s", app.requests-cancelAt, cancelAt, transcriptText(r.res.Events))
		}
		checkEndsAfter(t, r.res.Events, cancelAt)
	}
	return r.res
}

// checkEndsAfter checks that after the n-th request (status callback, or
// partial speech result) of the transcript, where the call was cancelled, only the ends of what
// was open are recorded: a leg's, a Dial's, an Enqueue's and the call's.
func checkEndsAfter(t *testing.T, events []engine.Event, n int) {
	t.Helper()
	for i, e := range events {
		if e.Kind != engine.KindRequest && e.Kind != engine.KindCallback && e.Kind != engine.KindSpeechPartial {
			continue
		}
		if n--; n > 0 {
			continue
		}
		var extra []string
		for _, after := range events[i+1:] {
			switch after.Kind {
			case engine.KindLegEnd, engine.KindDialEnd, engine.KindQueueEnd, engine.KindCallEnd, engine.KindDiagnostic, engine.KindNote:
				continue
			}
			extra = append(extra, after.String())
		}
		if len(extra) > 0 {
			t.Fatalf("after the cancellation at event %d:\n%s\ntranscript:\n%s", i, strings.Join(extra, "\n"), transcriptText(events))
		}
		return
	}
	t.Fatalf("the transcript has fewer requests than the application got:\n%s", transcriptText(events))
}

// checkCallTranscript checks what every transcript promises: it runs from
// call.start to call.end in order of time, followed only by the callbacks
// Twilio sends after a call (transcriptions) and their warnings; each
// Dial and each leg that starts also ends; and its JSON lines carry t and
// kind.
func checkCallTranscript(t *testing.T, res *engine.Result) {
	t.Helper()
	all := res.Events
	fail := func(format string, args ...any) {
		t.Helper()
		var b strings.Builder
		engine.WriteText(&b, all)
		t.Fatalf(format+"\ntranscript:\n%s", append(args, b.String())...)
	}
	ev := all
	for len(ev) > 0 && (ev[len(ev)-1].Kind == engine.KindCallback || ev[len(ev)-1].Kind == engine.KindDiagnostic) {
		ev = ev[:len(ev)-1]
	}
	if len(ev) < 2 || ev[0].Kind != engine.KindCallStart || ev[len(ev)-1].Kind != engine.KindCallEnd {
		fail("the transcript does not run from call.start to call.end")
	}
	switch res.Status {
	case "completed", "busy", "no-answer", "failed", "canceled":
	default:
		fail("final status %q", res.Status)
	}
	if last := ev[len(ev)-1]; last.Get("CallStatus") != res.Status || res.Duration != last.T {
		fail("call.end says %v at %v, the Result %s at %v", last.Get("CallStatus"), last.T, res.Status, res.Duration)
	}
	dials := 0
	legs := map[string]int{} // leg.initiated less leg.end, per leg
	for i, e := range ev {
		if i > 0 && e.T < ev[i-1].T {
			fail("event %d (%s) goes back in time", i, e.Kind)
		}
		if (e.Kind == engine.KindCallStart || e.Kind == engine.KindCallEnd) && i != 0 && i != len(ev)-1 {
			fail("%s at event %d", e.Kind, i)
		}
		switch e.Kind {
		case engine.KindDialStart:
			if dials != 0 {
				fail("dial.start at event %d inside another Dial", i)
			}
			dials++
		case engine.KindDialEnd:
			dials--
			if dials != 0 {
				fail("dial.end at event %d without a dial.start", i)
			}
			for leg, n := range legs {
				if n != 0 {
					fail("dial.end at event %d while leg %s has not ended", i, leg)
				}
			}
		case engine.KindLegInitiated:
			legs[e.Leg]++
		case engine.KindLegEnd:
			legs[e.Leg]--
			if legs[e.Leg] < 0 {
				fail("leg.end of %s at event %d without a leg.initiated", e.Leg, i)
			}
		}
	}
	if dials != 0 {
		fail("a Dial never ended")
	}
	if n := countKind(ev, engine.KindDialEnd); n != len(res.Dials) {
		fail("%d dial.end events, %d DialResults", n, len(res.Dials))
	}
	var b bytes.Buffer
	if err := engine.WriteJSON(&b, ev); err != nil {
		fail("WriteJSON: %v", err)
	}
	for i, line := range bytes.Split(bytes.TrimSuffix(b.Bytes(), []byte("\n")), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			fail("JSON line %d: %v\n%s", i, err, line)
		}
		if _, ok := m["t"].(float64); !ok || m["kind"] != ev[i].Kind {
			fail("JSON line %d lacks t or kind: %s", i, line)
		}
	}
}

func countKind(events []engine.Event, kind string) int {
	n := 0
	for _, e := range events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// stacks returns every goroutine's stack, for a hang or a leak.
func stacks() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}
