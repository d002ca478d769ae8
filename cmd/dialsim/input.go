package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/stats"
)

// The limits of what dialsim reads ("dialsim help limits"). A file over
// its limit, or a path that is not a regular file (a directory, a FIFO, a
// device such as /dev/zero), is refused before it is read, with exit
// status 2; standard input ("-") is read up to the limit.
const (
	// maxScenario is the largest scenario file: scenarios.MaxFileSize.
	maxScenario = scenarios.MaxFileSize
	// maxReport is the largest report "dialsim stats merge" reads: 64 MiB,
	// some two million distinct connect times.
	maxReport = 64 << 20
	// maxWorkers is the most calls "dialsim stats" runs at once.
	maxWorkers = stats.MaxWorkers
)

// limitsHelp is "dialsim help limits".
var limitsHelp = fmt.Sprintf(`dialsim's limits

What dialsim reads:

	scenario file     %d bytes (4 MiB)
	TwiML (check)     %d bytes (Twilio's 64 KB): a larger document
	                  gets ERROR 11750
	stats report      %d bytes (64 MiB)

Each is read only from a regular file, or from standard input ("-") up to
the limit: a directory, a FIFO or a device such as /dev/zero is refused
before it is read, with exit status 2. Interrupting (Ctrl-C) ends any
command at once, reading standard input included; a second Ctrl-C kills
it.

stats --workers is at most %d.

What a simulated call may do (the engine's limits): it lasts at most %g hours
of virtual time in all, Twilio's longest call, then ends with a
diagnostic; its own TwiML documents are at most %d (a Redirect loop ends
there); its Dial legs fetch at most %d whisper documents and make at most
%d requests (whisper documents and status callbacks together), a budget
of their own, so that they cannot use up the documents the call needs,
such as the Dial's action.

Output: a command that cannot write its standard output (a full disk, a
closed pipe) exits with status 2. The SVG of --svg is written to a
temporary file renamed into place, and may not be one of the command's
input files. "dialsim test --update" writes the same way, after parsing
the new file back: a full disk, a kill or a read-only directory leaves the
scenario as it was. A file with CRLF line endings or a UTF-8 byte order
mark reads as the same file with LF, and --update keeps both (the new
want's lines end in CRLF if the file's first line does).
`, maxScenario, maxTwiML, maxReport, maxWorkers,
	engine.LongestCall.Hours(), engine.DefaultMaxDocuments, engine.DefaultMaxDocuments, engine.DefaultMaxRequests)

// readInput reads a file of at most limit bytes, or standard input for
// "-", and returns the name to print for it. A file must be a regular
// file (scenarios.ReadFile); standard input is read up to the limit (an
// error wrapping scenarios.ErrTooLarge beyond), in a goroutine, so that
// the end of ctx ends the wait for it.
func readInput(ctx context.Context, file string, stdin io.Reader, limit int64) (name string, data []byte, err error) {
	if file != "-" {
		data, err = scenarios.ReadFile(file, limit)
		return file, data, err
	}
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	// When ctx ends first (Ctrl-C), this goroutine stays behind, blocked
	// in its Read: an io.Reader cannot be interrupted. That is by design,
	// since the command then returns and the process exits; done is
	// buffered so that, if the read does end, the goroutine does not
	// block on the send either.
	go func() {
		data, err := io.ReadAll(io.LimitReader(stdin, limit+1))
		done <- result{data, err}
	}()
	select {
	case <-ctx.Done():
		return "", nil, fmt.Errorf("reading standard input: %w", context.Cause(ctx))
	case r := <-done:
		if r.err != nil {
			return "", nil, fmt.Errorf("reading standard input: %w", r.err)
		}
		if int64(len(r.data)) > limit {
			return "", nil, fmt.Errorf("standard input: %w: more than the limit of %d bytes", scenarios.ErrTooLarge, limit)
		}
		return "<stdin>", r.data, nil
	}
}

// checkOutputPath returns an error if the output file path is one of the
// inputs (by name or as the same file), a directory, or in a directory
// that does not exist.
func checkOutputPath(path string, inputs []string) error {
	if err := checkNotInput(path, inputs); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil {
		return fmt.Errorf("--svg %s: %w", path, err)
	} else if !info.IsDir() {
		return fmt.Errorf("--svg %s: %s is not a directory", path, dir)
	}
	return nil
}

// checkNotInput returns an error if the output file path is one of the
// inputs (by name or as the same file), or a directory.
func checkNotInput(path string, inputs []string) error {
	out, outErr := os.Stat(path)
	if outErr == nil && out.IsDir() {
		return fmt.Errorf("--svg %s: is a directory", path)
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		if filepath.Clean(in) == filepath.Clean(path) {
			return fmt.Errorf("--svg %s: is an input file; not overwriting it", path)
		}
		if outErr != nil {
			continue
		}
		if info, err := os.Stat(in); err == nil && os.SameFile(info, out) {
			return fmt.Errorf("--svg %s: is the input file %s; not overwriting it", path, in)
		}
	}
	return nil
}
