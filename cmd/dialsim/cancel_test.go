package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/internal/leakcheck"
)

// interrupting is an application that plays Ctrl-C: a request for /hold
// cancels the command's context, then answers only when the request is
// abandoned, as an application that hangs does.
type interrupting struct {
	docs   engine.Documents
	cancel context.CancelFunc

	mu        sync.Mutex
	cancelled time.Time
}

func (a *interrupting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/hold" {
		a.docs.ServeHTTP(w, r)
		return
	}
	r.ParseForm() // the server sees the client go away once the body is read
	a.mu.Lock()
	a.cancelled = time.Now()
	a.cancel()
	a.mu.Unlock()
	<-r.Context().Done()
}

// A cancelled dialsim run or dialsim test (Ctrl-C: main cancels run's
// context) stops promptly, prints the transcript so far, exits with a
// non-zero status, rewrites no want file, and leaves nothing running.
func TestCancelCommand(t *testing.T) {
	const scenario = `# A call that the application holds forever.
call from=+15550001111 to=+15550002222 url=/voice
`
	docs := engine.Documents{
		"/voice": `<Response><Say>Please hold</Say><Redirect>/hold</Redirect></Response>`,
	}
	const want = "-- want --\n    0.000  call.start      -\n"
	tests := []struct {
		name string
		args []string
		// wantEvents are the kinds of the events printed, in order; nil
		// means no transcript.
		wantEvents []string
		json       bool
	}{
		{name: "run", args: []string{"run", "s.txt"},
			wantEvents: []string{"call.start", "request", "call.answered", "say", "redirect", "request", "call.end"}},
		{name: "run --json", args: []string{"run", "--json", "s.txt"}, json: true,
			wantEvents: []string{"call.start", "request", "call.answered", "say", "redirect", "request", "call.end"}},
		{name: "test", args: []string{"test", "s.txt", "t.txt"}},
		{name: "test --update", args: []string{"test", "--update", "s.txt", "t.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := leakcheck.Count()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			a := &interrupting{docs: docs, cancel: cancel}
			srv := httptest.NewServer(a)
			defer srv.Close()
			dir := t.TempDir()
			file := scenario + "app " + srv.URL + "\n" + want
			for _, name := range []string{"s.txt", "t.txt"} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(file), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			args := append([]string(nil), tt.args...)
			for i, arg := range args {
				if strings.HasSuffix(arg, ".txt") {
					args[i] = filepath.Join(dir, arg)
				}
			}

			var stdout, stderr bytes.Buffer
			type result struct {
				err error
				at  time.Time
			}
			done := make(chan result, 1)
			go func() {
				err := run(ctx, args, strings.NewReader(""), &stdout, &stderr)
				done <- result{err, time.Now()}
			}()
			watchdog := time.NewTimer(time.Minute)
			defer watchdog.Stop()
			var r result
			select {
			case r = <-done:
			case <-watchdog.C:
				buf := make([]byte, 1<<20)
				t.Fatalf("run has not returned a minute after the cancellation:\n%s", buf[:runtime.Stack(buf, true)])
			}
			srv.Close()

			a.mu.Lock()
			cancelled := a.cancelled
			a.mu.Unlock()
			if cancelled.IsZero() {
				t.Fatalf("the application was never asked for /hold; stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
			}
			if took := r.at.Sub(cancelled); took > 5*time.Second {
				t.Errorf("run returned %v after the cancellation", took.Round(time.Millisecond))
			}
			if code := exitCode(r.err, &stderr); code == exitOK { // as main does
				t.Errorf("run returned %v: want a non-zero exit status", r.err)
			}
			if stderr.Len() == 0 {
				t.Error("nothing on stderr: want the cancellation reported")
			}
			if got := eventKinds(t, stdout.String(), tt.json); tt.wantEvents != nil && strings.Join(got, " ") != strings.Join(tt.wantEvents, " ") {
				t.Errorf("printed events %v, want %v; stdout:\n%s", got, tt.wantEvents, &stdout)
			}
			for _, name := range []string{"s.txt", "t.txt"} {
				if data, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(data) != file {
					t.Errorf("%s changed (err %v):\n%s", name, err, data)
				}
			}
			if n := leakcheck.Settle(base); n > base {
				buf := make([]byte, 1<<20)
				t.Errorf("%d goroutines after run, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
			}
		})
	}
}

// eventKinds returns the kind of each transcript line of out, text or
// JSON lines; other lines (such as "N passed") are skipped.
func eventKinds(t *testing.T, out string, isJSON bool) []string {
	t.Helper()
	var kinds []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if isJSON {
			var ev struct{ Kind string }
			if err := json.Unmarshal([]byte(line), &ev); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			kinds = append(kinds, ev.Kind)
			continue
		}
		if f := strings.Fields(line); len(f) >= 2 && strings.Contains(f[0], ".") {
			kinds = append(kinds, f[1])
		}
	}
	return kinds
}
