package main

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/signature"
)

// ringHeader is the ring scenario without its documents: it runs against
// an application given from outside.
var ringHeader, _, _ = strings.Cut(ring, "-- /voice --")

// ringDocs serves the ring scenario's documents.
var ringDocs = engine.Documents{
	"/voice":   `<Response><Dial action="/after"><Client url="/whisper">jenny</Client></Dial></Response>`,
	"/whisper": `<Response><Hangup/></Response>`,
	"/after":   `<Response/>`,
}

// deadURL returns the URL of a server that is no longer running.
func deadURL(t *testing.T) string {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// TestUnreachableApp checks that an application that is not running
// fails the run with a hint, and that --update records nothing.
func TestUnreachableApp(t *testing.T) {
	dead := deadURL(t)
	for _, args := range [][]string{
		{"test", "--app", dead, "a.txt"},
		{"test", "--update", "--app", dead, "a.txt"},
		{"test", "--update", "--json", "--app", dead, "a.txt"},
		{"run", "--app", dead, "a.txt"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			writeFiles(t, "a.txt", ringHeader)
			stdout, stderr, status := runCLI(t, "", args...)
			if status != exitUsage {
				t.Errorf("exit status %d, want %d", status, exitUsage)
			}
			hint := "is your app running at " + dead + "?"
			if !strings.Contains(stderr, hint) && !strings.Contains(stdout, strings.ReplaceAll(hint, " ", " ")) {
				t.Errorf("stdout:\n%s\nstderr:\n%s\nwant the hint %q", stdout, stderr, hint)
			}
			if data, _ := os.ReadFile("a.txt"); string(data) != ringHeader {
				t.Errorf("a.txt changed:\n%s", data)
			}
		})
	}
}

// TestRunExitStatus checks that dialsim run exits 1 after an error-level
// diagnostic, and 0 after warnings only.
func TestRunExitStatus(t *testing.T) {
	tests := []struct {
		name, doc  string
		wantStatus int
	}{
		{"clean", `<Response><Say>hi</Say></Response>`, exitOK},
		{"a warning", `<Response><Dial><Number>12</Number><Client>a</Client></Dial></Response>`, exitOK},
		{"an error", `<Response><Say>unclosed</Response>`, exitFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFiles(t, "a.txt", "call from=+15550001111 to=+15550002222 url=/voice\n-- /voice --\n"+tt.doc+"\n")
			stdout, stderr, status := runCLI(t, "", "run", "a.txt")
			if status != tt.wantStatus {
				t.Errorf("exit status %d, want %d; stdout:\n%s\nstderr:\n%s", status, tt.wantStatus, stdout, stderr)
			}
			if saysSo := strings.Contains(stderr, "error-level diagnostic"); saysSo != (tt.wantStatus == exitFailed) {
				t.Errorf("stderr %q: want it to name the error diagnostic exactly when the status is 1", stderr)
			}
		})
	}
}

// TestAppAndToken checks where the application and its token come from:
// --app over $DIALSIM_APP over the file's app line; --token over the
// file's token line over $TWILIO_AUTH_TOKEN. A wrong token gives a hint.
func TestAppAndToken(t *testing.T) {
	open := httptest.NewServer(ringDocs)
	defer open.Close()
	signed := httptest.NewServer(signature.Handler("right", ringDocs))
	defer signed.Close()
	want := transcript(t, "a.txt", ring, scenarios.RunOptions{})
	tokenHint := "the app answered 403 to a signed request: the auth token"
	tests := []struct {
		name       string
		file       string
		env        map[string]string
		args       []string
		wantOut    bool   // stdout is the ring transcript
		wantStatus int    // of dialsim run
		wantErr    string // in stderr
	}{
		{name: "--app, no documents", file: ringHeader, args: []string{"--app", open.URL}, wantOut: true},
		{name: "$DIALSIM_APP", file: ringHeader, env: map[string]string{envApp: open.URL}, wantOut: true},
		{name: "--app over $DIALSIM_APP", file: ringHeader, env: map[string]string{envApp: "http://wrong.invalid"}, args: []string{"--app", open.URL}, wantOut: true},
		{name: "--app over the app line", file: "app http://wrong.invalid\n" + ringHeader, args: []string{"--app", open.URL}, wantOut: true},
		{name: "no app at all", file: ringHeader, wantStatus: exitUsage, wantErr: "no documents and no app"},
		{name: "--token", file: ringHeader, args: []string{"--app", signed.URL, "--token", "right"}, wantOut: true},
		{name: "--token over the file's", file: "token wrong\n" + ringHeader, args: []string{"--app", signed.URL, "--token", "right"}, wantOut: true},
		{name: "$TWILIO_AUTH_TOKEN", file: ringHeader, env: map[string]string{envToken: "right"}, args: []string{"--app", signed.URL}, wantOut: true},
		{name: "the file's token over $TWILIO_AUTH_TOKEN", file: "token right\n" + ringHeader, env: map[string]string{envToken: "wrong"}, args: []string{"--app", signed.URL}, wantOut: true},
		{name: "a wrong token", file: "token wrong\n" + ringHeader, args: []string{"--app", signed.URL}, wantStatus: exitFailed, wantErr: tokenHint},
		{name: "no token", file: ringHeader, args: []string{"--app", signed.URL}, wantStatus: exitFailed, wantErr: "error-level diagnostic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(envApp, "")
			t.Setenv(envToken, "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			writeFiles(t, "a.txt", tt.file)
			stdout, stderr, status := runCLI(t, "", append([]string{"run", "a.txt"}, tt.args...)...)
			if status != tt.wantStatus {
				t.Errorf("exit status %d, want %d; stderr:\n%s", status, tt.wantStatus, stderr)
			}
			if tt.wantOut {
				if diff := cmp.Diff(want, stdout); diff != "" {
					t.Errorf("stdout (-want +got):\n%s", diff)
				}
			}
			if tt.wantErr == "" && stderr != "" || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("stderr %q, want %q", stderr, tt.wantErr)
			}
			if tt.name == "no token" && strings.Contains(stderr, tokenHint) {
				t.Errorf("stderr %q: the token hint without a token", stderr)
			}
		})
	}
}

