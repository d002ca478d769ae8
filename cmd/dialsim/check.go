package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"

	"golang.org/x/tools/txtar"

	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/twiml"
)

// maxTwiML is the largest TwiML body Twilio reads (error 11750 beyond).
const maxTwiML = twiml.MaxDocumentSize

var checkCommand = &command{
	name:    "check",
	args:    "[--whisper] [--strict] FILE...",
	summary: "validate TwiML documents and report Twilio's error codes",
	doc: `
Check parses each TwiML voice document the way Twilio does and prints one
line per problem:

	FILE:LINE: LEVEL CODE ELEMENT: MESSAGE

where LEVEL is ERROR (the document would not run) or WARNING (it runs with
a default), and CODE is Twilio's error code. A FILE of "-" reads standard
input. A scenario file (a txtar archive: "dialsim help scenario") has each
of its documents checked, its lines those of the scenario file; a scenario
that does not parse prints its error, file:line, and fails. Files over Twilio's 64 KB limit get ERROR 11750, unread. A FILE
must be a regular file ("dialsim help limits").

The exit status is 0 if no document has an error, 1 if one has (with
--strict, a warning too), and 2 if a file cannot be read or the output
cannot be written.`,
	setup: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
		whisper := fs.Bool("whisper", false, "check whisper TwiML, the document a <Number>, <Client> or <Sip> url names, where <Dial> is not allowed")
		strict := fs.Bool("strict", false, "fail on warnings too")
		return func(ctx context.Context, files []string) error {
			if len(files) == 0 {
				return usageError("no files to check")
			}
			var failed, unreadable bool
			for _, file := range files {
				if err := ctx.Err(); err != nil {
					return err
				}
				// Read up to a scenario's limit: a scenario file holds
				// documents of up to 64 KB each.
				name, data, err := readInput(ctx, file, e.stdin, maxScenario)
				var ds twiml.Diagnostics
				switch {
				case errors.Is(err, scenarios.ErrTooLarge):
					ds = tooLarge(file)
				case err != nil:
					fmt.Fprintf(e.stderr, "dialsim check: %v\n", err)
					unreadable = true
					continue
				case isScenario(data):
					s, err := scenarios.Parse(name, data)
					if err != nil {
						fmt.Fprintf(e.stdout, "%v\n", err)
						failed = true
						continue
					}
					ds = checkScenario(s, *whisper)
				case len(data) > maxTwiML:
					ds = tooLarge(file)
				default:
					ds = checkDocument(name, data, *whisper)
				}
				for _, d := range ds {
					fmt.Fprintf(e.stdout, "%s:%d: %s %d %s\n", d.File, d.Line, d.Level, d.Code, d.Text())
				}
				if ds.HasErrors() || (*strict && len(ds) > 0) {
					failed = true
				}
			}
			switch {
			case unreadable:
				return exitStatus(exitUsage)
			case failed:
				return exitStatus(exitFailed)
			}
			return nil
		}
	},
}

// tooLarge returns the diagnostic of a document larger than maxTwiML,
// which is not read beyond the limit.
func tooLarge(file string) twiml.Diagnostics {
	size := fmt.Sprintf("more than %d", maxTwiML) // of standard input
	if file == "-" {
		file = "<stdin>"
	} else if info, err := os.Stat(file); err == nil {
		size = strconv.FormatInt(info.Size(), 10)
	}
	return twiml.Diagnostics{{
		File:    file,
		Line:    1,
		Code:    11750,
		Level:   twiml.Error,
		Message: fmt.Sprintf("the document is %s bytes; Twilio reads at most 64 KB of TwiML", size),
	}}
}

// isScenario reports whether data is a scenario file rather than a TwiML
// document: a txtar archive (it does not start with "<") with at least one
// file.
func isScenario(data []byte) bool {
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] == '<' {
		return false
	}
	return len(txtar.Parse(data).Files) > 0
}

// checkScenario returns the diagnostics of each TwiML document of the
// scenario s, in the order of their paths, at their lines in its file.
func checkScenario(s *scenarios.Scenario, whisper bool) twiml.Diagnostics {
	var all twiml.Diagnostics
	for _, path := range slices.Sorted(maps.Keys(s.Docs)) {
		data := s.Docs[path]
		var ds twiml.Diagnostics
		if len(data) > maxTwiML {
			ds = twiml.Diagnostics{{Line: 1, Code: 11750, Level: twiml.Error,
				Message: fmt.Sprintf("the document %s is %d bytes; Twilio reads at most 64 KB of TwiML", path, len(data))}}
		} else {
			ds = checkDocument(s.Name, data, whisper)
		}
		for _, d := range ds {
			d.File, d.Line = s.Name, s.DocLine[path]+max(d.Line, 1)-1
			all = append(all, d)
		}
	}
	return all
}

// checkDocument returns the diagnostics for one document.
func checkDocument(name string, data []byte, whisper bool) twiml.Diagnostics {
	resp, err := twiml.Parse(data, twiml.Options{File: name, Whisper: whisper})
	if err != nil {
		return twiml.DiagnosticsOf(err)
	}
	return resp.Warnings
}
