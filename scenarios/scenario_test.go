package scenarios_test

import (
	"bytes"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/twiml"
)

var ignoreRaw = cmpopts.IgnoreUnexported(scenarios.Scenario{})

const simulring = `# Simultaneous ring: jenny answers at 3 s and is connected; tommy is busy;
# the number is canceled when jenny answers.
call from=+15550001111 to=+15550002222 url=/voice
party client:jenny answer=3s talk=45s
party client:tommy busy
party +18589876543 answer=8s
-- /voice --
<Response>
  <Dial callerId="+15550002222">
    <Number>858-987-6543</Number>
    <Client>jenny</Client>
    <Client>tommy</Client>
  </Dial>
</Response>
-- want --
0.000 call
`

func TestParse(t *testing.T) {
	const voice = "<Response/>\n"
	docs := func(kv ...any) (map[string][]byte, map[string]int) {
		d, l := map[string][]byte{}, map[string]int{}
		for i := 0; i < len(kv); i += 3 {
			d[kv[i].(string)] = []byte(kv[i+1].(string))
			l[kv[i].(string)] = kv[i+2].(int)
		}
		return d, l
	}
	scenario := func(s scenarios.Scenario, kv ...any) *scenarios.Scenario {
		s.Name = "test.txt"
		if s.Call.Method == "" {
			s.Call.Method = "POST"
		}
		s.Docs, s.DocLine = docs(kv...)
		return &s
	}
	sec := func(n float64) time.Duration { return time.Duration(n * float64(time.Second)) }

	for _, tt := range []struct {
		name string
		in   string
		want *scenarios.Scenario
	}{
		{
			name: "design example",
			in:   simulring,
			want: scenario(scenarios.Scenario{
				Description: []string{
					"Simultaneous ring: jenny answers at 3 s and is connected; tommy is busy;",
					"the number is canceled when jenny answers.",
				},
				Call: scenarios.CallSpec{From: "+15550001111", To: "+15550002222", URL: "/voice", Line: 3},
				Parties: []scenarios.PartySpec{
					{Addr: "client:jenny", Line: 4, Scripted: &fake.Party{Addr: "client:jenny", Outcome: fake.Answer, After: sec(3), Talk: sec(45)}},
					{Addr: "client:tommy", Line: 5, Scripted: &fake.Party{Addr: "client:tommy", Outcome: fake.Busy}},
					{Addr: "+18589876543", Line: 6, Scripted: &fake.Party{Addr: "+18589876543", Outcome: fake.Answer, After: sec(8)}},
				},
				Want: []byte("0.000 call\n"), HasWant: true, WantLine: 16,
			}, "/voice", `<Response>
  <Dial callerId="+15550002222">
    <Number>858-987-6543</Number>
    <Client>jenny</Client>
    <Client>tommy</Client>
  </Dial>
</Response>
`, 8),
		},
		{
			name: "every core directive",
			in: `call from=client:alice to=+15550002222 url=/voice?step=1 method=get fallback=/oops
caller press=1 press=42#@2.5s hangup=1m30s
party +18589876543 busy=2s
party client:b fail=500ms
party client:c reject=4s
party client:d noanswer
party client:e
party client:f answer hangup=10s
party client:g answer=3s press=1@2s press=*
party client:h answer=1s voicemail talk=20s
policy first-accept
token 12345
seed 18446744073709551615
-- /voice --
<Response/>
-- /oops --
<Response><Say>sorry</Say></Response>
`,
			want: scenario(scenarios.Scenario{
				Call: scenarios.CallSpec{From: "client:alice", To: "+15550002222", URL: "/voice?step=1", Method: "GET", Fallback: "/oops", Line: 1},
				Caller: scenarios.CallerSpec{
					Presses: []fake.Press{{Keys: "1", After: sec(1)}, {Keys: "42#", After: sec(2.5)}},
					Hangup:  sec(90), Line: 2,
				},
				Parties: []scenarios.PartySpec{
					{Addr: "+18589876543", Line: 3, Scripted: &fake.Party{Addr: "+18589876543", Outcome: fake.Busy, After: sec(2)}},
					{Addr: "client:b", Line: 4, Scripted: &fake.Party{Addr: "client:b", Outcome: fake.Fail, After: sec(0.5)}},
					{Addr: "client:c", Line: 5, Scripted: &fake.Party{Addr: "client:c", Outcome: fake.Reject, After: sec(4)}},
					{Addr: "client:d", Line: 6, Scripted: &fake.Party{Addr: "client:d", Outcome: fake.NoAnswer}},
					{Addr: "client:e", Line: 7, Scripted: &fake.Party{Addr: "client:e"}},
					{Addr: "client:f", Line: 8, Scripted: &fake.Party{Addr: "client:f", Outcome: fake.Answer, Hangup: sec(10)}},
					{Addr: "client:g", Line: 9, Scripted: &fake.Party{Addr: "client:g", Outcome: fake.Answer, After: sec(3),
						Presses: []fake.Press{{Keys: "1", After: sec(2)}, {Keys: "*", After: sec(1)}}}},
					{Addr: "client:h", Line: 10, Scripted: &fake.Party{Addr: "client:h", Outcome: fake.Answer, After: sec(1), Talk: sec(20), Voicemail: true}},
				},
				Policy: engine.FirstAccept,
				Token:  "12345",
				Seed:   1<<64 - 1,
			}, "/voice", voice, 15, "/oops", "<Response><Say>sorry</Say></Response>\n", 17),
		},
		{
			name: "app without documents",
			in: `# Against a running app.
#
# Second paragraph.

call from=+15550001111 to=+15550002222 url=/twilio/voice
app https://example.com/base
token secret
`,
			want: scenario(scenarios.Scenario{
				Description: []string{"Against a running app.", "", "Second paragraph."},
				Call:        scenarios.CallSpec{From: "+15550001111", To: "+15550002222", URL: "/twilio/voice", Line: 5},
				App:         "https://example.com/base",
				Token:       "secret",
			}),
		},
		{
			name: "absolute url, comments, blank lines and CRLF",
			in: "\r\n  # not a description: it follows a blank line\r\n" +
				"call from=+15550001111 to=+15550002222 url=http://localhost:8080/voice   # the app\r\n" +
				"\r\n" +
				"party client:jenny answer=2s # quick\r\n" +
				"-- want --\r\n",
			want: scenario(scenarios.Scenario{
				Call: scenarios.CallSpec{From: "+15550001111", To: "+15550002222", URL: "http://localhost:8080/voice", Line: 3},
				Parties: []scenarios.PartySpec{
					{Addr: "client:jenny", Line: 5, Scripted: &fake.Party{Addr: "client:jenny", Outcome: fake.Answer, After: sec(2)}},
				},
				Want: []byte{}, HasWant: true, WantLine: 7,
			}),
		},
		{
			name: "random parties",
			in: `call from=+15550001111 to=+15550002222 url=/voice
party client:jenny answer=lognormal(6s,0.5) busy=0.1 fail=0.05 noanswer=0.1 voicemail=0.2@uniform(1s, 3s) talk=exp(1m) press=1@2s
party client:tommy answer=uniform( 2s , 8s ) busy=10% reject=0.05 voicemail=20%
party +18589876543 answer=3s talk=exp(30s) busy=0
party +18589876544 answer=fixed(3s)
seed 7
-- /voice --
<Response/>
`,
			want: scenario(scenarios.Scenario{
				Call: scenarios.CallSpec{From: "+15550001111", To: "+15550002222", URL: "/voice", Line: 1},
				Parties: []scenarios.PartySpec{
					{Addr: "client:jenny", Line: 2, Random: &fake.Random{Addr: "client:jenny",
						Answer: fake.LogNormal(sec(6), 0.5), Busy: 0.1, Fail: 0.05, NoAnswer: 0.1, Voicemail: 0.2,
						VoicemailAnswer: fake.Uniform(sec(1), sec(3)), Talk: fake.Exponential(time.Minute),
						Presses: []fake.Press{{Keys: "1", After: sec(2)}}}},
					{Addr: "client:tommy", Line: 3, Random: &fake.Random{Addr: "client:tommy",
						Answer: fake.Uniform(sec(2), sec(8)), Busy: 0.1, Reject: 0.05, Voicemail: 0.2}},
					{Addr: "+18589876543", Line: 4, Random: &fake.Random{Addr: "+18589876543",
						Answer: fake.Fixed(sec(3)), Talk: fake.Exponential(sec(30))}},
					{Addr: "+18589876544", Line: 5, Random: &fake.Random{Addr: "+18589876544", Answer: fake.Fixed(sec(3))}},
				},
				Seed: 7,
			}, "/voice", voice, 8),
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scenarios.Parse("test.txt", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, ignoreRaw); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
			// DocLine points at each document's first line in the file.
			lines := strings.Split(strings.ReplaceAll(tt.in, "\r\n", "\n"), "\n")
			for path, line := range got.DocLine {
				first, _, _ := strings.Cut(string(got.Docs[path]), "\n")
				if lines[line-1] != first {
					t.Errorf("DocLine[%s] = %d: line is %q, want the document's first line %q", path, line, lines[line-1], first)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const call = "call from=+15550001111 to=+15550002222 url=/voice\n"
	const doc = "-- /voice --\n<Response/>\n"
	for _, tt := range []struct {
		name string
		in   string
		line int
		want error
	}{
		{"unknown directive", call + "dial client:jenny\n" + doc, 2, scenarios.ErrUnknownDirective},
		{"missing call", "party client:jenny answer=3s\n" + doc, 1, scenarios.ErrMissingCall},
		{"empty file", "", 1, scenarios.ErrMissingCall},
		{"duplicate call", "# two calls\n" + call + call + doc, 3, scenarios.ErrDuplicate},
		{"call without url", "call from=+15550001111 to=+15550002222\n" + doc, 1, scenarios.ErrSyntax},
		{"call with a bare word", "call from=+15550001111 to=+15550002222 url=/voice now\n" + doc, 1, scenarios.ErrSyntax},
		{"call with an unknown argument", call[:len(call)-1] + " timeout=30\n" + doc, 1, scenarios.ErrSyntax},
		{"call with a repeated argument", call[:len(call)-1] + " url=/voice\n" + doc, 1, scenarios.ErrDuplicate},
		{"call method", call[:len(call)-1] + " method=PUT\n" + doc, 1, scenarios.ErrSyntax},
		{"call sid too short", call[:len(call)-1] + " sid=CA0123\n" + doc, 1, scenarios.ErrSyntax},
		{"call sid of an account", call[:len(call)-1] + " sid=AC0123456789abcdef0123456789abcdef\n" + doc, 1, scenarios.ErrSyntax},
		{"call sid in capitals", call[:len(call)-1] + " sid=CA0123456789ABCDEF0123456789ABCDEF\n" + doc, 1, scenarios.ErrSyntax},
		{"call relative url", "call from=+15550001111 to=+15550002222 url=voice\n" + doc, 1, scenarios.ErrSyntax},
		{"call url with host", "call from=+15550001111 to=+15550002222 url=//example.com/voice\n" + doc, 1, scenarios.ErrSyntax},
		{"call from bad number", "call from=5550001111 to=+15550002222 url=/voice\n" + doc, 1, scenarios.ErrAddr},
		{"call to bad client", "call from=+15550001111 to=client:a<b url=/voice\n" + doc, 1, scenarios.ErrAddr},
		{"url not in archive", "call from=+15550001111 to=+15550002222 url=/welcome\n" + doc, 1, scenarios.ErrMissingDoc},
		{"fallback not in archive", call[:len(call)-1] + " fallback=/oops\n" + doc, 1, scenarios.ErrMissingDoc},
		{"party bad number", call + "party +1858-987-6543 answer=3s\n" + doc, 2, scenarios.ErrAddr},
		{"party leading zero", call + "party +0858 answer=3s\n" + doc, 2, scenarios.ErrAddr},
		{"party too long", call + "party +1234567890123456 answer=3s\n" + doc, 2, scenarios.ErrAddr},
		{"party empty client", call + "party client: answer=3s\n" + doc, 2, scenarios.ErrAddr},
		{"party sip", call + "party sip:jenny@example.com answer=3s\n" + doc, 2, scenarios.ErrAddr},
		{"party client too long", call + "party client:" + strings.Repeat("é", 257) + " answer=3s\n" + doc, 2, scenarios.ErrAddr},
		{"party no country code", call + "party +6931234567 answer=3s\n" + doc, 2, scenarios.ErrAddr},
		{"party client with no-break space", call + "party client:a\u00a0b answer=3s\n" + doc, 2, scenarios.ErrAddr},
		{"party without address", call + "party\n" + doc, 2, scenarios.ErrSyntax},
		{"duplicate party", call + "party client:jenny answer=3s\n\nparty client:jenny busy\n" + doc, 4, scenarios.ErrDuplicate},
		{"duration without unit", call + "party client:jenny answer=3\n" + doc, 2, scenarios.ErrDuration},
		{"bad duration unit", call + "party client:jenny answer=3sec\n" + doc, 2, scenarios.ErrDuration},
		{"word duration", call + "party client:jenny answer=soon\n" + doc, 2, scenarios.ErrDuration},
		{"negative duration", call + "party client:jenny answer=-3s\n" + doc, 2, scenarios.ErrDuration},
		{"talk without value", call + "party client:jenny answer=3s talk\n" + doc, 2, scenarios.ErrDuration},
		{"unknown behaviour", call + "party client:jenny answer=3s dance\n" + doc, 2, scenarios.ErrBehaviour},
		{"answer and busy", call + "party client:jenny answer=3s busy\n" + doc, 2, scenarios.ErrContradiction},
		{"busy and noanswer", call + "party client:jenny busy noanswer\n" + doc, 2, scenarios.ErrContradiction},
		{"answer twice", call + "party client:jenny answer=3s answer=4s\n" + doc, 2, scenarios.ErrDuplicate},
		{"talk twice", call + "party client:jenny answer=3s talk=1s talk=2s\n" + doc, 2, scenarios.ErrDuplicate},
		{"busy talks", call + "party client:jenny busy talk=3s\n" + doc, 2, scenarios.ErrContradiction},
		{"talk without answer", call + "party client:jenny talk=3s\n" + doc, 2, scenarios.ErrContradiction},
		{"voicemail without answer", call + "party client:jenny voicemail\n" + doc, 2, scenarios.ErrContradiction},
		{"voicemail presses", call + "party client:jenny answer=1s voicemail press=1\n" + doc, 2, scenarios.ErrContradiction},
		{"press bad keys", call + "party client:jenny answer=1s press=1x@2s\n" + doc, 2, scenarios.ErrKeys},
		{"press no keys", call + "party client:jenny answer=1s press=@2s\n" + doc, 2, scenarios.ErrKeys},
		{"press bad offset", call + "party client:jenny answer=1s press=1@soon\n" + doc, 2, scenarios.ErrDuration},
		{"random bare busy", call + "party client:jenny answer=exp(3s) busy\n" + doc, 2, scenarios.ErrProbability},
		{"random probability above one", call + "party client:jenny answer=exp(3s) busy=1.5\n" + doc, 2, scenarios.ErrProbability},
		{"random probability word", call + "party client:jenny answer=exp(3s) busy=often\n" + doc, 2, scenarios.ErrProbability},
		{"random sum above one", call + "party client:jenny answer=exp(3s) busy=0.5 fail=0.3 voicemail=30%\n" + doc, 2, scenarios.ErrProbability},
		{"random without answer", call + "party client:jenny busy=0.5\n" + doc, 2, scenarios.ErrSyntax},
		{"random bad distribution", call + "party client:jenny answer=uniform(8s,2s)\n" + doc, 2, scenarios.ErrDist},
		{"random unknown distribution", call + "party client:jenny answer=normal(8s,2s)\n" + doc, 2, scenarios.ErrDist},
		{"random bad voicemail time", call + "party client:jenny answer=exp(3s) voicemail=0.2@soon\n" + doc, 2, scenarios.ErrDist},
		{"random bad talk", call + "party client:jenny answer=exp(3s) talk=uniform(1s,x)\n" + doc, 2, scenarios.ErrDist},
		{"random talk without value", call + "party client:jenny answer=exp(3s) talk\n" + doc, 2, scenarios.ErrDist},
		{"random hangup", call + "party client:jenny answer=exp(3s) hangup=5s\n" + doc, 2, scenarios.ErrBehaviour},
		{"random twice", call + "party client:jenny answer=exp(3s) busy=0.1 busy=0.2\n" + doc, 2, scenarios.ErrDuplicate},
		{"unclosed parenthesis", call + "party client:jenny answer=exp(3s\n" + doc, 2, scenarios.ErrSyntax},
		{"unbalanced parenthesis", call + "party client:jenny answer=exp3s)\n" + doc, 2, scenarios.ErrSyntax},
		{"caller unknown action", call + "caller dance\n" + doc, 2, scenarios.ErrBehaviour},
		{"caller bad keys", call + "caller press=abc\n" + doc, 2, scenarios.ErrKeys},
		{"caller bad hangup", call + "caller hangup=later\n" + doc, 2, scenarios.ErrDuration},
		{"caller hangup twice", call + "caller hangup=1s hangup=2s\n" + doc, 2, scenarios.ErrDuplicate},
		{"caller twice", call + "caller press=1\ncaller press=2\n" + doc, 3, scenarios.ErrDuplicate},
		{"policy unknown", call + "policy first-ring\n" + doc, 2, scenarios.ErrPolicy},
		{"policy missing", call + "policy\n" + doc, 2, scenarios.ErrSyntax},
		{"policy twice", call + "policy first-answer\npolicy first-accept\n" + doc, 3, scenarios.ErrDuplicate},
		{"token with spaces", call + "token a b\n" + doc, 2, scenarios.ErrSyntax},
		{"app not a url", call + "app localhost:8080\n", 2, scenarios.ErrSyntax},
		{"app with documents", call + "app http://localhost:8080\n" + doc, 3, scenarios.ErrContradiction},
		{"seed not a number", call + "seed -1\n" + doc, 2, scenarios.ErrSyntax},
		{"file not a path", call + doc + "-- voice.xml --\n<Response/>\n", 4, scenarios.ErrFileName},
		{"file with a query", call + doc + "-- /voice?x=1 --\n<Response/>\n", 4, scenarios.ErrFileName},
		{"duplicate file", call + doc + "\n-- /voice --\n<Response/>\n", 5, scenarios.ErrDuplicate},
		{"duplicate want", call + doc + "-- want --\n-- want --\n", 5, scenarios.ErrDuplicate},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenarios.Parse("bad.txt", []byte(tt.in))
			var e *scenarios.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse = %+v, %v; want a *scenarios.Error", s, err)
			}
			if e.File != "bad.txt" || e.Line != tt.line {
				t.Errorf("error at %s:%d, want bad.txt:%d (%v)", e.File, e.Line, tt.line, err)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %q is not %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), e.File+":") {
				t.Errorf("error %q does not start with file:line", err)
			}
		})
	}
}

