package scenarios

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/benbjohnson/clock"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/diff"
	"github.com/dialsim/dialsim/internal/weburl"
)

// RunOptions change how Run, Check and Prepare play a scenario. The zero
// value plays it as the file says, on virtual time.
type RunOptions struct {
	// BaseURL is the base URL of a running application (such as
	// "http://localhost:8080") that serves the call's documents instead of
	// the file: it overrides the file's app directive and its embedded
	// documents. Empty means the file's app directive, or, without one,
	// the documents of the archive.
	BaseURL string
	// Handler serves the call's documents in process (an application's
	// own http.Handler, with no network), instead of the file's app
	// directive and its documents; BaseURL, if set, is then the base
	// against which relative URLs resolve. Nil means BaseURL, or the
	// file.
	Handler http.Handler
	// Token is the auth token that signs the requests, instead of the
	// file's token directive; empty means the file's.
	Token string
	// Client makes the requests to a running application; nil means a
	// default client. It is not used for the archive's documents.
	Client *http.Client
	// Policy, if not nil, overrides the file's policy directive, e.g.
	// Policy: new(engine.FirstAccept). Nil means the file's policy (whose
	// zero value is engine.FirstAnswer); a pointer, since the zero Policy
	// is a policy, FirstAnswer, not "unset".
	Policy *engine.Policy
	// Realtime runs the call on the real clock, so a 30-second ring takes
	// 30 seconds; false means virtual time, which gives the same
	// transcript on every run.
	Realtime bool
	// Run is the stream from which random parties draw: run i of a series
	// draws from (seed, i), so each run of a series differs and any one of
	// them can be replayed. Zero is the stream the transcript in the file
	// was made with. Prepare ignores it: Prepared.Run takes the run.
	Run uint64
	// NoTranscript plays the call without recording its transcript
	// (engine.Engine.NoTranscript): the Result's Events are empty, its
	// outcome is the same. Check cannot use it.
	NoTranscript bool
}

// ErrNoWant is returned by Check for a scenario without a want file.
var ErrNoWant = errors.New("no want file (run with -update to write one)")

// Prepared is a scenario ready to be played many times, as the runs of a
// statistics series are: Prepare does once the work every run of the
// scenario shares (the policy, the application's documents, the inbound
// call), and Run draws one run's parties and plays its call. Make one
// with Prepare; the zero value is not usable. A Prepared is safe for
// concurrent use by several goroutines; each run plays on an engine of
// its own. It refers to the Scenario it was prepared from, which must not
// change while the Prepared is in use.
type Prepared struct {
	s *Scenario
	// engine is the template of every run's engine: everything but its
	// Parties. Its Handler, if any, is an engine.Documents that runs share and
	// the engine only reads.
	engine engine.Engine
	in     engine.Inbound
	// random reports whether some party is random, so each run draws its
	// own; without one, fixed holds the parties of every run (nil if the
	// scenario has none, or if one of them is invalid, which each run then
	// reports).
	random bool
	fixed  engine.Parties
}

// Prepare readies the scenario to be played with opts, whose Run is
// ignored: the run is chosen at each call of Prepared.Run. It returns the
// error Run would return on every run for settings the engine cannot
// take: ErrPolicy for an unknown policy (an *Error if the file names it),
// ErrSyntax for an app option that is not an http or https URL, and
// ErrMissingDoc (in an *Error) for a file without documents or an app
// directive when opts give no application either.
func Prepare(s *Scenario, opts RunOptions) (*Prepared, error) {
	p := new(Prepared)
	if err := p.prepare(s, opts); err != nil {
		return nil, err
	}
	return p, nil
}

// prepare is Prepare into p.
func (p *Prepared) prepare(s *Scenario, opts RunOptions) error {
	*p = Prepared{s: s, engine: engine.Engine{AuthToken: s.Token, Client: opts.Client, NoTranscript: opts.NoTranscript, Cache: engine.NewCache(0)}}
	e := &p.engine
	if opts.Token != "" {
		e.AuthToken = opts.Token
	}
	e.Policy = s.Policy
	if opts.Policy != nil {
		e.Policy = *opts.Policy
	}
	if _, err := e.Policy.MarshalText(); err != nil {
		if opts.Policy != nil {
			return fmt.Errorf("policy option %v: %w", e.Policy, ErrPolicy)
		}
		return &Error{File: s.Name, Line: 1, Err: fmt.Errorf("policy %v: %w", e.Policy, ErrPolicy)}
	}
	app := s.App
	if opts.BaseURL != "" {
		if !weburl.IsAbsolute(opts.BaseURL) {
			return fmt.Errorf("app option %q: want an http or https URL: %w", weburl.Redact(opts.BaseURL), ErrSyntax)
		}
		app = opts.BaseURL
	}
	switch {
	case opts.Handler != nil:
		e.Handler = opts.Handler
		e.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	case app != "":
		e.BaseURL = strings.TrimRight(app, "/")
	case len(s.Docs) == 0:
		return &Error{File: s.Name, Line: s.Call.Line, Err: fmt.Errorf("call url=%s: the file has no documents and no app directive, and no app is given (--app, DIALSIM_APP, RunOptions.BaseURL or Handler): %w", s.Call.URL, ErrMissingDoc)}
	default:
		docs := make(engine.Documents, len(s.Docs))
		for path, doc := range s.Docs {
			docs[path] = string(doc)
		}
		e.Handler = docs
	}
	if opts.Realtime {
		e.Clock = clock.New()
	}
	p.in = engine.Inbound{
		SID:      s.Call.SID,
		Name:     filepath.Base(s.Name),
		From:     s.Call.From,
		To:       s.Call.To,
		URL:      s.Call.URL,
		Method:   s.Call.Method,
		Fallback: s.Call.Fallback,
		Caller:   engine.Caller{Presses: s.Caller.Presses, Hangup: s.Caller.Hangup},
	}
	if !s.Caller.randomRecords() {
		p.in.Caller.Messages = s.Caller.Messages(nil) // the same every run
	}
	p.random = s.Random()
	if !p.random && len(s.Parties) > 0 {
		// Every run plays the same parties, which the engine only
		// reads: draw them once.
		if parties, err := p.parties(nil); err == nil {
			p.fixed = parties
		}
	}
	return nil
}

