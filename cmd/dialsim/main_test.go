package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// runCLI runs the command line in-process and returns its output and exit
// status.
func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	status = exitCode(err, &errOut)
	return out.String(), errOut.String(), status
}

// TestCheckDocuments checks each document of testdata/check.txtar and
// compares each output line, up to the code, with NAME.want.
func TestCheckDocuments(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/check.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range ar.Files {
		files[f.Name] = f.Data
	}
	dir := t.TempDir()
	t.Chdir(dir)
	for _, f := range ar.Files {
		name, ok := strings.CutSuffix(f.Name, ".xml")
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			want, ok := files[name+".want"]
			if !ok {
				t.Fatalf("no %s.want", name)
			}
			if err := os.WriteFile(f.Name, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"check", f.Name}
			if strings.HasPrefix(name, "13201-") {
				args = append(args, "--whisper")
			}
			stdout, stderr, status := runCLI(t, "", args...)
			var got []string
			for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
				if line == "" {
					continue
				}
				// FILE:LINE: LEVEL CODE message
				fields := strings.SplitN(line, " ", 4)
				if len(fields) < 4 {
					t.Fatalf("output line %q is not FILE:LINE: LEVEL CODE MESSAGE", line)
				}
				got = append(got, strings.Join(fields[:3], " "))
			}
			wantLines := strings.Fields(strings.ReplaceAll(string(want), " ", "_"))
			for i := range wantLines {
				wantLines[i] = strings.ReplaceAll(wantLines[i], "_", " ")
			}
			if diff := cmp.Diff(wantLines, got, cmpEmptyNil); diff != "" {
				t.Errorf("check output (-want +got):\n%s\nfull output:\n%s", diff, stdout)
			}
			wantStatus := 0
			if strings.Contains(string(want), "ERROR") {
				wantStatus = 1
			}
			if status != wantStatus || stderr != "" {
				t.Errorf("exit status %d, stderr %q; want %d and nothing", status, stderr, wantStatus)
			}
		})
	}
}

var cmpEmptyNil = cmp.Transformer("emptyNil", func(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
})

func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("good.xml", "<Response><Say>Hello</Say></Response>")
	warning := write("warning.xml", "<Response>\n<Pause length=\"x\"/>\n</Response>")
	broken := write("broken.xml", "<Response>\n<Say>Hello</Response>")
	big := write("big.xml", "<Response>"+strings.Repeat("<Say>Hello</Say>", 5000)+"</Response>")
	whisper := write("whisper.xml", "<Response><Dial>+14155551212</Dial></Response>")
	missing := filepath.Join(dir, "missing.xml")

	tests := []struct {
		name   string
		args   []string
		stdin  string
		status int
		stdout string // exact, unless "" and anyOut
		anyOut bool   // stdout is not checked exactly, only non-empty
		stderr bool   // stderr is expected to be non-empty
	}{
		{name: "no arguments", args: nil, status: 2, stderr: true},
		{name: "unknown command", args: []string{"frobnicate"}, status: 2, stderr: true},
		{name: "help", args: []string{"help"}, status: 0, anyOut: true},
		{name: "--help", args: []string{"--help"}, status: 0, anyOut: true},
		{name: "help check", args: []string{"help", "check"}, status: 0, anyOut: true},
		{name: "help unknown", args: []string{"help", "frobnicate"}, status: 2, stderr: true},
		{name: "check -h", args: []string{"check", "-h"}, status: 0, stderr: true},
		{name: "check bad flag", args: []string{"check", "--bogus", good}, status: 2, stderr: true},
		{name: "check no files", args: []string{"check"}, status: 2, stderr: true},
		{name: "check good", args: []string{"check", good}, status: 0},
		{name: "check warning", args: []string{"check", warning}, status: 0,
			stdout: warning + ":2: WARNING 13910 Pause: invalid length value \"x\": it must be a whole number of at least 1; using 1\n"},
		{name: "check warning strict", args: []string{"check", "--strict", warning}, status: 1, anyOut: true},
		{name: "check strict after files", args: []string{"check", good, warning, "--strict"}, status: 1, anyOut: true},
		{name: "check broken", args: []string{"check", good, broken}, status: 1,
			stdout: broken + ":2: ERROR 12100 not well-formed XML: element <Say> closed by </Response>\n"},
		{name: "check stdin", args: []string{"check", "-"}, stdin: "<Response><say>x</say></Response>", status: 0,
			stdout: "<stdin>:1: WARNING 12200 say: unknown element <say>: TwiML names are case-sensitive, did you mean <Say>? It is ignored\n"},
		{name: "check after --", args: []string{"check", "--", good}, status: 0},
		{name: "check missing file", args: []string{"check", missing, broken}, status: 2, anyOut: true, stderr: true},
		{name: "check over 64 KB", args: []string{"check", big}, status: 1,
			stdout: big + ":1: ERROR 11750 the document is 80021 bytes; Twilio reads at most 64 KB of TwiML\n"},
		{name: "check whisper", args: []string{"check", "--whisper", whisper}, status: 1, anyOut: true},
		{name: "check not whisper", args: []string{"check", whisper}, status: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, status := runCLI(t, tt.stdin, tt.args...)
			if status != tt.status {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", status, tt.status, stdout, stderr)
			}
			if tt.anyOut {
				if stdout == "" {
					t.Errorf("no output")
				}
			} else if diff := cmp.Diff(tt.stdout, stdout); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if (stderr != "") != tt.stderr {
				t.Errorf("stderr = %q, want output: %v", stderr, tt.stderr)
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		err    error
		status int
		output bool
	}{
		{nil, 0, false},
		{exitStatus(1), 1, false},
		{exitStatus(2), 2, false},
		{context.Canceled, 2, true},
	}
	for _, tt := range tests {
		var w bytes.Buffer
		if got := exitCode(tt.err, &w); got != tt.status || (w.Len() > 0) != tt.output {
			t.Errorf("exitCode(%v) = %d, printed %q; want %d, output %v", tt.err, got, w.String(), tt.status, tt.output)
		}
	}
	if got := exitCode(errors.Join(errors.New("x"), exitStatus(1)), &bytes.Buffer{}); got != 1 {
		t.Errorf("exitCode of a wrapped exitStatus(1) = %d, want 1", got)
	}
}

func TestCheckCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, []string{"check", "-"}, strings.NewReader("<Response/>"), &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("run with a canceled context = %v, want context.Canceled", err)
	}
}

