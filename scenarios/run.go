package scenarios

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/benbjohnson/clock"

	"dialsim/engine"
	"dialsim/fake"
)

// RunOptions change how Run and Check play a scenario. The zero value plays
// it as the file says, on virtual time.
type RunOptions struct {
	// App is the base URL of a running application (such as
	// "http://localhost:8080") that serves the call's documents instead of
	// the file: it overrides the file's app directive and its embedded
	// documents. Empty means the file's app directive, or, without one,
	// the documents of the archive.
	App string
	// Client makes the requests to a running application; nil means a
	// default client. It is not used for the archive's documents.
	Client *http.Client
	// Policy overrides the file's policy directive: "first-answer" or
	// "first-accept". Empty means the file's policy.
	Policy string
	// Realtime runs the call on the real clock, so a 30-second ring takes
	// 30 seconds; false means virtual time, which gives the same
	// transcript on every run.
	Realtime bool
	// Run is the stream from which random parties draw: run i of a series
	// draws from (seed, i), so each run of a series differs and any one of
	// them can be replayed. Zero is the stream the transcript in the file
	// was made with.
	Run uint64
}

// ErrNoWant is returned by Check for a scenario without a want file.
var ErrNoWant = errors.New("no want file (run with -update to write one)")

// setup returns the engine that plays s with opts, and the inbound call it
// starts with. Random parties draw their behaviour here.
func setup(s *Scenario, opts RunOptions) (*engine.Engine, engine.Inbound, error) {
	e := &engine.Engine{AuthToken: s.Token, Client: opts.Client}
	policy := s.Policy
	if opts.Policy != "" {
		policy = opts.Policy
	}
	if policy != "" {
		p, err := engine.ParsePolicy(policy)
		if err != nil {
			if opts.Policy != "" {
				return nil, engine.Inbound{}, fmt.Errorf("policy option: %w", ErrPolicy)
			}
			return nil, engine.Inbound{}, &Error{File: s.Name, Line: 1, Err: fmt.Errorf("policy %s: %w", policy, ErrPolicy)}
		}
		e.Policy = p
	}
	app := s.App
	if opts.App != "" {
		if !isHTTPURL(opts.App) {
			return nil, engine.Inbound{}, fmt.Errorf("app option %q: want an http or https URL: %w", opts.App, ErrSyntax)
		}
		app = opts.App
	}
	if app != "" {
		e.BaseURL = strings.TrimRight(app, "/")
	} else {
		docs := make(engine.Documents, len(s.Docs))
		for path, doc := range s.Docs {
			docs[path] = string(doc)
		}
		e.App = docs
	}
	if len(s.Parties) > 0 {
		rng := fake.NewRand(s.Seed, opts.Run)
		parties := make(engine.Parties, len(s.Parties))
		for i, spec := range s.Parties {
			p := spec.Draw(rng)
			if err := p.Validate(); err != nil {
				return nil, engine.Inbound{}, &Error{File: s.Name, Line: spec.Line, Err: fmt.Errorf("%v: %w", err, ErrContradiction)}
			}
			parties[i] = p
		}
		e.Parties = parties
	}
	if opts.Realtime {
		e.Clock = clock.New()
	}
	in := engine.Inbound{
		From:     s.Call.From,
		To:       s.Call.To,
		URL:      s.Call.URL,
		Method:   s.Call.Method,
		Fallback: s.Call.Fallback,
		Caller:   engine.Caller{Presses: s.Caller.Presses, Hangup: s.Caller.Hangup},
	}
	return e, in, nil
}

// Run plays the scenario's call to its end and returns the engine's
// result, whose Events are the transcript. Problems of the application (a
// TwiML error, a failed request) are in the transcript, not errors. An
// error is returned for a scenario the engine cannot run, or when the
// simulation fails (a deadlock, ctx ending); it is an *Error naming the
// scenario's call line, and the Result, if not nil, holds the transcript
// so far.
func Run(ctx context.Context, s *Scenario, opts RunOptions) (*engine.Result, error) {
	e, in, err := setup(s, opts)
	if err != nil {
		return nil, err
	}
	res, err := e.Call(ctx, in)
	if err != nil {
		return res, &Error{File: s.Name, Line: s.Call.Line, Err: fmt.Errorf("running the call: %w", err)}
	}
	return res, nil
}

// Transcript returns the text transcript of a result, as a want file
// holds it.
func Transcript(res *engine.Result) []byte {
	var b bytes.Buffer
	engine.WriteText(&b, res.Events) // a bytes.Buffer does not fail
	return b.Bytes()
}

// Check plays the scenario and compares its transcript with the want
// file. It returns "" if they are equal, and otherwise a unified diff,
// "-want +got". A scenario without a want file gives ErrNoWant (in an
// *Error); a failed run gives Run's error.
func Check(ctx context.Context, s *Scenario, opts RunOptions) (diff string, err error) {
	if !s.HasWant {
		return "", &Error{File: s.Name, Line: 1, Err: ErrNoWant}
	}
	res, err := Run(ctx, s, opts)
	if err != nil {
		return "", err
	}
	got := Transcript(res)
	return Diff(fmt.Sprintf("%s:%d want", s.Name, s.WantLine), s.Want, "got", got), nil
}

// Diff returns a unified diff (three lines of context) from want to got,
// headed by their names, or "" if they are equal. It compares lines; a
// last line without a newline equals the same line with one.
func Diff(wantName string, want []byte, gotName string, got []byte) string {
	a, b := splitLines(want), splitLines(got)
	if equalLines(a, b) {
		return ""
	}
	ops := diffLines(a, b)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", wantName, gotName)
	const context = 3
	// Group the edits into hunks: runs of changes at most 2*context
	// equal lines apart.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-context, 0)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j + 1
			} else if j-end >= 2*context {
				break
			}
		}
		end = min(end+context, len(ops))
		hunk := ops[start:end]
		aStart, bStart := ops[start].a, ops[start].b
		var aLen, bLen int
		for _, op := range hunk {
			if op.kind != '+' {
				aLen++
			}
			if op.kind != '-' {
				bLen++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		for _, op := range hunk {
			out.WriteByte(op.kind)
			out.WriteString(op.text)
			out.WriteByte('\n')
		}
		i = end
	}
	return out.String()
}

// hunkRange formats a hunk's start (0-based) and length as unified diffs
// do: 1-based, with the length left out when it is 1, and the line before
// when the range is empty.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func splitLines(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" && len(b) <= 1 {
		return nil
	}
	return strings.Split(s, "\n")
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// diffOp is one line of a diff: kept (' '), removed ('-') or added ('+'),
// with its index in the old (a) and new (b) lines.
type diffOp struct {
	kind byte
	text string
	a, b int
}

// diffLines computes a shortest edit script by the longest common
// subsequence. Transcripts are short (hundreds of lines), so the quadratic
// table is cheap; removals come before additions within a change.
func diffLines(a, b []string) []diffOp {
	// lcs[i][j] is the length of the LCS of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []diffOp
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, diffOp{' ', a[i], i, j})
			i++
			j++
		case j == len(b) || i < len(a) && lcs[i+1][j] >= lcs[i][j+1]:
			ops = append(ops, diffOp{'-', a[i], i, j})
			i++
		default:
			ops = append(ops, diffOp{'+', b[j], i, j})
			j++
		}
	}
	return ops
}
