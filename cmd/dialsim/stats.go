package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dialsim/dialsim/stats"
)

var statsCommand = &command{
	name:    "stats",
	args:    "[--runs N] [--seed S] [--workers K] [--shard I/N] [--policy P] [--app URL] [--json] [--svg FILE] FILE | merge [--json] [--svg FILE] REPORT.json...",
	summary: "simulate a scenario many times and report on its Dial race",
	doc: `
Stats plays the call of a scenario file N times (--runs, default 1000) and
reports on the first Dial of each call: how it ended (DialCallStatus), which
party won, how long the caller waited to be connected (the median, p90,
p99 and the longest, from the start of the Dial), how many answered legs
declined their whisper, how often a voicemail won the race (and how
often it was bridged), and a histogram of the time to connect. The
scenario's random parties (see "dialsim help scenario") draw their
behaviour anew for each call: run i from the seed
(--seed, default the file's seed directive) and stream i. Each call runs
on its own virtual clock, on --workers at once (default: one per CPU, at
most 256), and the report is the same whatever their number.

--json prints the report as JSON instead of a table; --svg writes the
histogram of time to connect as an SVG file (not of a world, whose report
holds its queue figures only, not its calls' Dial races).

To spread a long series over processes or machines, run each slice with
--shard I/N (0 <= I < N: the runs I, I+N, I+2N, ...) and --json, then add
the slices up with

	dialsim stats merge shard0.json shard1.json ...

which prints exactly the report of the whole series. A report can only be
merged with the other slices of its series (same file name, seed, policy,
--runs and N).

A progress bar goes to standard error when it is a terminal. Interrupting
prints the report of the calls done so far and exits with status 1.

merge refuses a report whose counts do not add up (a malformed or
edited report) with the reason. Reports are read up to 64 MiB, from
regular files or standard input ("dialsim help limits"). The --svg path is
checked before the series runs, and may not be an input file; the report
is printed before the SVG is written.

The exit status is 0 when every call ran, 1 when the series was
interrupted, a call could not be simulated or merge refused the reports,
and 2 for bad usage, a file that cannot be read, or output (standard
output or the SVG) that cannot be written.`,
	setup: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
		runs := fs.Int("runs", stats.DefaultRuns, "simulate `N` calls")
		seed := fs.Uint64("seed", 0, "seed the random parties with `S` instead of the file's seed")
		workers := fs.Int("workers", 0, "run `K` calls at once; 0 means one per CPU")
		var shard stats.Shard
		fs.TextVar(&shard, "shard", stats.Shard{}, "run the `I/N`-th slice of the runs only (0 <= I < N): I, I+N, I+2N, ...")
		policy := policyFlag(fs)
		app := fs.String("app", "", "base `URL` of a running application that serves the call's TwiML, overriding the scenario's documents")
		jsonOut := fs.Bool("json", false, "print the report as JSON, the form merge reads")
		svg := fs.String("svg", "", "write the histogram of time to connect as SVG to `FILE`")
		return func(ctx context.Context, args []string) error {
			set := map[string]bool{}
			fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
			out := reportOutput{json: *jsonOut, svg: *svg}
			if len(args) > 0 && args[0] == "merge" {
				for _, name := range []string{"runs", "seed", "workers", "shard", "policy", "app"} {
					if set[name] {
						return usageError("merge takes --json and --svg only, not --" + name)
					}
				}
				if *svg != "" {
					if err := checkOutputPath(*svg, args[1:]); err != nil {
						return usageError(err.Error())
					}
				}
				return statsMerge(ctx, e, args[1:], out)
			}
			if len(args) != 1 {
				return usageError("want one scenario FILE, or merge and reports")
			}
			if *runs < 1 {
				return usageError(fmt.Sprintf("--runs %d: want at least 1", *runs))
			}
			if *workers > maxWorkers {
				return usageError(fmt.Sprintf("--workers %d: want at most %d", *workers, maxWorkers))
			}
			if *svg != "" {
				if err := checkOutputPath(*svg, args); err != nil {
					return usageError(err.Error())
				}
			}
			opts := stats.Options{Runs: *runs, Workers: max(*workers, 0), Shard: shard}
			var err error
			if opts.RunOptions, err = runOptions(policyOption(set, *policy), *app, ""); err != nil {
				return err
			}
			s, err := readScenario(ctx, args[0], e.stdin)
			if err != nil {
				fmt.Fprintf(e.stderr, "dialsim stats: %v\n", err)
				return exitStatus(exitUsage)
			}
			if *svg != "" && s.World != nil {
				return usageError(errWorldSVG.Error())
			}
			if set["seed"] {
				s.Seed = *seed
			}
			var bar *progressBar
			if isTerminal(e.stderr) {
				bar = &progressBar{w: e.stderr}
				opts.Progress = bar.update
			}
			r, statsErr := stats.Run(ctx, s, opts)
			bar.clear()
			if statsErr != nil && (r == nil || !errors.Is(statsErr, ctx.Err())) {
				fmt.Fprintf(e.stderr, "dialsim stats: %v\n", statsErr)
				return exitStatus(exitFailed)
			}
			if err := out.write(e, r); err != nil {
				return err
			}
			if statsErr != nil {
				fmt.Fprintf(e.stderr, "dialsim stats: interrupted: the report holds %d of the %d calls\n", r.Calls, want(r))
				return exitStatus(exitFailed)
			}
			return nil
		}
	},
}