// parties returns the behaviour of the scenario's parties in a run whose
// random parties draw from rng (nil if none is random), or an *Error for
// the first party that contradicts itself.
func (p *Prepared) parties(rng *rand.Rand) (engine.Parties, error) {
	parties := make(engine.Parties, len(p.s.Parties))
	for i, spec := range p.s.Parties {
		party := spec.Draw(rng)
		if err := party.Validate(); err != nil {
			return nil, &Error{File: p.s.Name, Line: spec.Line, Err: fmt.Errorf("%v: %w", err, ErrContradiction)}
		}
		parties[i] = party
	}
	return parties, nil
}

// Run plays run number run of the prepared scenario to its end, as the
// package's Run does with RunOptions.Run set to run: its random parties
// (and a random caller's inputs, after them) draw from
// fake.NewRand(s.Seed, run). It returns the same result and the
// same errors, among them an *Error wrapping ErrContradiction for a party
// whose behaviour, as drawn for this run, contradicts itself.
func (p *Prepared) Run(ctx context.Context, run uint64) (*engine.Result, error) {
	if p.s.World != nil {
		wr, err := p.RunWorld(ctx, run) // world.go
		return worldResult(wr), err
	}
	e, rng, err := p.runEngine(run)
	if err != nil {
		return nil, err
	}
	res, err := e.Call(ctx, p.inbound(rng))
	if err != nil {
		return res, &Error{File: p.s.Name, Line: p.s.Call.Line, Err: fmt.Errorf("running the call: %w", err)}
	}
	return res, nil
}

// inbound returns the call of a run whose parties drew from rng: the
// caller's random inputs and messages draw after them, so that a random
// caller leaves the parties' draws as they were.
func (p *Prepared) inbound(rng *rand.Rand) engine.Inbound {
	in := p.in
	if p.s.Caller.Random != nil {
		in.Caller.Presses = p.s.Caller.Draw(rng)
	}
	if p.s.Caller.randomRecords() {
		in.Caller.Messages = p.s.Caller.Messages(rng)
	}
	return in
}

// runEngine returns the engine of run number run, with its parties, and
// the random source they drew from (nil if none is random).
func (p *Prepared) runEngine(run uint64) (*engine.Engine, *rand.Rand, error) {
	e := p.engine // each run has an engine of its own
	var rng *rand.Rand
	if p.random {
		rng = fake.NewRand(p.s.Seed, run)
	}
	switch {
	case p.fixed != nil:
		e.Parties = p.fixed
	case len(p.s.Parties) > 0:
		parties, err := p.parties(rng)
		if err != nil {
			return nil, nil, err
		}
		e.Parties = parties
	}
	return &e, rng, nil
}

// Run plays the scenario's call to its end and returns the engine's
// result, whose Events are the transcript. Problems of the application (a
// TwiML error, a failed request) are in the transcript, not errors. An
// error is returned for a scenario the engine cannot run, or when the
// simulation fails (a deadlock, ctx ending); it is an *Error naming the
// scenario's call line, and the Result, if not nil, holds the transcript
// so far. To play many runs of one scenario, Prepare it once instead.
func Run(ctx context.Context, s *Scenario, opts RunOptions) (*engine.Result, error) {
	var p Prepared // not Prepare's: one run need not put it on the heap
	if err := p.prepare(s, opts); err != nil {
		return nil, err
	}
	return p.Run(ctx, opts.Run)
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
	opts.NoTranscript = false // the transcript is what is checked
	res, err := Run(ctx, s, opts)
	if err != nil {
		return "", err
	}
	got := Transcript(res)
	return Diff(fmt.Sprintf("%s:%d want", s.Name, s.WantLine), s.Want, "got", got), nil
}

// Diff returns a unified diff (three lines of context) from want to got,
// headed by their names, or "" if they are equal. It compares lines; a
// last line without a newline equals the same line with one. The diff is
// anchored on the lines that occur once in each text, so that a changed
// transcript shows its changed events, and it takes time about linear in
// the lines compared.
func Diff(wantName string, want []byte, gotName string, got []byte) string {
	return diff.Unified(wantName, want, gotName, got)
}
