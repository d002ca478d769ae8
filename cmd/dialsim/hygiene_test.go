package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dialsim/dialsim/scenarios"
)

// shardJSON writes the JSON report of a one-shard series of ring, and
// returns its file name.
func shardJSON(t *testing.T) string {
	t.Helper()
	stdout, stderr, status := runCLI(t, "", "stats", "--runs", "3", "--json", "ring.txt")
	if status != 0 {
		t.Fatalf("stats --json: status %d: %s", status, stderr)
	}
	if err := os.WriteFile("r.json", []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	return "r.json"
}

// TestFullOutput: every command whose standard output cannot be written
// (here /dev/full, a disk that is always full) exits 2 and says so.
func TestFullOutput(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	defer full.Close()
	writeFiles(t, "ring.txt", ring+"-- want --\n"+transcript(t, "ring.txt", ring, scenarios.RunOptions{}), "voice.xml", "<Response><Unknown/></Response>")
	report := shardJSON(t)
	for _, args := range [][]string{
		{"test", "ring.txt"},
		{"check", "voice.xml"},
		{"run", "ring.txt"},
		{"run", "--json", "ring.txt"},
		{"stats", "--runs", "2", "ring.txt"},
		{"stats", "--runs", "2", "--json", "ring.txt"},
		{"stats", "merge", report},
		{"help"},
		{"help", "limits"},
	} {
		var stderr bytes.Buffer
		err := run(context.Background(), args, strings.NewReader(""), full, &stderr)
		if status := exitCode(err, &stderr); status != exitUsage || !strings.Contains(stderr.String(), "writing standard output") {
			t.Errorf("%v to /dev/full: status %d, stderr %q; want %d and the write's error", args, status, stderr.String(), exitUsage)
		}
	}
}

// TestOddInputs: a FIFO, a device, a directory and a file too large are
// refused at once with status 2; standard input is read up to the limit.
func TestOddInputs(t *testing.T) {
	dir := writeFiles(t, "ring.txt", ring)
	if err := syscall.Mkfifo("fifo.txt", 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("big.txt", bytes.Repeat([]byte("#\n"), maxScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	zero, err := os.Open("/dev/zero")
	if err != nil {
		t.Fatal(err)
	}
	defer zero.Close()
	for _, tt := range []struct {
		stdin *os.File
		args  []string
		want  string
	}{
		{nil, []string{"run", "fifo.txt"}, "a FIFO"},
		{nil, []string{"run", "/dev/zero"}, "a device"},
		{nil, []string{"run", dir}, "a directory"},
		{nil, []string{"run", "big.txt"}, "file too large"},
		{nil, []string{"test", "fifo.txt"}, "a FIFO"},
		{nil, []string{"test", "big.txt"}, "file too large"},
		{nil, []string{"stats", "fifo.txt"}, "a FIFO"},
		{nil, []string{"stats", "merge", "fifo.txt"}, "a FIFO"},
		{nil, []string{"stats", "merge", "/dev/zero"}, "a device"},
		{nil, []string{"check", "fifo.txt"}, "a FIFO"},
		{nil, []string{"check", "/dev/zero"}, "a device"},
		{zero, []string{"run", "-"}, "file too large"},
		{zero, []string{"stats", "merge", "-"}, "file too large"},
	} {
		done := make(chan struct{})
		var stdout, stderr bytes.Buffer
		var status int
		go func() {
			defer close(done)
			var err error
			if tt.stdin != nil {
				err = run(context.Background(), tt.args, tt.stdin, &stdout, &stderr)
			} else {
				err = run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr)
			}
			status = exitCode(err, &stderr)
		}()
		select {
		case <-done:
		case <-time.After(time.Minute): // a safety net, not a wait
			t.Fatalf("%v: still running after a minute", tt.args)
		}
		if status != exitUsage || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%v: status %d, stderr %q; want %d and %q", tt.args, status, stderr.String(), exitUsage, tt.want)
		}
	}
	// "check" gives a document over 64 KB on standard input ERROR 11750.
	stdout, _, status := runCLI(t, strings.Repeat(" ", maxTwiML+1), "check", "-")
	if status != exitFailed || !strings.Contains(stdout, "<stdin>:1: ERROR 11750") {
		t.Errorf("check - of 64 KB + 1: status %d, stdout %q", status, stdout)
	}
}

// TestInterruptDuringRead: cancelling the context (Ctrl-C) ends a command
// that waits for standard input.
func TestInterruptDuringRead(t *testing.T) {
	for _, args := range [][]string{{"run", "-"}, {"check", "-"}, {"stats", "merge", "-"}} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int, 1)
		var stderr bytes.Buffer
		go func() {
			err := run(ctx, args, r, &bytes.Buffer{}, &stderr)
			done <- exitCode(err, &stderr)
		}()
		cancel()
		select {
		case status := <-done:
			if status == 0 || !strings.Contains(stderr.String(), "context canceled") {
				t.Errorf("%v interrupted: status %d, stderr %q", args, status, stderr.String())
			}
		case <-time.After(time.Minute): // a safety net, not a wait
			t.Fatalf("%v: still reading a minute after the interrupt", args)
		}
		w.Close() // ends the reading goroutine
		r.Close()
	}
}

