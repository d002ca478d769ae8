package scenarios_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/leakcheck"
	"github.com/dialsim/dialsim/scenarios"
)

// brokenScenarios are hand-made bad inputs for FuzzParse's seed corpus:
// each breaks one rule of the language, or the txtar framing around it.
var brokenScenarios = []string{
	"",
	"\n\n\n",
	"# only a description\n",
	"call\n",
	"call from= to= url=\n",
	"call from=+15550001111 to=+15550002222 url=/voice\n",
	"call from=+15550001111 to=+15550002222 url=/voice\ncall from=+15550001111 to=+15550002222 url=/voice\n-- /voice --\n<Response/>\n",
	"call from=+15550001111 to=client: url=/voice\n-- /voice --\n",
	"call from=+15550001111 to=+15550002222 url=//evil/voice\n-- //evil/voice --\n",
	"call from=+15550001111 to=+15550002222 url=/voice?x=1#y method=get fallback=http://app.test/f\n-- /voice --\n<Response/>",
	"call from=+15550001111 to=+15550002222 url=/voice\r\nparty client:a answer=3s\r\n-- /voice --\r\n<Response><Dial><Client>a</Client></Dial></Response>\r\n-- want --\r\n",
	"call from=+15550001111 to=+15550002222 url=/voice\nparty client:a answer=uniform(2s,8s busy=0.5\n-- /voice --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\nparty client:a answer=lognormal(5s,1e308) busy=101% fail=-0\n-- /voice --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\nparty client:a answer=exp(-4s) voicemail=0.5@uniform(8s,2s)\n-- /voice --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\nparty client:a answer=9223372036854775807ns talk=-1s\n-- /voice --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\nparty client:a busy press=1@2s\n-- /voice --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\nparty client:a answer=1s voicemail press=1\n-- /voice --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\nparty +1 answer=1s\nparty +0123 busy\nparty client:a\x00b busy\n-- /voice --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\ncaller press=@1s press=x press=1@-1s hangup hangup=1s\n-- /voice --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\npolicy last-answer\n-- /voice --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\nseed -1\nseed 18446744073709551616\n-- /voice --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\napp ftp://x\n-- /voice --\n",
	"app http://127.0.0.1:1\ncall from=+15550001111 to=+15550002222 url=/voice\n-- /voice --\n<Response/>\n",
	"call from=+15550001111 to=+15550002222 url=/voice\n-- /voice --\n-- /voice --\n-- want --\n-- want --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\n-- want --\n-- bad name --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\n-- /voice --",
	"call from=+15550001111 to=+15550002222 url=/voice\n-- /voice --\n<Response><Redirect>/voice</Redirect></Response>\n",
	"call from=+15550001111 to=+15550002222 url=/voice # a comment ( with a paren\nparty client:a answer=uniform( 2s , 8s ) # ) ( \n-- /voice --\n<Response/>\n",
	"call from=+15550001111 to=+15550002222 url=/voice\nfrobnicate\n-- /voice --\n",
	"call from=+15550001111 to=+15550002222 url=/voice\nparty client:a answer=1s)\n-- /voice --\n",
	"\xff\xfe call from=+15550001111\n",
}

// FuzzParse feeds arbitrary bytes to the scenario parser. Parse must not
// panic; a rejected file gives an *Error at a line of the file wrapping
// one of the Err* sentinels; an accepted one is self-consistent, survives
// a WithWant round trip, and (when it needs no running application) runs
// to a call.end without an error, a leaked goroutine or a hang.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*.txt", "*.txt"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	for _, s := range brokenScenarios {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// The fuzzer's input must not change: parse a copy of it.
		data = bytes.Clone(data)
		s, err := scenarios.Parse("fuzz.txt", data)
		if err != nil {
			checkParseError(t, data, s, err)
			return
		}
		checkScenario(t, data, s)

		// Parse keeps a copy: scribbling over its input changes nothing.
		before := cloneDocs(s.Docs)
		for i := range data {
			data[i] = 'x'
		}
		if diff := cmp.Diff(before, cloneDocs(s.Docs)); diff != "" {
			t.Fatalf("documents changed with the input (-before +after):\n%s", diff)
		}

		checkWithWant(t, s)
		if s.App == "" && len(s.Docs) > 0 { // else it needs an app to run
			checkRun(t, s)
		}
	})
}

// parseSentinels are the kinds of problem Parse reports.
var parseSentinels = []error{
	scenarios.ErrSyntax, scenarios.ErrUnknownDirective, scenarios.ErrMissingCall,
	scenarios.ErrDuplicate, scenarios.ErrAddr, scenarios.ErrDuration, scenarios.ErrDist,
	scenarios.ErrProbability, scenarios.ErrKeys, scenarios.ErrBehaviour,
	scenarios.ErrContradiction, scenarios.ErrPolicy, scenarios.ErrMissingDoc, scenarios.ErrFileName,
}