// TestParseAddresses checks that scenario files take the addresses that
// TwiML dials, by twiml's one rule: a client name of up to 256 characters
// (not bytes), a phone number in E.164 form.
func TestParseAddresses(t *testing.T) {
	for _, addr := range []string{
		"client:" + strings.Repeat("é", 200),
		"client:" + strings.Repeat("é", 256),
		"client:" + strings.Repeat("a", 256),
		"+15550001111",
		"+442079460958",
	} {
		in := "call from=+15550001111 to=" + addr + " url=/voice\nparty " + addr + " answer=1s\n-- /voice --\n<Response/>\n"
		s, err := scenarios.Parse("ok.txt", []byte(in))
		if err != nil {
			t.Errorf("Parse with address %.20q...: %v", addr, err)
			continue
		}
		if s.Call.To != addr || s.Parties[0].Addr != addr {
			t.Errorf("Parse with address %.20q...: call to %.20q, party %.20q", addr, s.Call.To, s.Parties[0].Addr)
		}
		if err := twiml.ValidAddress(addr); err != nil {
			t.Errorf("twiml.ValidAddress(%.20q...) = %v, but scenarios accept it", addr, err)
		}
	}
}

func TestWithWant(t *testing.T) {
	const head = "call from=+15550001111 to=+15550002222 url=/voice\n"
	const transcript = "0.000 call\n1.000 hangup\n"
	for _, tt := range []struct {
		name, in, want string
	}{
		{
			name: "replace",
			in:   head + "-- /voice --\n<Response/>\n-- want --\nold\nlines\n",
			want: head + "-- /voice --\n<Response/>\n-- want --\n" + transcript,
		},
		{
			name: "replace in the middle",
			in:   head + "-- want --\nold\n--   /voice   --\r\n<Response/>",
			want: head + "-- want --\n" + transcript + "--   /voice   --\r\n<Response/>",
		},
		{
			name: "replace an empty want at the end without newline",
			in:   head + "-- /voice --\n<Response/>\n--  want  --",
			want: head + "-- /voice --\n<Response/>\n--  want  --\n" + transcript,
		},
		{
			name: "replace a last want without newline",
			in:   head + "-- /voice --\n<Response/>\n-- want --\r\nold",
			want: head + "-- /voice --\n<Response/>\n-- want --\r\n" + transcript,
		},
		{
			name: "append",
			in:   head + "-- /voice --\n<Response/>\n",
			want: head + "-- /voice --\n<Response/>\n-- want --\n" + transcript,
		},
		{
			name: "append after a last line without newline",
			in:   head + "-- /voice --\n<Response/>",
			want: head + "-- /voice --\n<Response/>\n-- want --\n" + transcript,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenarios.Parse("test.txt", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			// A transcript without its final newline, in a slice with
			// spare capacity that WithWant must not write into.
			buf := make([]byte, 0, 100)
			buf = append(buf, transcript[:len(transcript)-1]...)
			got := s.WithWant(buf)
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("WithWant (-want +got):\n%s", diff)
			}
			if buf[:cap(buf)][len(buf)] != 0 {
				t.Errorf("WithWant wrote into the transcript's spare capacity")
			}
			again, err := scenarios.Parse("test.txt", got)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(transcript, string(again.Want)); diff != "" {
				t.Errorf("want file after WithWant (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(s.Docs, again.Docs); diff != "" {
				t.Errorf("documents changed (-before +after):\n%s", diff)
			}
		})
	}
}

