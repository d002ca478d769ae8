package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
)

// ring is a small scenario: jenny answers at 2 s and talks for 5 s.
const ring = `# Jenny answers.
call from=+15550001111 to=+15550002222 url=/voice
party client:jenny answer=2s talk=5s
-- /voice --
<Response>
  <Dial action="/after"><Client url="/whisper">jenny</Client></Dial>
</Response>
-- /whisper --
<Response><Hangup/></Response>
-- /after --
<Response/>
`

// transcript returns the text transcript of a scenario in a file called
// name (whose base name the SIDs derive from), as the package scenarios
// gives it.
func transcript(t *testing.T, name, text string, opts scenarios.RunOptions) string {
	t.Helper()
	s, err := scenarios.Parse(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	res, err := scenarios.Run(context.Background(), s, opts)
	if err != nil {
		t.Fatal(err)
	}
	return string(scenarios.Transcript(res))
}

// writeFiles writes name/content pairs into a new temporary directory and
// makes it the working directory.
func writeFiles(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	for i := 0; i < len(files); i += 2 {
		if err := os.MkdirAll(filepath.Dir(files[i]), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(files[i], []byte(files[i+1]), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRunCommand(t *testing.T) {
	plain := transcript(t, "ring.txt", ring, scenarios.RunOptions{})
	accept := strings.Replace(ring, "<Hangup/>", "", 1)
	tests := []struct {
		name       string
		stdin      string
		args       []string
		wantStatus int
		// check looks at the output; nil means stdout is the plain
		// transcript.
		check func(t *testing.T, stdout, stderr string)
	}{
		{name: "transcript", args: []string{"run", "ring.txt"}},
		{
			name: "standard input", stdin: ring, args: []string{"run", "-"},
			check: func(t *testing.T, stdout, _ string) {
				if diff := cmp.Diff(transcript(t, "<stdin>", ring, scenarios.RunOptions{}), stdout); diff != "" {
					t.Errorf("stdout (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "json after the file",
			args: []string{"run", "ring.txt", "--json"},
			check: func(t *testing.T, stdout, _ string) {
				var kinds []string
				sc := bufio.NewScanner(strings.NewReader(stdout))
				for sc.Scan() {
					var ev struct {
						T    *float64 `json:"t"`
						Kind string   `json:"kind"`
					}
					if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev.T == nil || ev.Kind == "" {
						t.Fatalf("line %q: want a JSON object with t and kind (%v)", sc.Text(), err)
					}
					kinds = append(kinds, ev.Kind)
				}
				if len(kinds) != strings.Count(plain, "\n") || kinds[len(kinds)-1] != "call.end" {
					t.Errorf("kinds %v: want one a transcript line, ending with call.end", kinds)
				}
			},
		},
		{
			name: "timeline",
			args: []string{"run", "--timeline", "ring.txt"},
			check: func(t *testing.T, stdout, _ string) {
				want := plain + "\n" +
					"+15550001111  |--------------------C|\n" +
					"client:jenny  |rrrrrrrrrrrrrrrrrrrrD|\n"
				if !strings.HasPrefix(stdout, want) {
					t.Errorf("stdout:\n%s\nwant it to start with:\n%s", stdout, want)
				}
			},
		},
		{
			name: "svg",
			args: []string{"run", "ring.txt", "--svg", "out.svg"},
			check: func(t *testing.T, stdout, _ string) {
				svg, err := os.ReadFile("out.svg")
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(string(svg), "<svg ") || !strings.Contains(string(svg), "Jenny answers") {
					t.Errorf("out.svg is not the titled picture:\n%s", svg)
				}
				if stdout != plain {
					t.Errorf("stdout:\n%s\nwant the transcript", stdout)
				}
			},
		},
		{
			name: "policy",
			args: []string{"run", "--policy", "first-accept", "accept.txt"},
			check: func(t *testing.T, stdout, _ string) {
				if want := transcript(t, "accept.txt", accept, scenarios.RunOptions{Policy: new(engine.FirstAccept)}); stdout != want {
					t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
				}
				if !strings.Contains(stdout, "Policy=first-accept") {
					t.Errorf("stdout does not run first-accept:\n%s", stdout)
				}
			},
		},
		{name: "no file", args: []string{"run"}, wantStatus: exitUsage, check: usageOnStderr},
		{name: "two files", args: []string{"run", "ring.txt", "ring.txt"}, wantStatus: exitUsage, check: usageOnStderr},
		{name: "bad policy", args: []string{"run", "ring.txt", "--policy", "last"}, wantStatus: exitUsage, check: usageOnStderr},
		{name: "bad app", args: []string{"run", "ring.txt", "--app", "localhost:8080"}, wantStatus: exitUsage, check: usageOnStderr},
		{name: "json and timeline", args: []string{"run", "ring.txt", "--json", "--timeline"}, wantStatus: exitUsage, check: usageOnStderr},
		{name: "unknown flag", args: []string{"run", "ring.txt", "--colour"}, wantStatus: exitUsage, check: usageOnStderr},
		{
			name: "missing file", args: []string{"run", "nope.txt"}, wantStatus: exitUsage,
			check: stderrHas("nope.txt"),
		},
		{
			name: "scenario error", args: []string{"run", "bad.txt"}, wantStatus: exitUsage,
			check: stderrHas("bad.txt:2: "),
		},
		{
			name: "svg not writable", args: []string{"run", "ring.txt", "--svg", "no/such/dir/x.svg"}, wantStatus: exitUsage,
			check: func(t *testing.T, stdout, stderr string) {
				if stdout != plain || !strings.Contains(stderr, "x.svg") {
					t.Errorf("stdout %q, stderr %q: want the transcript, then an error naming x.svg", stdout, stderr)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFiles(t, "ring.txt", ring, "accept.txt", accept, "bad.txt", "# Bad.\ncall from=nobody to=+15550002222 url=/voice\n")
			stdout, stderr, status := runCLI(t, tt.stdin, tt.args...)
			if status != tt.wantStatus {
				t.Errorf("exit status %d, want %d; stderr:\n%s", status, tt.wantStatus, stderr)
			}
			if tt.check == nil {
				if diff := cmp.Diff(plain, stdout); diff != "" {
					t.Errorf("stdout (-want +got):\n%s", diff)
				}
				if stderr != "" {
					t.Errorf("stderr: %s", stderr)
				}
				return
			}
			tt.check(t, stdout, stderr)
		})
	}
}

func usageOnStderr(t *testing.T, stdout, stderr string) {
	t.Helper()
	if stdout != "" || !strings.Contains(stderr, "usage: dialsim run") {
		t.Errorf("stdout %q, stderr %q: want the usage on stderr only", stdout, stderr)
	}
}

func stderrHas(s string) func(t *testing.T, stdout, stderr string) {
	return func(t *testing.T, stdout, stderr string) {
		t.Helper()
		if stdout != "" || !strings.Contains(stderr, s) {
			t.Errorf("stdout %q, stderr %q: want an error naming %s on stderr", stdout, stderr, s)
		}
	}
}

// TestRunCommandApp runs a scenario against a running application: the
// transcript is the one its embedded documents give.
func TestRunCommandApp(t *testing.T) {
	s, err := scenarios.Parse("ring.txt", []byte(ring))
	if err != nil {
		t.Fatal(err)
	}
	docs := engine.Documents{}
	for path, doc := range s.Docs {
		docs[path] = string(doc)
	}
	srv := httptest.NewServer(docs)
	defer srv.Close()
	writeFiles(t, "ring.txt", ring)
	stdout, stderr, status := runCLI(t, "", "run", "ring.txt", "--app", srv.URL)
	if status != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", status, stderr)
	}
	if diff := cmp.Diff(transcript(t, "ring.txt", ring, scenarios.RunOptions{}), stdout); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
}

func TestTestCommand(t *testing.T) {
	// good is the scenario with its want file, in a file called name.
	good := func(name string) string {
		return ring + "-- want --\n" + transcript(t, name, ring, scenarios.RunOptions{})
	}
	stale := func(name string) string {
		return strings.Replace(good(name), "CallDuration=0", "CallDuration=1", 1)
	}
	tests := []struct {
		name       string
		files      []string
		args       []string
		wantStatus int
		wantOut    []string // substrings of stdout, in order
		wantErr    string   // a substring of stderr; "" means stderr is empty
		wantFiles  []string // name/content pairs after the run
	}{
		{
			name:    "all pass",
			files:   []string{"s/a.txt", good("a.txt"), "s/sub/b.txt", good("b.txt"), "s/notes.md", "not a scenario"},
			args:    []string{"test", "s"},
			wantOut: []string{"2 passed, 0 failed\n"},
		},
		{
			name:       "one fails",
			files:      []string{"a.txt", good("a.txt"), "b.txt", stale("b.txt")},
			args:       []string{"test", "a.txt", "b.txt"},
			wantStatus: exitFailed,
			wantOut:    []string{"FAIL b.txt\n--- b.txt:13 want\n+++ got\n@@ ", "-", "CallDuration=1", "+", "CallDuration=0", "\n1 passed, 1 failed\n"},
		},
		{
			name:       "no want file",
			files:      []string{"a.txt", ring},
			args:       []string{"test", "a.txt"},
			wantStatus: exitFailed,
			wantOut:    []string{"FAIL a.txt: ", "0 passed, 1 failed\n"},
		},
		{
			name:      "update",
			files:     []string{"a.txt", stale("a.txt"), "b.txt", ring, "c.txt", good("c.txt")},
			args:      []string{"--update", "test", "a.txt", "b.txt", "c.txt"},
			wantOut:   []string{"updated a.txt\nupdated b.txt\n3 passed, 0 failed\n"},
			wantFiles: []string{"a.txt", good("a.txt"), "b.txt", good("b.txt"), "c.txt", good("c.txt")},
		},
		{
			name:       "missing path",
			files:      []string{"a.txt", good("a.txt")},
			args:       []string{"test", "a.txt", "nope"},
			wantStatus: exitUsage,
			wantOut:    []string{"1 passed, 0 failed\n"},
			wantErr:    "nope",
		},
		{
			name:       "scenario error",
			files:      []string{"a.txt", "call from=+1 to=+15550002222 url=/voice\n"},
			args:       []string{"test", "a.txt"},
			wantStatus: exitUsage,
			wantOut:    []string{"0 passed, 0 failed, 1 could not run\n"},
			wantErr:    "a.txt:1: ",
		},
		{
			name:       "no paths",
			args:       []string{"test"},
			wantStatus: exitUsage,
			wantErr:    "usage: dialsim test",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFiles(t, tt.files...)
			args := tt.args
			if args[0] == "--update" {
				args = append(args[1:], "--update")
			}
			stdout, stderr, status := runCLI(t, "", args...)
			if status != tt.wantStatus {
				t.Errorf("exit status %d, want %d; stderr:\n%s", status, tt.wantStatus, stderr)
			}
			rest := stdout
			for _, s := range tt.wantOut {
				i := strings.Index(rest, s)
				if i < 0 {
					t.Errorf("stdout:\n%s\nwant %q (in order)", stdout, s)
					break
				}
				rest = rest[i+len(s):]
			}
			if tt.wantErr == "" && stderr != "" || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("stderr %q, want %q", stderr, tt.wantErr)
			}
			for i := 0; i < len(tt.wantFiles); i += 2 {
				got, err := os.ReadFile(tt.wantFiles[i])
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.wantFiles[i+1], string(got)); diff != "" {
					t.Errorf("%s after the run (-want +got):\n%s", tt.wantFiles[i], diff)
				}
			}
		})
	}
}

// TestTestCommandShowcase runs "dialsim test" on the package's scenarios,
// as CI and the README do.
func TestTestCommandShowcase(t *testing.T) {
	stdout, stderr, status := runCLI(t, "", "test", "../../scenarios")
	if status != 0 || stderr != "" || !strings.HasSuffix(stdout, " passed, 0 failed\n") {
		t.Errorf("exit status %d, stdout:\n%s\nstderr:\n%s", status, stdout, stderr)
	}
}

func TestHelpScenario(t *testing.T) {
	stdout, stderr, status := runCLI(t, "", "help", "scenario")
	if status != 0 || stderr != "" {
		t.Fatalf("exit status %d, stderr %q", status, stderr)
	}
	if diff := cmp.Diff(scenarios.Reference, stdout); diff != "" {
		t.Errorf("help scenario (-want +got):\n%s", diff)
	}
}
