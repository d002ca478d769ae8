package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/dialsim/dialsim/scenarios"
)

var testCommand = &command{
	name:    "test",
	args:    "[--update] [--app URL] [--token T] [--junit FILE] [--json] [-run REGEXP] [-parallel N] PATH...",
	summary: "check scenarios against their expected transcripts",
	doc: `
Test runs every scenario under the PATHs (files, or directories searched
for *.txt files) and compares its transcript with the scenario's want
file. For each mismatch it prints FAIL and a unified diff (-want +got),
then a summary line: "N passed, M failed", and ", K could not run" for
the scenarios that could not be read or run (their errors are on
standard error).

With --update it rewrites the want file of each scenario whose transcript
differs (or that has none) instead, and says so; the rest of the file is
kept byte for byte. A scenario that cannot run (its application cannot
be reached, say) is an error, and its want file is left alone.

With --app (or $DIALSIM_APP; the flag wins) the scenarios request their
TwiML from the application running at URL instead of their own documents
and app lines; a scenario file then needs no documents. --token gives the
auth token that signs the requests: it wins over a file's token line,
which wins over $TWILIO_AUTH_TOKEN.

A scenario's name is its path under the PATH it was found in (its file
name, for a file PATH), without ".txt": -run runs only the scenarios
whose name the regular expression matches. -parallel runs that many
scenarios at once (default: the number of CPUs), which pays against a
running application; the output stays in the order of the files.

--json prints one JSON object a scenario instead of the text output:
{"name", "file", "status" (pass, fail or error), "diff", "error",
"seconds" (real time)}. --junit writes a JUnit XML report to FILE, one
testcase a scenario: a failure holds the diff, an error the error.

The exit status is 0 if every scenario passed, 1 if one failed, and 2 for
bad usage, a path or scenario that cannot be read, or one that cannot
run (an application that cannot be reached).`,
	setup: func(fset *flag.FlagSet, e *env) func(context.Context, []string) error {
		update := fset.Bool("update", false, "rewrite the want files with the transcripts the scenarios give")
		app := fset.String("app", "", "base `URL` of a running application that serves the scenarios' TwiML (default $DIALSIM_APP)")
		token := fset.String("token", "", "auth token `T` that signs the requests, over the files' token lines (default: the file's, else $TWILIO_AUTH_TOKEN)")
		junit := fset.String("junit", "", "write a JUnit XML report to `FILE`")
		jsonOut := fset.Bool("json", false, "print one JSON object a scenario instead of text")
		runRE := fset.String("run", "", "run only the scenarios whose name matches `REGEXP`")
		parallel := fset.Int("parallel", runtime.NumCPU(), "run `N` scenarios at once")
		return func(ctx context.Context, paths []string) error {
			if len(paths) == 0 {
				return usageError("no scenarios to test")
			}
			if *parallel < 1 {
				return usageError(fmt.Sprintf("-parallel %d: want at least 1", *parallel))
			}
			var match *regexp.Regexp
			if *runRE != "" {
				re, err := regexp.Compile(*runRE)
				if err != nil {
					return usageError(fmt.Sprintf("-run: %v", err))
				}
				match = re
			}
			opts, err := runOptions(nil, appOption(*app), *token)
			if err != nil {
				return err
			}
			files, bad := scenarioFiles(paths, e)
			if match != nil {
				files = selectFiles(files, match)
			}
			r := &tester{update: *update, opts: opts}
			start := time.Now()
			results := r.runAll(ctx, files, *parallel, func(res *testResult) {
				if *jsonOut {
					res.writeJSON(e.stdout)
				} else {
					res.writeText(e.stdout, e.stderr)
				}
			})
			elapsed := time.Since(start)
			var passed, failed, errored int
			for _, res := range results {
				switch res.Status {
				case statusPass:
					passed++
				case statusError:
					errored++
					bad = true
				default:
					failed++
				}
			}
			if !*jsonOut {
				fmt.Fprintf(e.stdout, "%d passed, %d failed", passed, failed)
				if errored > 0 {
					fmt.Fprintf(e.stdout, ", %d could not run", errored)
				}
				fmt.Fprintln(e.stdout)
			}
			if *junit != "" {
				if err := writeJUnit(*junit, results, elapsed.Seconds()); err != nil {
					fmt.Fprintf(e.stderr, "dialsim test: %v\n", err)
					bad = true
				}
			}
			switch {
			case bad:
				return exitStatus(exitUsage)
			case failed > 0:
				return exitStatus(exitFailed)
			}
			return nil
		}
	},
}

// scenarioFile is a scenario file to test and its name.
type scenarioFile struct {
	// path is the file's path, as found under its PATH argument.
	path string
	// name is the scenario's name: the path under the directory it was
	// found in (slash-separated), or the base name of a file argument,
	// without ".txt".
	name string
	// suite is the PATH argument it was found under.
	suite string
}