// want returns how many calls a report of its slices should hold.
func want(r *stats.Report) int {
	n := 0
	for _, i := range r.Slices {
		n += stats.Shard{I: i, N: r.Shards}.Runs(r.Runs)
	}
	return n
}

// statsMerge reads the JSON reports in files and writes their merge.
func statsMerge(ctx context.Context, e *env, files []string, out reportOutput) error {
	if len(files) == 0 {
		return usageError("merge: no reports")
	}
	var reports []*stats.Report
	for _, file := range files {
		name, data, err := readInput(ctx, file, e.stdin, maxReport)
		if err != nil {
			fmt.Fprintf(e.stderr, "dialsim stats merge: %v\n", err)
			return exitStatus(exitUsage)
		}
		var r *stats.Report
		if err := json.Unmarshal(data, &r); err != nil || r == nil {
			fmt.Fprintf(e.stderr, "dialsim stats merge: %s: not a report of dialsim stats --json: %v\n", name, cmp.Or(err, errors.New("null")))
			return exitStatus(exitUsage)
		}
		reports = append(reports, r)
	}
	r, err := stats.Merge(reports...)
	if err != nil {
		fmt.Fprintf(e.stderr, "dialsim stats merge: %v\n", err)
		return exitStatus(exitFailed)
	}
	return out.write(e, r)
}

// errWorldSVG refuses --svg for a world: the SVG is the histogram of the
// first Dial's time to connect, which a world's report does not hold (its
// waits are in the text and the JSON).
var errWorldSVG = errors.New("--svg draws the time to connect of one call's Dial; a world's report has no such histogram (its queue waits are in the table and in --json)")

// reportOutput is where a report goes: a table or JSON on standard output,
// and the histogram to an SVG file.
type reportOutput struct {
	json bool
	svg  string
}

// write prints the report, then writes its SVG: a report whose SVG cannot
// be written is still printed, and the command exits 2.
func (o reportOutput) write(e *env, r *stats.Report) error {
	if o.svg != "" && r.World != nil {
		return usageError(errWorldSVG.Error())
	}
	var err error
	if o.json {
		var data []byte
		if data, err = marshalReport(r); err == nil {
			_, err = e.stdout.Write(data)
		}
	} else {
		err = writeReport(e.stdout, r)
	}
	if err != nil {
		return err
	}
	if o.svg != "" {
		var b bytes.Buffer
		if err := r.WriteSVG(&b); err != nil {
			return err
		}
		if err := writeOutput(o.svg, b.Bytes()); err != nil {
			fmt.Fprintf(e.stderr, "dialsim stats: %v\n", err)
			return exitStatus(exitUsage)
		}
	}
	return nil
}

// marshalReport encodes the report as indented JSON, with one line for
// each of its connect times, of which there may be thousands.
func marshalReport(r *stats.Report) ([]byte, error) {
	head := *r
	head.ConnectTimes = nil
	data, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return nil, err
	}
	const last = `"connect_times": null` + "\n}"
	data, ok := bytes.CutSuffix(data, []byte(last))
	if !ok {
		return nil, errors.New("connect_times is not the report's last field")
	}
	b := bytes.NewBuffer(data)
	b.WriteString(`"connect_times": [`)
	for i, bin := range r.ConnectTimes {
		line, err := json.Marshal(bin)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		b.Write(line)
	}
	if len(r.ConnectTimes) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	return b.Bytes(), nil
}