// TestSIGINTDuringRead: the real dialsim (this test binary as main) ends
// on SIGINT while it waits for standard input, with status 2.
func TestSIGINTDuringRead(t *testing.T) {
	if os.Getenv("DIALSIM_MAIN") != "" {
		os.Args = append([]string{"dialsim"}, strings.Fields(os.Getenv("DIALSIM_MAIN"))...)
		listening = func() { os.NewFile(3, "ready").Write([]byte{1}) }
		main()
		return
	}
	stdin, keep, err := os.Pipe() // nothing is ever written to keep
	if err != nil {
		t.Fatal(err)
	}
	defer keep.Close()
	ready, readyW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer ready.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSIGINTDuringRead$")
	cmd.Env = append(os.Environ(), "DIALSIM_MAIN=run -")
	cmd.Stdin = stdin
	cmd.ExtraFiles = []*os.File{readyW}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stdin.Close()
	readyW.Close()
	if _, err := ready.Read(make([]byte, 1)); err != nil {
		cmd.Wait()
		t.Fatalf("the child never listened for SIGINT (%v)\n%s", err, stderr.String())
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitUsage || !strings.Contains(stderr.String(), "interrupt") {
			t.Errorf("after SIGINT: %v, want exit status %d and the interruption said\n%s", err, exitUsage, stderr.String())
		}
	case <-time.After(time.Minute): // a safety net, not a wait
		cmd.Process.Kill()
		<-exited
		t.Fatalf("still reading a minute after SIGINT\n%s", stderr.String())
	}
}

// TestSVGPath: --svg never overwrites an input, and stats checks it
// before the series.
func TestSVGPath(t *testing.T) {
	writeFiles(t, "ring.txt", ring)
	report := shardJSON(t)
	if err := os.Symlink("ring.txt", "link.svg"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", "--svg", "ring.txt", "ring.txt"},
		{"run", "--svg", "./ring.txt", "ring.txt"},
		{"run", "--svg", "link.svg", "ring.txt"},
		{"stats", "--runs", "2", "--svg", "ring.txt", "ring.txt"},
		{"stats", "merge", "--svg", report, report},
		{"stats", "--runs", "2", "--svg", "no/such/dir/h.svg", "ring.txt"},
		{"stats", "--runs", "2", "--svg", ".", "ring.txt"},
	} {
		stdout, stderr, status := runCLI(t, "", args...)
		if status != exitUsage || stdout != "" || !strings.Contains(stderr, "--svg") {
			t.Errorf("%v: status %d, stdout %q, stderr %q; want %d, nothing run", args, status, stdout, stderr, exitUsage)
		}
	}
	if got, _ := os.ReadFile("ring.txt"); string(got) != ring {
		t.Errorf("ring.txt changed:\n%s", got)
	}
	// An SVG that cannot be written after the series: the report is
	// printed, and the status is 2.
	if err := os.Mkdir("ro", 0o555); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 { // root writes anywhere
		stdout, stderr, status := runCLI(t, "", "stats", "--runs", "2", "--svg", "ro/h.svg", "ring.txt")
		if status != exitUsage || !strings.Contains(stdout, "calls     2") {
			t.Errorf("stats --svg ro/h.svg: status %d, stdout %q, stderr %q; want the report and %d", status, stdout, stderr, exitUsage)
		}
	}
}

// TestWorkersCapped: --workers is at most maxWorkers.
func TestWorkersCapped(t *testing.T) {
	writeFiles(t, "ring.txt", ring)
	_, stderr, status := runCLI(t, "", "stats", "--workers", "1000000", "ring.txt")
	if status != exitUsage || !strings.Contains(stderr, "at most 256") {
		t.Errorf("--workers 1000000: status %d, stderr %q", status, stderr)
	}
}

