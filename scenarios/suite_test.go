package scenarios_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/dialsim/dialsim/scenarios"
)

var (
	update = flag.Bool("update", false, "rewrite the want file of every scenario with the transcript it gives")
	long   = flag.Bool("long", false, "run each scenario 200 times in the determinism test instead of 20 (also: DIALSIM_LONG=1)")
)

// suite returns the scenario files the suite runs: testdata/*.txt and the
// showcase scenarios next to the package.
func suite(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"testdata/*.txt", "*.txt"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no scenario files")
	}
	return files
}

// TestSuite runs every scenario and compares its transcript with its want
// file; with -update it rewrites the want files instead.
func TestSuite(t *testing.T) {
	for _, file := range suite(t) {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			s, err := scenarios.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if *update {
				res, err := scenarios.Run(ctx, s, scenarios.RunOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, s.WithWant(scenarios.Transcript(res)), 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			diff, err := scenarios.Check(ctx, s, scenarios.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if diff != "" {
				t.Errorf("transcript differs (-want +got); go test ./scenarios -update rewrites it:\n%s", diff)
			}
		})
	}
}

// TestSuiteFiles checks the suite's conventions: enough scenarios, named
// CATEGORY_DETAIL.txt, each opening with a description.
func TestSuiteFiles(t *testing.T) {
	categories := map[string]bool{
		"dial": true, "race": true, "screen": true, "seq": true,
		"gather": true, "verbs": true, "hangup": true, "errors": true,
		"speech": true, "status": true, "callerid": true, "amd": true, "notes": true,
		"record": true,
		"world":  true, "queue": true, "conf": true,
	}
	name := regexp.MustCompile(`^([a-z]+)_[a-z0-9_]+\.txt$`)
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Errorf("testdata has %d scenarios, want at least 30", len(files))
	}
	for _, file := range files {
		m := name.FindStringSubmatch(filepath.Base(file))
		if m == nil || !categories[m[1]] {
			t.Errorf("%s: want a name CATEGORY_DETAIL.txt with a CATEGORY of TestSuiteFiles's list", file)
		}
		s, err := scenarios.ParseFile(file)
		if err != nil {
			t.Error(err)
			continue
		}
		if len(s.Description) == 0 {
			t.Errorf("%s: want # lines at the top saying what it shows", file)
		}
		if !s.HasWant {
			t.Errorf("%s: no want file", file)
		}
	}
}

// TestDeterminism runs each scenario many times, concurrently, and wants
// byte-identical transcripts: 20 runs each, 200 with -long or
// DIALSIM_LONG=1. Run it under -race too.
func TestDeterminism(t *testing.T) {
	runs := 20
	if *long || os.Getenv("DIALSIM_LONG") != "" {
		runs = 200
	}
	if testing.Short() {
		runs = 3
	}
	for _, file := range suite(t) {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			s, err := scenarios.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := make([][]byte, runs)
			var wg sync.WaitGroup
			for i := range runs {
				wg.Go(func() {
					res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{})
					if err != nil {
						t.Error(err)
						return
					}
					got[i] = scenarios.Transcript(res)
				})
			}
			wg.Wait()
			for i := 1; i < runs; i++ {
				if !bytes.Equal(got[0], got[i]) {
					t.Fatalf("run %d of %d differs from run 1 (-run1 +run%d):\n%s", i+1, runs, i+1,
						scenarios.Diff("run 1", got[0], "run "+strconv.Itoa(i+1), got[i]))
				}
			}
		})
	}
}