func checkParseError(t *testing.T, data []byte, s *scenarios.Scenario, err error) {
	t.Helper()
	if s != nil {
		t.Fatalf("Parse returned a Scenario and the error %v", err)
	}
	var pe *scenarios.Error
	if !errors.As(err, &pe) {
		t.Fatalf("Parse error %v (%T) is not a *scenarios.Error", err, err)
	}
	if pe.File != "fuzz.txt" {
		t.Fatalf("error %v names file %q", err, pe.File)
	}
	if lines := bytes.Count(data, []byte("\n")) + 1; pe.Line < 1 || pe.Line > lines {
		t.Fatalf("error %v at line %d of a %d-line file", err, pe.Line, lines)
	}
	for _, sentinel := range parseSentinels {
		if errors.Is(err, sentinel) {
			return
		}
	}
	t.Fatalf("error %v wraps none of the Err* sentinels", err)
}

// checkScenario checks what Parse promises of a scenario it accepts.
func checkScenario(t *testing.T, data []byte, s *scenarios.Scenario) {
	t.Helper()
	if s == nil {
		t.Fatal("Parse returned neither a Scenario nor an error")
	}
	if s.Docs == nil || s.DocLine == nil || len(s.Docs) != len(s.DocLine) {
		t.Fatalf("Docs (%d) and DocLine (%d) disagree", len(s.Docs), len(s.DocLine))
	}
	calls := []scenarios.CallSpec{s.Call}
	if s.World != nil {
		calls = worldCalls(t, s)
	}
	for _, c := range calls {
		if c.Line < 1 || c.From == "" || c.To == "" || c.URL == "" {
			t.Fatalf("incomplete call %+v", c)
		}
		if c.Method != "POST" && c.Method != "GET" {
			t.Fatalf("call method %q", c.Method)
		}
	}
	if s.Policy != engine.FirstAnswer && s.Policy != engine.FirstAccept {
		t.Fatalf("policy %v", s.Policy)
	}
	lines := strings.Split(string(data), "\n")
	for path, doc := range s.Docs {
		at := s.DocLine[path]
		if at < 2 || at > len(lines)+1 {
			t.Fatalf("document %s at line %d of a %d-line file", path, at, len(lines))
		}
		if marker := lines[at-2]; !strings.Contains(marker, path) {
			t.Fatalf("document %s: line %d before its content is %q, not its marker", path, at-1, marker)
		}
		// A document's CRLF line endings are read as LF.
		if first, _, _ := strings.Cut(string(doc), "\n"); first != "" && (at > len(lines) || strings.TrimSuffix(lines[at-1], "\r") != first) {
			t.Fatalf("document %s starts with %q, not line %d of the file", path, first, at)
		}
	}
	rng := fake.NewRand(s.Seed, 0)
	for _, p := range s.Parties {
		if (p.Scripted == nil) == (p.Random == nil) {
			t.Fatalf("party %s at line %d: Scripted %v, Random %v", p.Addr, p.Line, p.Scripted, p.Random)
		}
		if p.Random != nil {
			if err := p.Random.Validate(); err != nil {
				t.Fatalf("line %d: accepted an invalid random party: %v", p.Line, err)
			}
		}
		if err := p.Draw(rng).Validate(); err != nil {
			t.Fatalf("line %d: accepted a party whose behaviour is invalid: %v", p.Line, err)
		}
	}
	for _, pr := range s.Caller.Presses {
		if err := pr.Validate(); err != nil {
			t.Fatalf("line %d: accepted an invalid caller press: %v", s.Caller.Line, err)
		}
	}
	for _, in := range s.Caller.Random {
		if err := in.Validate(); err != nil {
			t.Fatalf("line %d: accepted an invalid random caller input: %v", s.Caller.Line, err)
		}
	}
	for _, pr := range s.Caller.Draw(rng) {
		if err := pr.Validate(); err != nil {
			t.Fatalf("line %d: drew an invalid caller input: %v", s.Caller.Line, err)
		}
	}
}

