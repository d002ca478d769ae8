package scenarios_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/signature"
)

// screening is a press-1 screening race between a voicemail that answers
// first and a person who answers later: which wins depends on the policy.
const screening = `# Screening against voicemail.
call from=+15550001111 to=+15550002222 url=/voice
party +14155550100 answer=2s voicemail
party client:jenny answer=5s press=1 talk=10s
-- /voice --
<Response>
  <Dial>
    <Number url="/screen">+14155550100</Number>
    <Client url="/screen">jenny</Client>
  </Dial>
</Response>
-- /screen --
<Response>
  <Gather numDigits="1" timeout="3" action="/accept"><Say>Press 1</Say></Gather>
  <Hangup/>
</Response>
-- /accept --
<Response/>
`

// random has a party that draws its behaviour from the seed.
const random = `call from=+15550001111 to=+15550002222 url=/voice
seed 7
party client:jenny answer=uniform(1s,20s) busy=0.3 talk=exp(30s)
-- /voice --
<Response><Dial timeout="10"><Client>jenny</Client></Dial></Response>
`

func parse(t *testing.T, text string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Parse("test.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// dialOutcome is what a test compares of a call: its status and the
// outcome of its first Dial.
type dialOutcome struct {
	Status, DialStatus, To string
	Bridged                bool
}

func outcome(res *engine.Result) dialOutcome {
	o := dialOutcome{Status: res.Status}
	if len(res.Dials) > 0 {
		d := res.Dials[0]
		o.DialStatus, o.To, o.Bridged = d.Status, d.To, d.Bridged
	}
	return o
}

func TestRun(t *testing.T) {
	tests := []struct {
		name     string
		scenario string
		opts     scenarios.RunOptions
		want     dialOutcome
	}{
		{
			name:     "first-answer: the voicemail wins and declines",
			scenario: screening,
			want:     dialOutcome{Status: "completed", DialStatus: "completed"},
		},
		{
			name:     "policy option first-accept: jenny is bridged",
			scenario: screening,
			opts:     scenarios.RunOptions{Policy: new(engine.FirstAccept)},
			want:     dialOutcome{Status: "completed", DialStatus: "completed", To: "client:jenny", Bridged: true},
		},
		{
			name:     "policy directive first-accept",
			scenario: strings.Replace(screening, "party +1", "policy first-accept\nparty +1", 1),
			want:     dialOutcome{Status: "completed", DialStatus: "completed", To: "client:jenny", Bridged: true},
		},
		{
			name:     "policy option overrides the directive",
			scenario: strings.Replace(screening, "party +1", "policy first-accept\nparty +1", 1),
			opts:     scenarios.RunOptions{Policy: new(engine.FirstAnswer)},
			want:     dialOutcome{Status: "completed", DialStatus: "completed"},
		},
		{
			name: "realtime, with nothing to wait for",
			scenario: `call from=+15550001111 to=+15550002222 url=/voice
-- /voice --
<Response><Reject reason="busy"/></Response>
`,
			opts: scenarios.RunOptions{Realtime: true},
			want: dialOutcome{Status: "busy"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := scenarios.Run(context.Background(), parse(t, tt.scenario), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, outcome(res)); diff != "" {
				t.Errorf("outcome (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunRandom runs a scenario with a random party: each run of a series
// draws its own behaviour, and the same run gives the same transcript.
func TestRunRandom(t *testing.T) {
	s := parse(t, random)
	ctx := context.Background()
	outcomes := map[dialOutcome]bool{}
	for run := range uint64(20) {
		opts := scenarios.RunOptions{Run: run}
		first, err := scenarios.Run(ctx, s, opts)
		if err != nil {
			t.Fatal(err)
		}
		again, err := scenarios.Run(ctx, s, opts)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(scenarios.Transcript(first)), string(scenarios.Transcript(again))); diff != "" {
			t.Errorf("run %d twice (-first +second):\n%s", run, diff)
		}
		outcomes[outcome(first)] = true
	}
	if len(outcomes) < 3 {
		t.Errorf("20 runs gave %d outcomes, want busy, no-answer and completed: %v", len(outcomes), outcomes)
	}
}

// TestRunApp serves a scenario's documents from a running server: with the
// app option, or the app directive, the transcript is the one the
// embedded documents give.
func TestRunApp(t *testing.T) {
	embedded := parse(t, screening)
	docs := engine.Documents{}
	for path, doc := range embedded.Docs {
		docs[path] = string(doc)
	}
	srv := httptest.NewServer(docs)
	defer srv.Close()
	ctx := context.Background()
	res, err := scenarios.Run(ctx, embedded, scenarios.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := string(scenarios.Transcript(res))

	signed := httptest.NewServer(signature.Handler("right", docs))
	defer signed.Close()
	header, _, _ := strings.Cut(screening, "-- /voice --")
	for _, tt := range []struct {
		name     string
		scenario string
		opts     scenarios.RunOptions
	}{
		{"app option", screening, scenarios.RunOptions{BaseURL: srv.URL}},
		{"app option with a slash", screening, scenarios.RunOptions{BaseURL: srv.URL + "/"}},
		{"app directive", header + "app " + srv.URL + "\n", scenarios.RunOptions{}},
		{"app option, no documents", header, scenarios.RunOptions{BaseURL: srv.URL}},
		{"app option replaces the app directive", header + "app http://elsewhere.invalid\n", scenarios.RunOptions{BaseURL: srv.URL}},
		{"handler option", header, scenarios.RunOptions{Handler: docs}},
		{"handler option over the file's documents", strings.Replace(screening, "<Dial", "<Hangup/><Dial", 1), scenarios.RunOptions{Handler: docs}},
		{"token option over the file's", header + "token wrong\n", scenarios.RunOptions{BaseURL: signed.URL, Token: "right"}},
		{"token directive", header + "token right\n", scenarios.RunOptions{BaseURL: signed.URL}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := scenarios.Run(ctx, parse(t, tt.scenario), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, string(scenarios.Transcript(res))); diff != "" {
				t.Errorf("transcript (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name     string
		ctx      context.Context
		opts     scenarios.RunOptions
		want     error
		wantLine int    // of the *scenarios.Error, or 0 for none
		header   string // not empty: the screening scenario's header alone, without its documents
	}{
		{"bad policy option", context.Background(), scenarios.RunOptions{Policy: new(engine.Policy(7))}, scenarios.ErrPolicy, 0, ""},
		{"bad app option", context.Background(), scenarios.RunOptions{BaseURL: "ftp://example.com"}, scenarios.ErrSyntax, 0, ""},
		{"context canceled", canceled, scenarios.RunOptions{}, context.Canceled, 2, ""},
		{"no documents and no app", context.Background(), scenarios.RunOptions{}, scenarios.ErrMissingDoc, 2, "no documents"},
		{"an app that is not running", context.Background(), scenarios.RunOptions{BaseURL: "http://app.example.invalid"}, engine.ErrUnreachable, 2, ""},
	}
	header, _, _ := strings.Cut(screening, "-- /voice --")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := screening
			if tt.header != "" {
				text = header
			}
			_, err := scenarios.Run(tt.ctx, parse(t, text), tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Run: %v, want %v", err, tt.want)
			}
			var se *scenarios.Error
			gotLine := 0
			if errors.As(err, &se) {
				gotLine = se.Line
			}
			if gotLine != tt.wantLine {
				t.Errorf("Run: %v at line %d, want line %d", err, gotLine, tt.wantLine)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	s := parse(t, screening)
	res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	transcript := string(scenarios.Transcript(res))
	lines := strings.SplitAfter(transcript, "\n")
	header := fmt.Sprintf("--- test.txt:%d want", strings.Count(screening, "\n")+2)
	tests := []struct {
		name     string
		want     string // the want file, or "none"
		wantDiff string // "" for none, or the diff's first line
		wantErr  error
	}{
		{"equal", transcript, "", nil},
		{"no final newline", strings.TrimSuffix(transcript, "\n"), "", nil},
		{"different", strings.Join(lines[1:], ""), header, nil},
		{"empty", "", header, nil},
		{"no want file", "none", "", scenarios.ErrNoWant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := screening
			if tt.want != "none" {
				text += "-- want --\n" + tt.want
			}
			diff, err := scenarios.Check(context.Background(), parse(t, text), scenarios.RunOptions{})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Check: %v, want %v", err, tt.wantErr)
			}
			first, _, _ := strings.Cut(diff, "\n")
			if first != tt.wantDiff {
				t.Errorf("Check: diff starts %q, want %q; diff:\n%s", first, tt.wantDiff, diff)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name      string
		want, got string
		diff      string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"both empty", "", "", ""},
		{"final newline ignored", "a\nb", "a\nb\n", ""},
		{
			name: "one line changed",
			want: "a\nb\nc\n",
			got:  "a\nB\nc\n",
			diff: "--- want\n+++ got\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
		},
		{
			name: "added to empty",
			want: "",
			got:  "x\n",
			diff: "--- want\n+++ got\n@@ -0,0 +1 @@\n+x\n",
		},
		{
			name: "removed at the end",
			want: "1\n2\n3\n4\n5\n",
			got:  "1\n2\n3\n4\n",
			diff: "--- want\n+++ got\n@@ -2,4 +2,3 @@\n 2\n 3\n 4\n-5\n",
		},
		{
			name: "two hunks",
			want: "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			got:  "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n",
			diff: "--- want\n+++ got\n@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n@@ -9,4 +10,3 @@\n 9\n 10\n 11\n-12\n",
		},
		{
			name: "changes six lines apart share a hunk",
			want: "a\n1\n2\n3\n4\n5\n6\nb\n",
			got:  "A\n1\n2\n3\n4\n5\n6\nB\n",
			diff: "--- want\n+++ got\n@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n 3\n 4\n 5\n 6\n-b\n+B\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scenarios.Diff("want", []byte(tt.want), "got", []byte(tt.got))
			if diff := cmp.Diff(tt.diff, got); diff != "" {
				t.Errorf("Diff (-want +got):\n%s", diff)
			}
		})
	}
}
