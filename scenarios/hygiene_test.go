package scenarios_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
)

// TestCRLFAndBOM: a scenario saved with CRLF line endings, or with a
// UTF-8 byte order mark, parses and passes as the same file with LF.
func TestCRLFAndBOM(t *testing.T) {
	s, err := scenarios.Parse("simulring.txt", []byte(simulring))
	if err != nil {
		t.Fatal(err)
	}
	res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lfFile := s.WithWant(scenarios.Transcript(res))
	crlf := bytes.ReplaceAll(lfFile, []byte("\n"), []byte("\r\n"))
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"LF", lfFile},
		{"CRLF", crlf},
		{"BOM", append([]byte("\ufeff"), lfFile...)},
		{"BOM and CRLF", append([]byte("\ufeff"), crlf...)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scenarios.Parse("simulring.txt", tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(s.Docs, got.Docs); diff != "" {
				t.Errorf("documents (-LF +%s):\n%s", tt.name, diff)
			}
			if diff := cmp.Diff(s.Description, got.Description); diff != "" {
				t.Errorf("description (-LF +%s):\n%s", tt.name, diff)
			}
			diff, err := scenarios.Check(context.Background(), got, scenarios.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if diff != "" {
				t.Errorf("Check of the %s file:\n%s", tt.name, diff)
			}
		})
	}
}

// TestParseFileRefuses: ParseFile reads regular files of at most
// MaxFileSize bytes only, and says so before reading anything else.
func TestParseFileRefuses(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.txt")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(big, bytes.Repeat([]byte("# x\n"), scenarios.MaxFileSize/4+1), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path string
		want error
	}{
		{fifo, scenarios.ErrNotRegular},
		{"/dev/zero", scenarios.ErrNotRegular},
		{dir, scenarios.ErrNotRegular},
		{big, scenarios.ErrTooLarge},
	} {
		done := make(chan error, 1)
		go func() {
			_, err := scenarios.ParseFile(tt.path)
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, tt.want) {
				t.Errorf("ParseFile(%s) = %v, want %v", tt.path, err, tt.want)
			}
		case <-time.After(10 * time.Second): // a safety net, not a wait
			t.Fatalf("ParseFile(%s) still reading after 10 s", tt.path)
		}
	}
}

// hostile are values an application controls (a Sip URI, a Say text, a
// URL, a digit string) that a transcript prints.
var hostile = []string{
	"", "-", "--", "-- want --", "sip:a@b.test\n-- want --", "\n-- /voice --\n<Response/>",
	"a b", `"quoted"`, "k=v", "\r", "\x00", "tab\there", "`", "\ufeff", "\xff\xfe",
	"#comment", "-- x --\r\n", "é", "\u2028", "\\n", "a\n\n",
}

// TestTranscriptCannotForge: any transcript, whatever its legs and
// values, written into a want parses back to the same want, and each of
// its events is one line.
func TestTranscriptCannotForge(t *testing.T) {
	s, err := scenarios.Parse("simulring.txt", []byte(simulring))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	value := func() string {
		if rng.IntN(2) == 0 {
			return hostile[rng.IntN(len(hostile))]
		}
		b := make([]byte, rng.IntN(12))
		for i := range b {
			const chars = "-\n\r \"=ab#\x00\xff"
			b[i] = chars[rng.IntN(len(chars))]
		}
		return string(b)
	}
	n := 5000
	if testing.Short() {
		n = 500 // go test -short stays fast; the full run takes them all
	}
	for i := range n {
		var events []engine.Event
		for range 1 + rng.IntN(5) {
			events = append(events, engine.Event{
				T:    time.Duration(rng.IntN(1e6)) * time.Millisecond,
				Kind: engine.KindSay,
				Leg:  value(),
				Attrs: []engine.Attr{
					engine.StringAttr("Text", value()),
					engine.StringAttr("URL", value()),
					engine.IntAttr("Loop", rng.IntN(3)),
				},
			})
		}
		var b bytes.Buffer
		if err := engine.WriteText(&b, events); err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(b.Bytes(), []byte("\n")); n != len(events) {
			t.Fatalf("case %d: %d events in %d lines:\n%s", i, len(events), n, b.Bytes())
		}
		for _, line := range strings.Split(b.String(), "\n") {
			if strings.ContainsRune(line, '\r') {
				t.Fatalf("case %d: a carriage return in line %q", i, line)
			}
		}
		out := s.WithWant(b.Bytes())
		got, err := scenarios.Parse("simulring.txt", out)
		if err != nil {
			t.Fatalf("case %d: the file with the transcript does not parse: %v\n%s", i, err, out)
		}
		if diff := cmpDiff(b.String(), string(got.Want)); diff != "" {
			t.Fatalf("case %d: want read back (-written +read):\n%s", i, diff)
		}
		if diff := cmpDiff(s.Docs, got.Docs); diff != "" {
			t.Fatalf("case %d: documents read back (-before +after):\n%s", i, diff)
		}
	}
}
