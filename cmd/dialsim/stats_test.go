package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// jennyScenario: jenny answers at 3 s every time.
const jennyScenario = `# Jenny alone.
call from=+15550001111 to=+15550002222 url=/voice
seed 3
party client:jenny answer=3s talk=30s
-- /voice --
<Response><Dial><Client>jenny</Client></Dial></Response>
`

// showcase is the 10-leg screened scenario of package stats.
const showcase = "../../stats/testdata/stats_screened.txt"

func TestStatsText(t *testing.T) {
	stdout, stderr, status := runCLI(t, jennyScenario, "stats", "--runs", "40", "-")
	want := `scenario  <stdin>
series    40 runs, seed 3, first-answer
calls     40

DialCallStatus of the first Dial
  completed 40 100.0%

Winner (% of bridged calls)
  client:jenny 40 100.0%

Outcomes
  bridged                40 100.0% of calls
  voicemail won the race  0   0.0% of calls
  voicemail bridged       0   0.0% of calls
  whispers declined       0   0.0% of 40 answered legs

Time to connect, from the start of the Dial (s)
  p50 3.000
  p90 3.000
  p99 3.000
  max 3.000

Histogram of time to connect (s)
  0.0 – 0.1  0
`
	for i := 1; i < 30; i++ {
		want += fmt.Sprintf("  %.1f – %.1f  0\n", float64(i)/10, float64(i+1)/10)
	}
	want += "  3.0 – 3.1 40 ########################################\n"
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("stats output (-want +got):\n%s", diff)
	}
	if status != 0 || stderr != "" {
		t.Errorf("status %d, stderr %q; want 0 and nothing (no progress bar off a terminal)", status, stderr)
	}
}

// TestStatsMachines checks the row of the legs answering-machine
// detection found machines, shown only when there are some: the voicemail
// picks up about half the time.
func TestStatsMachines(t *testing.T) {
	const scenario = `# A number with machine detection, a voicemail half the time.
call from=+15550001111 to=+15550002222 url=/voice
seed 3
party +14155550100 answer=2s voicemail=0.5 talk=10s
-- /voice --
<Response><Dial><Number machineDetection="Enable">+14155550100</Number></Dial></Response>
`
	stdout, stderr, status := runCLI(t, scenario, "stats", "--runs", "40", "-")
	if status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	var voicemail, machines string
	for _, line := range strings.Split(stdout, "\n") {
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "  voicemail bridged"):
			voicemail = f[2]
		case strings.HasPrefix(line, "  machines detected"):
			machines = f[2]
		}
	}
	if machines == "" || machines == "0" || machines != voicemail {
		t.Errorf("machines detected %q, voicemail bridged %q: want the same count, not zero\n%s", machines, voicemail, stdout)
	}
}

// TestStatsShardsMerge runs a series whole and in shards through the
// command line, and checks that merging the shards' JSON gives the whole
// series' JSON, byte for byte.
func TestStatsShardsMerge(t *testing.T) {
	dir := t.TempDir()
	whole, stderr, status := runCLI(t, "", "stats", "--runs", "60", "--workers", "2", "--json", showcase)
	if status != 0 {
		t.Fatalf("stats --json: status %d: %s", status, stderr)
	}
	for _, n := range []int{2, 3} {
		var files []string
		for i := range n {
			out, stderr, status := runCLI(t, "", "stats", showcase, "--runs", "60", "--shard", fmt.Sprintf("%d/%d", i, n), "--json")
			if status != 0 {
				t.Fatalf("stats --shard: status %d: %s", status, stderr)
			}
			file := filepath.Join(dir, fmt.Sprintf("shard%dof%d.json", i, n))
			if err := os.WriteFile(file, []byte(out), 0o666); err != nil {
				t.Fatal(err)
			}
			files = append(files, file)
		}
		svg := filepath.Join(dir, "merged.svg")
		merged, stderr, status := runCLI(t, "", append([]string{"stats", "merge", "--json", "--svg", svg}, files...)...)
		if status != 0 {
			t.Fatalf("stats merge: status %d: %s", status, stderr)
		}
		if diff := cmp.Diff(whole, merged); diff != "" {
			t.Errorf("%d shards merged differ from the whole series (-want +got):\n%s", n, diff)
		}
		data, err := os.ReadFile(svg)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("<svg ")) || !bytes.Contains(data, []byte("Time to connect: "+showcase)) {
			t.Errorf("merge --svg wrote %.80q..., want an SVG titled with the scenario", data)
		}
		// Merging a shard with itself is refused.
		if _, _, status := runCLI(t, "", "stats", "merge", files[0], files[0]); status != exitFailed {
			t.Errorf("merge of a shard with itself: status %d, want %d", status, exitFailed)
		}
	}
}