// writeSuite writes n scenarios s/a0.txt, s/a1.txt... into a new working
// directory, each with its want file, the first bad ones stale, and
// returns their names.
func writeSuite(t *testing.T, n, bad int) []string {
	t.Helper()
	var files, names []string
	for i := range n {
		name := string(rune('a'+i/10)) + string(rune('0'+i%10))
		text := ring + "-- want --\n" + transcript(t, name+".txt", ring, scenarios.RunOptions{})
		if i < bad {
			text = strings.Replace(text, "CallDuration=0", "CallDuration=1", 1)
		}
		files = append(files, "s/"+name+".txt", text)
		names = append(names, name)
	}
	writeFiles(t, files...)
	return names
}

// TestTestJSON checks --json: one object a scenario, in file order.
func TestTestJSON(t *testing.T) {
	writeSuite(t, 3, 1)
	if err := os.WriteFile("s/c0.txt", []byte("call from=+1 to=+15550002222 url=/voice\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, status := runCLI(t, "", "test", "--json", "s")
	if status != exitUsage || stderr != "" {
		t.Errorf("exit status %d, want %d; stderr:\n%s", status, exitUsage, stderr)
	}
	type line struct {
		Name, File, Status, Diff, Error string
		Seconds                         *float64
	}
	var got []line
	sc := bufio.NewScanner(strings.NewReader(stdout))
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil || l.Seconds == nil || *l.Seconds < 0 {
			t.Fatalf("line %q: want a JSON object with seconds (%v)", sc.Text(), err)
		}
		l.Seconds = nil
		if l.Diff != "" && !strings.Contains(l.Diff, "+++ got") {
			t.Errorf("%s: diff %q, want a unified diff", l.Name, l.Diff)
		}
		l.Diff = strings.Repeat("diff", min(len(l.Diff), 1))
		if l.Error != "" && !strings.HasPrefix(l.Error, "s/c0.txt:1: ") {
			t.Errorf("%s: error %q, want the scenario's position", l.Name, l.Error)
		}
		l.Error = strings.Repeat("error", min(len(l.Error), 1))
		got = append(got, l)
	}
	want := []line{
		{Name: "a0", File: "s/a0.txt", Status: "fail", Diff: "diff"},
		{Name: "a1", File: "s/a1.txt", Status: "pass"},
		{Name: "a2", File: "s/a2.txt", Status: "pass"},
		{Name: "c0", File: "s/c0.txt", Status: "error", Error: "error"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON lines (-want +got):\n%s\nstdout:\n%s", diff, stdout)
	}
}

// TestTestJUnit checks the --junit report: one testcase a scenario, the
// diff as a failure's text, an error as an error, in file order.
func TestTestJUnit(t *testing.T) {
	writeSuite(t, 3, 1)
	if err := os.WriteFile("s/c0.txt", []byte("call from=+1 to=+15550002222 url=/voice\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	_, stderr, status := runCLI(t, "", "test", "--junit", "report.xml", "s")
	if status != exitUsage {
		t.Errorf("exit status %d, want %d; stderr:\n%s", status, exitUsage, stderr)
	}
	data, err := os.ReadFile("report.xml")
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string  `xml:"name,attr"`
				Time    float64 `xml:"time,attr"`
				Failure *struct {
					Text string `xml:",chardata"`
				} `xml:"failure"`
				Error *struct {
					Message string `xml:"message,attr"`
				} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &report); err != nil {
		t.Fatalf("report.xml: %v\n%s", err, data)
	}
	if report.Tests != 4 || report.Failures != 1 || report.Errors != 1 || len(report.Suites) != 1 || report.Suites[0].Name != "s" {
		t.Fatalf("report.xml: %d tests, %d failures, %d errors; want 4, 1, 1 in suite s:\n%s", report.Tests, report.Failures, report.Errors, data)
	}
	var names []string
	for _, c := range report.Suites[0].Cases {
		names = append(names, c.Name)
	}
	if diff := cmp.Diff([]string{"a0", "a1", "a2", "c0"}, names); diff != "" {
		t.Errorf("testcases (-want +got):\n%s", diff)
	}
	cases := report.Suites[0].Cases
	if f := cases[0].Failure; f == nil || !strings.Contains(f.Text, "-    2.000  leg.end") || !strings.Contains(f.Text, "CallDuration=1") {
		t.Errorf("a0's failure %+v: want the diff\n%s", f, data)
	}
	if cases[1].Failure != nil || cases[1].Error != nil {
		t.Errorf("a1 passed, but the report says otherwise:\n%s", data)
	}
	if e := cases[3].Error; e == nil || !strings.HasPrefix(e.Message, "s/c0.txt:1: ") {
		t.Errorf("c0's error %+v: want the scenario's error\n%s", e, data)
	}
}

// TestTestRun checks that -run selects scenarios by name.
func TestTestRun(t *testing.T) {
	writeSuite(t, 12, 1) // a0 fails
	tests := []struct {
		re   string
		want string
	}{
		{"b", "2 passed, 0 failed\n"},
		{"^a[12]$", "2 passed, 0 failed\n"},
		{"a0", "0 passed, 1 failed\n"},
		{"nothing", "0 passed, 0 failed\n"},
	}
	for _, tt := range tests {
		stdout, _, _ := runCLI(t, "", "test", "-run", tt.re, "s")
		if !strings.HasSuffix(stdout, tt.want) {
			t.Errorf("-run %s: stdout:\n%s\nwant it to end with %q", tt.re, stdout, tt.want)
		}
	}
	if _, stderr, status := runCLI(t, "", "test", "-run", "(", "s"); status != exitUsage || !strings.Contains(stderr, "-run") {
		t.Errorf("-run (: exit status %d, stderr %q; want a usage error", status, stderr)
	}
}

// rendezvous is an application whose first two calls' /voice requests
// each wait for the other's: the two scenarios must run at once.
type rendezvous struct {
	mu      sync.Mutex
	waiting chan struct{} // closed by the second arrival
	n       int
	docs    engine.Documents
}

func (a *rendezvous) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/voice" {
		a.mu.Lock()
		a.n++
		first := a.n == 1
		if a.n == 2 {
			close(a.waiting)
		}
		a.mu.Unlock()
		if first {
			select {
			case <-a.waiting:
			case <-r.Context().Done():
			case <-time.After(30 * time.Second): // a watchdog, not a pause: the test fails
				http.Error(w, "the other scenario never came", http.StatusServiceUnavailable)
				return
			}
		}
	}
	a.docs.ServeHTTP(w, r)
}

// TestTestParallel checks that -parallel runs scenarios at once, and
// prints their results in the order of the files whichever ends first.
func TestTestParallel(t *testing.T) {
	names := writeSuite(t, 4, 2)
	app := &rendezvous{waiting: make(chan struct{}), docs: ringDocs}
	srv := httptest.NewServer(app)
	defer srv.Close()
	stdout, stderr, status := runCLI(t, "", "test", "-parallel", "2", "--app", srv.URL, "s")
	if status != exitFailed {
		t.Errorf("exit status %d, want %d; stderr:\n%s", status, exitFailed, stderr)
	}
	i0, i1 := strings.Index(stdout, "FAIL s/"+names[0]+".txt\n"), strings.Index(stdout, "FAIL s/"+names[1]+".txt\n")
	if i0 < 0 || i1 < i0 || !strings.HasSuffix(stdout, "2 passed, 2 failed\n") {
		t.Errorf("stdout:\n%s\nwant a0 failed, then a1, then 2 passed, 2 failed", stdout)
	}
	serial, _, _ := runCLI(t, "", "test", "-parallel", "1", "s")
	if serial != stdout {
		t.Errorf("-parallel 1:\n%s\n-parallel 2:\n%s\nwant the same output", serial, stdout)
	}
	if out, _, _ := runCLI(t, "", "test", "s/a2.txt", "s", "s/a2.txt"); !strings.HasSuffix(out, "2 passed, 2 failed\n") {
		t.Errorf("a file given twice: stdout:\n%s\nwant each file tested once", out)
	}
	if _, _, status := runCLI(t, "", "test", "-parallel", "0", "s"); status != exitUsage {
		t.Errorf("-parallel 0: exit status %d, want %d", status, exitUsage)
	}
}