// writeReport prints the report as tables.
func writeReport(w io.Writer, r *stats.Report) error {
	var b strings.Builder
	series := fmt.Sprintf("%d runs, seed %d, %s", r.Runs, r.Seed, r.Policy)
	if r.Shards > 1 {
		series += fmt.Sprintf(", shards %s of %d", joinInts(r.Slices), r.Shards)
	}
	fmt.Fprintf(&b, "scenario  %s\n", r.Scenario)
	fmt.Fprintf(&b, "series    %s\n", series)
	if r.World != nil {
		writeWorld(&b, r) // stats_world.go
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "calls     %d", r.Calls)
	if r.NoDial > 0 {
		fmt.Fprintf(&b, ", %d of them without a Dial", r.NoDial)
	}
	b.WriteString("\n")
	dials := r.Calls - r.NoDial

	var rows [][]string
	for _, k := range byCount(r.Status) {
		rows = append(rows, []string{k, strconv.Itoa(r.Status[k]), percent(r.Status[k], dials)})
	}
	writeTable(&b, "DialCallStatus of the first Dial", "lrr", rows)

	rows = nil
	for _, k := range byCount(r.Wins) {
		rows = append(rows, []string{k, strconv.Itoa(r.Wins[k]), percent(r.Wins[k], r.Bridged)})
	}
	writeTable(&b, "Winner (% of bridged calls)", "lrr", rows)

	outcomes := [][]string{
		{"bridged", strconv.Itoa(r.Bridged), percent(r.Bridged, dials), "of calls"},
		{"voicemail won the race", strconv.Itoa(r.VoicemailWon), percent(r.VoicemailWon, dials), "of calls"},
		{"voicemail bridged", strconv.Itoa(r.Voicemail), percent(r.Voicemail, dials), "of calls"},
		{"whispers declined", strconv.Itoa(r.Declined), percent(r.Declined, r.Answered), fmt.Sprintf("of %d answered legs", r.Answered)},
	}
	if r.Machines > 0 { // only where answering-machine detection found one
		outcomes = append(outcomes, []string{"machines detected", strconv.Itoa(r.Machines), percent(r.Machines, r.Answered), fmt.Sprintf("of %d answered legs", r.Answered)})
	}
	writeTable(&b, "Outcomes", "lrrl", outcomes)

	if m := r.Messages; m.Count > 0 {
		writeTable(&b, "Messages left (<Record>)", "lrrl", [][]string{
			{"calls with a message", strconv.Itoa(m.Calls), percent(m.Calls, r.Calls), "of calls"},
			{"messages", strconv.Itoa(m.Count)},
			{"length p50 (s)", seconds(m.P50, 0)},
			{"length p90 (s)", seconds(m.P90, 0)},
			{"length max (s)", seconds(m.Max, 0)},
		})
	}

	if r.Bridged == 0 {
		b.WriteString("\nTime to connect: no call was bridged\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	c := r.Connect
	writeTable(&b, "Time to connect, from the start of the Dial (s)", "lr", [][]string{
		{"p50", seconds(c.P50, 3)}, {"p90", seconds(c.P90, 3)}, {"p99", seconds(c.P99, 3)}, {"max", seconds(c.Max, 3)},
	})

	h := r.Histogram
	most := slices.Max(h.Counts)
	digits := 0 // as many decimals as the bins' width needs
	for w := time.Duration(h.Width); w%time.Second != 0 && digits < 3; w *= 10 {
		digits++
	}
	rows = nil
	for i, n := range h.Counts {
		from, to := stats.Seconds(i)*h.Width, stats.Seconds(i+1)*h.Width
		rows = append(rows, []string{seconds(from, digits), "–", seconds(to, digits), strconv.Itoa(n), strings.Repeat("#", (n*40+most-1)/most)})
	}
	writeTable(&b, "Histogram of time to connect (s)", "rlrrl", rows)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeTable prints a blank line, the title, and the rows indented by
// two spaces, each column aligned as align says: 'l' for left, 'r' for
// right.
func writeTable(b *strings.Builder, title, align string, rows [][]string) {
	fmt.Fprintf(b, "\n%s\n", title)
	widths := make([]int, len(align))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		line.WriteString(" ")
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			line.WriteString(" ")
			if align[i] == 'r' {
				line.WriteString(pad + cell)
			} else {
				line.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// byCount returns the keys of m, most counted first, then by name.
func byCount(m map[string]int) []string {
	return slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b))
	})
}

func percent(n, of int) string {
	if of == 0 {
		return "-"
	}
	return strconv.FormatFloat(100*float64(n)/float64(of), 'f', 1, 64) + "%"
}

// seconds formats s in seconds with the given number of decimals.
func seconds(s stats.Seconds, decimals int) string {
	return strconv.FormatFloat(float64(s)/1e9, 'f', decimals, 64)
}

func joinInts(is []int) string {
	s := make([]string, len(is))
	for i, n := range is {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

// isTerminal reports whether w is a terminal, where a progress bar
// belongs.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressBar draws the progress of a series on one terminal line.
type progressBar struct {
	w     io.Writer
	drawn bool
}

func (p *progressBar) update(done, total int) {
	const width = 40
	filled := width
	if total > 0 {
		filled = done * width / total
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d calls", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total)
	p.drawn = true
}

// clear erases the bar, if there is one.
func (p *progressBar) clear() {
	if p != nil && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