// TestStatsUsage checks the command lines stats refuses.
func TestStatsUsage(t *testing.T) {
	notJSON := filepath.Join(t.TempDir(), "x.json")
	if err := os.WriteFile(notJSON, []byte("scenario"), 0o666); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		status int
	}{
		{[]string{"stats"}, exitUsage},
		{[]string{"stats", showcase, showcase}, exitUsage},
		{[]string{"stats", "--runs", "0", showcase}, exitUsage},
		{[]string{"stats", "--shard", "2/2", showcase}, exitUsage},
		{[]string{"stats", "--shard", "1", showcase}, exitUsage},
		{[]string{"stats", "--policy", "last-answer", showcase}, exitUsage},
		{[]string{"stats", "missing.txt"}, exitUsage},
		{[]string{"stats", "merge"}, exitUsage},
		{[]string{"stats", "merge", "--runs", "10", notJSON}, exitUsage},
		{[]string{"stats", "merge", notJSON}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			stdout, stderr, status := runCLI(t, "", tt.args...)
			if status != tt.status || stdout != "" || stderr == "" {
				t.Errorf("status %d, stdout %q, stderr %q; want status %d, an error and no output", status, stdout, stderr, tt.status)
			}
		})
	}
}

// TestStatsInterrupted checks that an interrupted series prints the
// report of the calls done and fails.
func TestStatsInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"stats", "--runs", "100", "--json", showcase}, strings.NewReader(""), &stdout, &stderr)
	if status := exitCode(err, &stderr); status != exitFailed {
		t.Errorf("status %d, want %d", status, exitFailed)
	}
	if !strings.Contains(stdout.String(), `"calls": 0,`) || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stdout %q, stderr %q; want a report of no calls and a word about the interruption", stdout.String(), stderr.String())
	}
}

// TestStatsWorldEmptySections checks that a world's sections with nothing
// to count are left out rather than printed as zeros: no caller answered
// (no waits), none answered or abandoned (no service level), no agent (no
// occupancy).
func TestStatsWorldEmptySections(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"../../scenarios/testdata/world_two_callers.txt", `worlds    5, 10 callers

Callers in queues
  queued                      0 0.0% of callers
  turned away (queue full)    0 0.0% of callers
  answered by an agent        0    - of queued
  abandoned (hung up waiting) 0    - of queued
  left otherwise              0    - of queued
  waited at all               0    - of answered
`},
		{"../../scenarios/testdata/world_agent_idle.txt", `worlds    5, 5 callers

Callers in queues
  queued                      5 100.0% of callers
  turned away (queue full)    0   0.0% of callers
  answered by an agent        0   0.0% of queued
  abandoned (hung up waiting) 5 100.0% of queued
  left otherwise              0   0.0% of queued
  waited at all               0      - of answered

Service level (answered within T, of answered and abandoned)
  within 0 s   0.0%
  within 10 s  0.0%
  within 20 s  0.0%
  within 30 s  0.0%
  within 60 s  0.0%
  within 120 s 0.0%
`},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			stdout, stderr, status := runCLI(t, "", "stats", "--runs", "5", tt.file)
			if status != 0 {
				t.Fatalf("exit status %d, stderr:\n%s", status, stderr)
			}
			_, got, _ := strings.Cut(stdout, "first-answer\n")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("stats output (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStatsWorldSVG checks that --svg, the histogram of one call's time
// to connect, is refused for a world before it runs, and for a merge of
// worlds' reports.
func TestStatsWorldSVG(t *testing.T) {
	dir := t.TempDir()
	svg := filepath.Join(dir, "h.svg")
	const world = "../../scenarios/testdata/world_two_callers.txt"
	_, stderr, status := runCLI(t, "", "stats", "--runs", "2", "--svg", svg, world)
	if status != 2 || !strings.Contains(stderr, "a world's report has no such histogram") {
		t.Errorf("stats --svg on a world: exit status %d, want 2; stderr:\n%s", status, stderr)
	}
	report, stderr, status := runCLI(t, "", "stats", "--runs", "2", "--json", world)
	if status != 0 {
		t.Fatalf("stats --json: exit status %d, stderr:\n%s", status, stderr)
	}
	file := filepath.Join(dir, "r.json")
	if err := os.WriteFile(file, []byte(report), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, status = runCLI(t, "", "stats", "merge", "--svg", svg, file)
	if status != 2 || !strings.Contains(stderr, "a world's report has no such histogram") {
		t.Errorf("stats merge --svg of a world: exit status %d, want 2; stderr:\n%s", status, stderr)
	}
	if _, err := os.Stat(svg); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s: written (%v), want none", svg, err)
	}
}