func TestParseKeepsNoReferenceToInput(t *testing.T) {
	in := []byte(simulring)
	s, err := scenarios.Parse("test.txt", in)
	if err != nil {
		t.Fatal(err)
	}
	clear(in)
	if !bytes.HasPrefix(s.Docs["/voice"], []byte("<Response>")) || !bytes.Equal(s.WithWant(s.Want), []byte(simulring)) {
		t.Errorf("the scenario changed with its input")
	}
}

func TestParseFile(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.txt"), filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(good, []byte(simulring), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("call from=x to=y url=/z\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	s, err := scenarios.ParseFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != good || len(s.Parties) != 3 {
		t.Errorf("ParseFile(%q): Name %q, %d parties; want the path and 3 parties", good, s.Name, len(s.Parties))
	}
	var e *scenarios.Error
	if _, err := scenarios.ParseFile(bad); !errors.As(err, &e) || e.File != bad || e.Line != 1 {
		t.Errorf("ParseFile(%q) = %v, want an error at %s:1", bad, err, bad)
	}
	if _, err := scenarios.ParseFile(filepath.Join(dir, "missing.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ParseFile of a missing file = %v, want os.ErrNotExist", err)
	}
}

func TestPartySpecDraw(t *testing.T) {
	s, err := scenarios.Parse("test.txt", []byte(`call from=+15550001111 to=+15550002222 url=/voice
party client:jenny answer=3s
party client:tommy answer=uniform(2s,8s) voicemail=0.5
-- /voice --
<Response/>
`))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Random() {
		t.Errorf("Random() = false for a scenario with a random party")
	}
	jenny, tommy := s.Parties[0], s.Parties[1]
	rng, ref := fake.NewRand(1, 2), fake.NewRand(1, 2)
	if diff := cmp.Diff(*jenny.Scripted, jenny.Draw(rng)); diff != "" {
		t.Errorf("scripted Draw (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(tommy.Random.Draw(ref), tommy.Draw(rng)); diff != "" {
		t.Errorf("random Draw (-want +got):\n%s (a scripted party must take no values)", diff)
	}

	plain, err := scenarios.Parse("test.txt", []byte(simulring))
	if err != nil {
		t.Fatal(err)
	}
	if plain.Random() {
		t.Errorf("Random() = true for a scenario without random parties")
	}
}

// TestReference checks that the package comment and Reference tell the
// same, and that the examples in them parse.
func TestReference(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	text := f.Doc.Text()
	_, text, ok := strings.Cut(text, "\n# ")
	if !ok {
		t.Fatal("package comment has no heading")
	}
	var lines []string
	for line := range strings.Lines("# " + text) {
		lines = append(lines, strings.TrimPrefix(line, "# "))
	}
	if diff := cmp.Diff(scenarios.Reference, strings.Join(lines, "")); diff != "" {
		t.Errorf("Reference and the package comment differ (-Reference +comment):\n%s", diff)
	}

	// The first example is a whole file.
	_, example, _ := strings.Cut(scenarios.Reference, "\n\n\t")
	example, _, _ = strings.Cut(example, "\n\n")
	example = strings.ReplaceAll("\t"+example+"\n", "\n\t", "\n")[1:]
	s, err := scenarios.Parse("reference", []byte(example))
	if err != nil {
		t.Fatalf("the reference's example: %v", err)
	}
	if len(s.Parties) != 3 || len(s.Description) != 2 || !s.HasWant {
		t.Errorf("the reference's example gave %+v", s)
	}

	// And every party line, and every caller line, parses.
	for line := range strings.Lines(scenarios.Reference) {
		if !strings.HasPrefix(line, "\tparty client:") && !strings.HasPrefix(line, "\tparty +") && !strings.HasPrefix(line, "\tcaller record=") {
			continue
		}
		in := "call from=+15550001111 to=+15550002222 url=/voice\n" + line[1:] + "-- /voice --\n"
		if _, err := scenarios.Parse("reference", []byte(in)); err != nil {
			t.Errorf("the reference's %q: %v", line[1:], err)
		}
	}
}

func ExampleParse() {
	s, err := scenarios.Parse("screening.txt", []byte(`# jenny's voicemail picks up fast; tommy presses 1 to take the call.
call from=+15550001111 to=+15550002222 url=/voice
party client:jenny answer=2s voicemail
party client:tommy answer=5s press=1@1s talk=1m
policy first-accept
-- /voice --
<Response>
  <Dial><Client url="/screen">jenny</Client><Client url="/screen">tommy</Client></Dial>
</Response>
-- /screen --
<Response><Gather numDigits="1"><Say>Press 1 to take the call.</Say></Gather><Hangup/></Response>
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Description[0])
	fmt.Println(s.Call.From, "calls", s.Call.To, "with policy", s.Policy)
	for _, p := range s.Parties {
		fmt.Printf("%s: %v after %v, voicemail %t, presses %v\n",
			p.Addr, p.Scripted.Outcome, p.Scripted.After, p.Scripted.Voicemail, p.Scripted.Presses)
	}
	fmt.Println("/screen starts at line", s.DocLine["/screen"])

	_, err = scenarios.Parse("typo.txt", []byte("call from=+15550001111 to=+15550002222 url=/voice\nparty client:jenny answer=3s busy\n"))
	fmt.Println(err)
	// Output:
	// jenny's voicemail picks up fast; tommy presses 1 to take the call.
	// +15550001111 calls +15550002222 with policy first-accept
	// client:jenny: answer after 2s, voicemail true, presses []
	// client:tommy: answer after 5s, voicemail false, presses [1@1s]
	// /screen starts at line 11
	// typo.txt:2: party client:jenny: answer=3s and busy: contradictory settings
}

func ExampleScenario_WithWant() {
	s, err := scenarios.Parse("hello.txt", []byte(`call from=+15550001111 to=+15550002222 url=/voice
-- /voice --
<Response><Say>Hello</Say></Response>
-- want --
(outdated)
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(s.WithWant([]byte("(the transcript of this run)")))
	// Output:
	// call from=+15550001111 to=+15550002222 url=/voice
	// -- /voice --
	// <Response><Say>Hello</Say></Response>
	// -- want --
	// (the transcript of this run)
}