// TestUnknownCommandSuggests checks that a mistyped command is answered
// with the nearest one, and a far one with none.
func TestUnknownCommandSuggests(t *testing.T) {
	tests := []struct{ arg, want string }{
		{"tset", "dialsim: unknown command \"tset\"; did you mean \"test\"?\nRun 'dialsim help' for usage.\n"},
		{"chekc", "dialsim: unknown command \"chekc\"; did you mean \"check\"?\nRun 'dialsim help' for usage.\n"},
		{"frobnicate", "dialsim: unknown command \"frobnicate\"\nRun 'dialsim help' for usage.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			_, stderr, status := runCLI(t, "", tt.arg)
			if status != 2 {
				t.Errorf("exit status %d, want 2", status)
			}
			if diff := cmp.Diff(tt.want, stderr); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckScenario checks that check reads a scenario file as its
// documents, each diagnostic at its line in the scenario file, and
// reports a scenario that does not parse at its file:line.
func TestCheckScenario(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	const call = "# A scenario.\ncall from=+15550001111 to=+15550002222 url=/voice\n"
	good := write("good.txt", call+"-- /voice --\n<Response><Dial><Client>a</Client></Dial></Response>\n")
	bad := write("bad.txt", call+"-- /next --\n<Response/>\n-- /voice --\n<Response>\n  <Dial>\n    <Client>jenny smith</Client>\n  </Dial>\n  <Pause length=\"x\"/>\n</Response>\n")
	broken := write("broken.txt", call+"-- /voice --\n<Response>\n<Say>Hello</Response>\n")
	unparsed := write("unparsed.txt", call+"parti client:a answer=1s\n-- /voice --\n<Response/>\n")
	tests := []struct {
		name   string
		args   []string
		status int
		stdout string
	}{
		{"good", []string{"check", good}, 0, ""},
		{"the simulring example", []string{"check", "../../scenarios/simulring.txt"}, 0, ""},
		{"errors at their lines", []string{"check", bad}, 1,
			bad + ":8: ERROR 31105 Dial->Client: invalid client name \"jenny smith\": spaces are not allowed; the client is not dialed\n" +
				bad + ":10: WARNING 13910 Pause: invalid length value \"x\": it must be a whole number of at least 1; using 1\n"},
		{"not well-formed", []string{"check", broken}, 1,
			broken + ":5: ERROR 12100 not well-formed XML: element <Say> closed by </Response>\n"},
		{"does not parse", []string{"check", unparsed}, 1,
			unparsed + ":3: unknown directive \"parti\"; did you mean \"party\"?\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, status := runCLI(t, "", tt.args...)
			if status != tt.status {
				t.Errorf("exit status %d, want %d\nstderr:\n%s", status, tt.status, stderr)
			}
			if diff := cmp.Diff(tt.stdout, stdout); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
		})
	}
}
