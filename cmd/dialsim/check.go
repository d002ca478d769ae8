package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

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
input. Files over Twilio's 64 KB limit get ERROR 11750.

The exit status is 0 if no document has an error, 1 if one has (with
--strict, a warning too), and 2 if a file cannot be read.`,
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
				name, data, err := readInput(file, e.stdin)
				if err != nil {
					fmt.Fprintf(e.stderr, "dialsim check: %v\n", err)
					unreadable = true
					continue
				}
				ds := checkDocument(name, data, *whisper)
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

// readInput reads a file, or standard input for "-", and returns the name
// to print for it.
func readInput(file string, stdin io.Reader) (name string, data []byte, err error) {
	if file == "-" {
		data, err = io.ReadAll(stdin)
		if err != nil {
			return "", nil, fmt.Errorf("reading standard input: %w", err)
		}
		return "<stdin>", data, nil
	}
	data, err = os.ReadFile(file)
	return file, data, err
}

// checkDocument returns the diagnostics for one document.
func checkDocument(name string, data []byte, whisper bool) twiml.Diagnostics {
	if len(data) > maxTwiML {
		return twiml.Diagnostics{{
			File:    name,
			Line:    1,
			Code:    11750,
			Level:   twiml.Error,
			Message: fmt.Sprintf("the document is %d bytes; Twilio reads at most 64 KB of TwiML", len(data)),
		}}
	}
	resp, err := twiml.Parse(data, twiml.Options{File: name, Whisper: whisper})
	if err != nil {
		return twiml.DiagnosticsOf(err)
	}
	return resp.Warnings
}
