package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dialsim/dialsim/scenarios"
)

var testCommand = &command{
	name:    "test",
	args:    "[--update] [--app URL] PATH...",
	summary: "check scenarios against their expected transcripts",
	doc: `
Test runs every scenario under the PATHs (files, or directories searched
for *.txt files) and compares its transcript with the scenario's want
file. For each mismatch it prints FAIL and a unified diff (-want +got),
then a summary line: "N passed, M failed".

With --update it rewrites the want file of each scenario whose transcript
differs (or that has none) instead, and says so; the rest of the file is
kept byte for byte. With --app the scenarios request their TwiML from the
application running at URL instead of their own documents.

The exit status is 0 if every scenario passed, 1 if one failed, and 2 for
bad usage or a path or scenario that cannot be read.`,
	setup: func(fset *flag.FlagSet, e *env) func(context.Context, []string) error {
		update := fset.Bool("update", false, "rewrite the want files with the transcripts the scenarios give")
		app := fset.String("app", "", "base `URL` of a running application that serves the scenarios' TwiML")
		return func(ctx context.Context, paths []string) error {
			if len(paths) == 0 {
				return usageError("no scenarios to test")
			}
			opts, err := runOptions("", *app)
			if err != nil {
				return err
			}
			files, badPaths := scenarioFiles(paths, e)
			var passed, failed int
			bad := badPaths
			for _, file := range files {
				if err := ctx.Err(); err != nil {
					return err
				}
				ok, err := testScenario(ctx, file, *update, opts, e)
				switch {
				case err != nil:
					fmt.Fprintf(e.stderr, "dialsim test: %v\n", err)
					failed++
					bad = true
				case ok:
					passed++
				default:
					failed++
				}
			}
			fmt.Fprintf(e.stdout, "%d passed, %d failed\n", passed, failed)
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

// scenarioFiles returns the scenario files under paths: each file named,
// and the *.txt files of each directory, in lexical order. It reports
// paths that cannot be read on stderr.
func scenarioFiles(paths []string, e *env) (files []string, bad bool) {
	for _, path := range paths {
		info, err := os.Stat(path)
		if err != nil {
			fmt.Fprintf(e.stderr, "dialsim test: %v\n", err)
			bad = true
			continue
		}
		if !info.IsDir() {
			files = append(files, path)
			continue
		}
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(p, ".txt") {
				files = append(files, p)
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

// testScenario checks one scenario file, or rewrites its want file with
// update, and reports whether it passed. Its error is for a scenario that
// cannot be read, parsed or run.
func testScenario(ctx context.Context, file string, update bool, opts scenarios.RunOptions, e *env) (bool, error) {
	s, err := scenarios.ParseFile(file)
	if err != nil {
		return false, err
	}
	if update {
		res, err := scenarios.Run(ctx, s, opts)
		if err != nil {
			return false, err
		}
		got := scenarios.Transcript(res)
		if s.HasWant && scenarios.Diff("", s.Want, "", got) == "" {
			return true, nil
		}
		if err := updateFile(file, s, got); err != nil {
			return false, err
		}
		fmt.Fprintf(e.stdout, "updated %s\n", file)
		return true, nil
	}
	diff, err := scenarios.Check(ctx, s, opts)
	if errors.Is(err, scenarios.ErrNoWant) {
		fmt.Fprintf(e.stdout, "FAIL %s: %v\n", file, err)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if diff != "" {
		fmt.Fprintf(e.stdout, "FAIL %s\n%s", file, diff)
		return false, nil
	}
	return true, nil
}