// checkWithWant checks that WithWant keeps everything but the want file,
// and that the file it returns parses with the new want.
func checkWithWant(t *testing.T, s *scenarios.Scenario) {
	t.Helper()
	const transcript = "    0.000  call.start      -                    CallSid=CA0\n"
	out := s.WithWant([]byte(transcript))
	s2, err := scenarios.Parse("fuzz.txt", out)
	if err != nil {
		t.Fatalf("the file WithWant returns does not parse: %v\n%q", err, out)
	}
	if !s2.HasWant || string(s2.Want) != transcript {
		t.Fatalf("after WithWant, want is %q (HasWant %v)\n%q", s2.Want, s2.HasWant, out)
	}
	if diff := cmp.Diff(cloneDocs(s.Docs), cloneDocs(s2.Docs)); diff != "" {
		t.Fatalf("WithWant changed the documents (-before +after):\n%s\n%q", diff, out)
	}
	if diff := cmp.Diff(s.Call, s2.Call); diff != "" {
		t.Fatalf("WithWant changed the call (-before +after):\n%s", diff)
	}
}

// checkRun plays the scenario on virtual time, with a real-time limit
// only as a safety net against a hang.
func checkRun(t *testing.T, s *scenarios.Scenario) {
	t.Helper()
	base := leakcheck.Count()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := scenarios.Run(ctx, s, scenarios.RunOptions{})
	if ctx.Err() != nil {
		t.Fatalf("the call ran for a minute of real time: a hang? err %v", err)
	}
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if s.World != nil {
		checkWorld(t, ctx, s)
	} else {
		checkTranscript(t, res)
	}
	if n := leakcheck.Settle(base); n > base {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines after the call, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
}

// checkWorld checks a world's run: each call's transcript runs from
// call.start to call.end (but for a call canceled before it was placed,
// which has none), and the world's never goes back in time.
func checkWorld(t *testing.T, ctx context.Context, s *scenarios.Scenario) {
	t.Helper()
	wr, err := scenarios.RunWorld(ctx, s, scenarios.RunOptions{})
	if err != nil {
		t.Fatalf("RunWorld: %v", err)
	}
	for _, c := range wr.Calls {
		if len(c.Events) == 0 && c.Status == "canceled" {
			continue
		}
		ev := c.Events
		if len(ev) < 2 || ev[0].Kind != engine.KindCallStart {
			t.Fatalf("call %s: transcript does not start with call.start:\n%s", c.Name, scenarios.Transcript(c.Result))
		}
		if !slices.ContainsFunc(ev, func(e engine.Event) bool { return e.Kind == engine.KindCallEnd }) {
			t.Fatalf("call %s: transcript without call.end:\n%s", c.Name, scenarios.Transcript(c.Result))
		}
	}
	for i := 1; i < len(wr.Events); i++ {
		if wr.Events[i].T < wr.Events[i-1].T {
			t.Fatalf("event %d goes back in time", i)
		}
	}
}

func checkTranscript(t *testing.T, res *engine.Result) {
	t.Helper()
	ev := res.Events
	// After call.end come only the callbacks Twilio sends after a call
	// (transcriptions), and their warnings.
	end := len(ev)
	for end > 0 && (ev[end-1].Kind == engine.KindCallback || ev[end-1].Kind == engine.KindDiagnostic) {
		end--
	}
	if end < 2 || ev[0].Kind != engine.KindCallStart || ev[end-1].Kind != engine.KindCallEnd {
		t.Fatalf("transcript does not run from call.start to call.end:\n%s", scenarios.Transcript(res))
	}
	for i := 1; i < len(ev); i++ {
		if ev[i].T < ev[i-1].T {
			t.Fatalf("event %d goes back in time:\n%s", i, scenarios.Transcript(res))
		}
	}
}

// worldCalls returns the calls of a world scenario, which has no single
// call.
func worldCalls(t *testing.T, s *scenarios.Scenario) []scenarios.CallSpec {
	t.Helper()
	var calls []scenarios.CallSpec
	if s.Call.Line != 0 {
		calls = append(calls, s.Call) // the world's call named "call"
	}
	for _, c := range s.World.Calls {
		calls = append(calls, c.Call)
	}
	for _, a := range s.World.Arrivals {
		calls = append(calls, a.Call)
	}
	for _, a := range s.World.Agents {
		calls = append(calls, a.Call)
	}
	creates := 0
	for _, op := range s.World.Ops {
		if op.Op == "create" {
			creates++
			calls = append(calls, scenarios.CallSpec{From: op.Create.From, To: op.Create.To, URL: op.Create.URL, Method: "POST", Line: op.Line})
		}
	}
	if len(calls)+len(s.World.Arrivals) == 0 {
		t.Fatal("a world without callers")
	}
	return calls
}

func cloneDocs(docs map[string][]byte) map[string]string {
	m := make(map[string]string, len(docs))
	for k, v := range docs {
		m[k] = string(v)
	}
	return m
}