// TestNoSecrets: the user information of an app URL and the auth token
// appear nowhere in what dialsim prints or writes, and diagnostics name
// the path on the app, not where it listens.
func TestNoSecrets(t *testing.T) {
	const user, password, token = "ACuser", "hunter2pass", "tok3nSecret"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/voice":
			w.Header().Set("Content-Type", "text/xml")
			w.Write([]byte(`<Response><Redirect>/missing</Redirect></Response>`))
		default:
			http.Error(w, "no", http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	secretURL := strings.Replace(srv.URL, "://", "://"+user+":"+password+"@", 1)
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := strings.Replace(closed.URL, "://", "://"+user+":"+password+"@", 1)
	closed.Close() // nothing listens there any more
	scenario := "call from=+15550001111 to=+15550002222 url=/voice\napp " + secretURL + "\ntoken " + token + "\n"
	writeFiles(t, "app.txt", scenario, "bad.txt", scenario+"-- /voice --\n<Response/>\n")
	// label is for the messages: the command line with its secret hidden.
	label := func(args []string) string {
		return strings.NewReplacer(password, "PASSWORD", user, "USER", strings.TrimPrefix(closed.URL, "http://"), "HOST").Replace(strings.Join(args, " "))
	}
	var outputs, transcripts []string
	for _, args := range [][]string{
		{"run", "app.txt"},
		{"run", "--json", "app.txt"},
		{"test", "--update", "app.txt"},
		{"run", "--app", closedURL, "app.txt"},
		{"run", "--app", "htp://" + user + ":" + password + "@x", "app.txt"},
		{"run", "bad.txt"},
		{"stats", "--runs", "2", "app.txt"},
	} {
		stdout, stderr, _ := runCLI(t, "", args...)
		outputs = append(outputs, "dialsim "+label(args)+"\n"+stdout+stderr)
		if args[0] == "run" {
			transcripts = append(transcripts, "dialsim "+label(args)+"\n"+stdout)
		}
	}
	written, err := os.ReadFile("app.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimPrefix(string(written), scenario) // the want file --update wrote
	transcripts = append(transcripts, "want of app.txt\n"+want)
	for _, out := range append(outputs, transcripts...) {
		for _, secret := range []string{password, token, user + ":"} {
			if strings.Contains(out, secret) {
				t.Errorf("%q in the output of %s", secret, out)
			}
		}
	}
	// Transcripts and wants do not depend on where the app listens.
	for _, out := range transcripts {
		for _, host := range []string{strings.TrimPrefix(srv.URL, "http://"), strings.TrimPrefix(closed.URL, "http://")} {
			if strings.Contains(out, host) {
				t.Errorf("%q in the transcript of %s", host, out)
			}
		}
	}
	for _, want := range []string{
		"11217 HTTP error response code: /missing answered 500",
		"11205 HTTP connection failure: /voice: connect: connection refused",
	} {
		if !strings.Contains(strings.Join(outputs, "\n"), want) {
			t.Errorf("no diagnostic %q in the outputs:\n%s", want, strings.Join(outputs, "\n"))
		}
	}
}

// TestMergeCraftedReports: stats merge of reports whose counts were
// edited to wrap around refuses them (status 1, "malformed report")
// instead of printing figures that do not add up, or panicking.
func TestMergeCraftedReports(t *testing.T) {
	writeFiles(t, "ring.txt", ring)
	var names []string
	for i := range 2 {
		stdout, stderr, status := runCLI(t, "", "stats", "--runs", "4", "--shard", []string{"0/2", "1/2"}[i], "--json", "ring.txt")
		if status != 0 {
			t.Fatalf("stats: status %d: %s", status, stderr)
		}
		var r map[string]any
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatal(err)
		}
		const huge = 1<<63 - 1
		r["bridged"] = huge
		r["wins"] = map[string]any{"client:jenny": huge}
		r["connect_times"] = []any{map[string]any{"t": 2, "n": huge}}
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		name := []string{"a.json", "b.json"}[i]
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	stdout, stderr, status := runCLI(t, "", append([]string{"stats", "merge"}, names...)...)
	if status != exitFailed || !strings.Contains(stderr, "malformed report") || stdout != "" {
		t.Errorf("merge of crafted reports: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
}