// scenarioFiles returns the scenario files under paths: each file named,
// and the *.txt files of each directory, in lexical order, each file once
// (so that parallel updates never write one file twice). It reports
// paths that cannot be read on stderr.
func scenarioFiles(paths []string, e *env) (files []scenarioFile, bad bool) {
	defer func() {
		seen := map[string]bool{}
		files = slices.DeleteFunc(files, func(f scenarioFile) bool {
			p := filepath.Clean(f.path)
			dup := seen[p]
			seen[p] = true
			return dup
		})
	}()
	for _, path := range paths {
		info, err := os.Stat(path)
		if err != nil {
			fmt.Fprintf(e.stderr, "dialsim test: %v\n", err)
			bad = true
			continue
		}
		if !info.IsDir() {
			files = append(files, scenarioFile{path: path, name: strings.TrimSuffix(filepath.Base(path), ".txt"), suite: filepath.Clean(path)})
			continue
		}
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(p, ".txt") {
				rel, err := filepath.Rel(path, p)
				if err != nil {
					return err
				}
				files = append(files, scenarioFile{path: p, name: strings.TrimSuffix(filepath.ToSlash(rel), ".txt"), suite: filepath.Clean(path)})
			}
			return nil
		})
		if err != nil {
			fmt.Fprintf(e.stderr, "dialsim test: %v\n", err)
			bad = true
		}
	}
	return files, bad
}

// selectFiles returns the files whose name re matches.
func selectFiles(files []scenarioFile, re *regexp.Regexp) []scenarioFile {
	var out []scenarioFile
	for _, f := range files {
		if re.MatchString(f.name) {
			out = append(out, f)
		}
	}
	return out
}

// tester tests scenario files.
type tester struct {
	update bool
	opts   scenarios.RunOptions
}

// runAll tests files on n goroutines and returns their results in the
// order of files. It calls report with each result in that order, as
// soon as it and every result before it are known.
func (r *tester) runAll(ctx context.Context, files []scenarioFile, n int, report func(*testResult)) []*testResult {
	results := make([]*testResult, len(files))
	done := make([]chan struct{}, len(files))
	for i := range done {
		done[i] = make(chan struct{})
	}
	work := make(chan int)
	for range min(n, len(files)) {
		go func() {
			for i := range work {
				results[i] = r.test(ctx, files[i])
				close(done[i])
			}
		}()
	}
	go func() {
		for i := range files {
			work <- i
		}
		close(work)
	}()
	for i := range files {
		<-done[i]
		report(results[i])
	}
	return results
}

// test checks one scenario file, or rewrites its want file with update.
func (r *tester) test(ctx context.Context, f scenarioFile) *testResult {
	start := time.Now()
	res := &testResult{Name: f.name, File: f.path, suite: f.suite}
	err := r.check(ctx, f.path, res)
	res.Seconds = time.Since(start).Seconds()
	if err != nil {
		res.Status, res.Error, res.Diff = statusError, errorWithHint(err), ""
	}
	return res
}

// check plays the scenario at file into res: its status, diff and
// hints. Its error is for a scenario that cannot be read, parsed or run.
func (r *tester) check(ctx context.Context, file string, res *testResult) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s, err := scenarios.ParseFile(file)
	if err != nil {
		return err
	}
	opts := optionsFor(s, r.opts)
	run, err := scenarios.Run(ctx, s, opts)
	if err != nil {
		return err
	}
	got := scenarios.Transcript(run)
	res.Hints = transcriptHints(run, opts.Token != "" || s.Token != "")
	if r.update {
		res.Status = statusPass
		if s.HasWant && scenarios.Diff("", s.Want, "", got) == "" {
			return nil
		}
		if err := updateFile(file, s, got); err != nil {
			return err
		}
		res.Updated = true
		return nil
	}
	if !s.HasWant {
		res.Status = statusFail
		res.Error = (&scenarios.Error{File: s.Name, Line: 1, Err: scenarios.ErrNoWant}).Error()
		return nil
	}
	res.Diff = scenarios.Diff(fmt.Sprintf("%s:%d want", s.Name, s.WantLine), s.Want, "got", got)
	res.Status = statusPass
	if res.Diff != "" {
		res.Status = statusFail
	}
	return nil
}

// The statuses of a test result.
const (
	statusPass  = "pass"
	statusFail  = "fail"
	statusError = "error"
)

// testResult is the outcome of testing one scenario, as --json prints it.
type testResult struct {
	Name    string  `json:"name"`
	File    string  `json:"file"`
	Status  string  `json:"status"` // statusPass, statusFail or statusError
	Diff    string  `json:"diff"`   // -want +got, for a failure
	Error   string  `json:"error"`  // why it could not run, or had no want file
	Seconds float64 `json:"seconds"`
	Updated bool    `json:"updated,omitempty"` // --update rewrote its want file
	// Hints are what may explain the transcript, such as a token that
	// differs from the app's.
	Hints []string `json:"hints,omitempty"`

	suite string // the PATH it was found under
}

// writeText prints the result as the text output does: nothing for a
// pass, FAIL and the diff for a failure, the error on stderr.
func (res *testResult) writeText(stdout, stderr io.Writer) {
	switch res.Status {
	case statusError:
		fmt.Fprintf(stderr, "dialsim test: %s\n", res.Error)
	case statusFail:
		if res.Diff == "" {
			fmt.Fprintf(stdout, "FAIL %s: %s\n", res.File, res.Error)
		} else {
			fmt.Fprintf(stdout, "FAIL %s\n%s", res.File, res.Diff)
		}
		for _, h := range res.Hints {
			fmt.Fprintf(stderr, "dialsim test: %s: %s\n", res.File, h)
		}
	default:
		if res.Updated {
			fmt.Fprintf(stdout, "updated %s\n", res.File)
			for _, h := range res.Hints {
				fmt.Fprintf(stderr, "dialsim test: %s: %s\n", res.File, h)
			}
		}
	}
}

// writeJSON prints the result as one JSON line.
func (res *testResult) writeJSON(w io.Writer) {
	b, _ := json.Marshal(res) // strings, a float and a bool
	w.Write(append(b, '\n'))
}
