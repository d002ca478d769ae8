package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/webhook"

	"github.com/benbjohnson/clock"
)

// DefaultBaseURL is the base against which a call's relative URLs resolve
// when Engine.BaseURL is empty. Requests to it reach Engine.Handler in process.
const DefaultBaseURL = "http://app.test"

// DefaultMaxDocuments is how many TwiML documents one call may fetch when
// Engine.MaxDocuments is zero: enough for any real flow, and a stop for a
// Redirect loop, which takes no virtual time and would otherwise never end.
const DefaultMaxDocuments = 100

// Engine runs simulated calls. Its zero value works: calls run on virtual
// time, every dialed party rings until cancelled, the screening policy is
// FirstAnswer, and requests go to DefaultBaseURL with no Handler, so each fails
// as a connection failure would. Its calls change nothing in it but the
// Cache it makes at the first (when Cache is nil), so many may run at
// once, from many goroutines; do not copy an Engine while a call runs on
// it.
type Engine struct {
	// Handler serves the application's TwiML in process, whatever the
	// host of the URL. Nil means requests go over HTTP with Client.
	Handler http.Handler
	// Client makes requests when Handler is nil; nil means a default client.
	Client *http.Client
	// BaseURL is the base for a call's relative URLs, such as
	// "http://localhost:8080"; empty means DefaultBaseURL.
	BaseURL string
	// Parties says how each dialed address behaves; nil means no address is
	// scripted, so each rings until it is cancelled.
	Parties Directory
	// Policy is the screening policy of every Dial.
	Policy Policy
	// AccountSID is sent as AccountSid; empty means one derived from
	// "dialsim", the same on every run.
	AccountSID string
	// AuthToken signs each request with X-Twilio-Signature; empty means
	// requests are not signed.
	AuthToken string
	// Clock, when set, runs calls on it instead of virtual time: clock.New()
	// for real time, or a *clock.Mock you step. Neither gives virtual time's
	// determinism.
	Clock clock.Clock
	// FetchTimeout is the real-time limit of one request; zero means 15 s,
	// Twilio's.
	FetchTimeout time.Duration
	// MaxDocuments is the most TwiML documents one call may fetch; zero means
	// DefaultMaxDocuments.
	MaxDocuments int
	// MaxRequests is the most requests the Dial legs of one call may make,
	// their whisper documents and status callbacks together; zero means
	// DefaultMaxRequests. The caller's own documents count against
	// MaxDocuments instead, so the legs cannot use up what the Dial's action
	// needs.
	MaxRequests int
	// NoTranscript leaves Result.Events empty. The call runs the same and
	// its outcome (Status, Duration, Dials) is the same; only the
	// transcript is not recorded, which spares most of a call's
	// allocations. Statistics, which count outcomes, run this way.
	NoTranscript bool
	// Cache keeps the documents the Engine's calls fetch compiled, and the
	// URLs and SIDs they derive, for its other calls. Engines may share
	// one. Nil means the Engine's own, bounded by DefaultCacheBytes and
	// made by its first call; a copy of the Engine made after that shares
	// it.
	Cache *Cache

	own ownCache // the Cache when Cache is nil
	// fetchExpired ends a request's FetchTimeout early, a value a request
	// (webhook.Config.Expired): set by tests only (export_test.go), so
	// that they wait out no real timeout.
	fetchExpired <-chan struct{}
}

// cache returns the Engine's Cache.
func (e *Engine) cache() *Cache {
	if e.Cache != nil {
		return e.Cache
	}
	return e.own.get()
}

// Directory tells the engine how the party at a dialed address behaves.
type Directory interface {
	// Party returns the behaviour of the party at addr, and false if the
	// address is not scripted.
	Party(addr string) (fake.Party, bool)
}

// Parties is a Directory listing scripted parties.
type Parties []fake.Party

// Party returns the first listed party whose Addr is addr.
func (ps Parties) Party(addr string) (fake.Party, bool) {
	for _, p := range ps {
		if p.Addr == addr {
			return p, true
		}
	}
	return fake.Party{}, false
}

// Policy is how a Dial with whisper TwiML chooses its winner
// (docs/twilio.md, “Screening and the race”; Twilio documents neither).
type Policy int

const (
	// FirstAnswer: the first leg to answer wins and every other leg is
	// cancelled at that instant; its whisper then runs, and a declined
	// whisper ends the Dial (completed, not bridged).
	FirstAnswer Policy = iota
	// FirstAccept: each answered leg runs its own whisper while the others
	// keep ringing; the first to accept is bridged and the rest cancelled; a
	// leg that declines drops out.
	FirstAccept
)

// String returns "first-answer" or "first-accept".
func (p Policy) String() string {
	switch p {
	case FirstAnswer:
		return "first-answer"
	case FirstAccept:
		return "first-accept"
	}
	return fmt.Sprintf("Policy(%d)", int(p))
}

// ParsePolicy returns the policy named s: "first-answer" or "first-accept".
func ParsePolicy(s string) (Policy, error) {
	for _, p := range Policies() {
		if p.String() == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("unknown screening policy %q (want first-answer or first-accept)", s)
}

// Policies returns every policy, in the order of their values: the names
// a policy's text may take are theirs.
func Policies() []Policy { return []Policy{FirstAnswer, FirstAccept} }

// MarshalText returns the policy's name, as String does, or an error for
// a value that is not a policy.
func (p Policy) MarshalText() ([]byte, error) {
	if _, err := ParsePolicy(p.String()); err != nil {
		return nil, fmt.Errorf("engine: %v is not a screening policy", p)
	}
	return []byte(p.String()), nil
}

// UnmarshalText sets p to the policy text names, as ParsePolicy does: a
// Policy is a flag.TextVar, and a JSON string.
func (p *Policy) UnmarshalText(text []byte) error {
	q, err := ParsePolicy(string(text))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// Inbound is a call arriving at the application, as Twilio would place it.
type Inbound struct {
	// From and To are the caller's and the called number, E.164 or
	// "client:name".
	From, To string
	// URL is the application's voice URL, absolute or relative to
	// Engine.BaseURL.
	URL string
	// Method is "GET" or "POST" for URL; empty means POST.
	Method string
	// Fallback is requested when URL fails; empty means none.
	Fallback string
	// FallbackMethod is "GET" or "POST" for Fallback; empty means POST.
	FallbackMethod string
	// Caller scripts what the caller does.
	Caller Caller
	// SID is the call's CallSid; empty means one derived from Name, From,
	// To and URL, the same on every run.
	SID string
	// Name tells calls apart that have the same From, To and URL, such
	// as the scenarios of a suite (package scenarios gives a scenario
	// file's base name): it is hashed into the derived CallSid, and so
	// into every leg's. Empty means the SID of From, To and URL alone.
	Name string
}

// Caller is what the caller does during a call.
type Caller struct {
	// Presses are keys the caller presses, or words it says (a Press
	// with Speech): the i-th at the i-th point of input the call meets (a
	// Gather, or the bridge of a Dial with hangupOnStar), After the
	// moment that input starts.
	Presses []fake.Press
	// Hangup is when the caller hangs up, from the start of the call; zero
	// means never.
	Hangup time.Duration
	// Messages are what the caller does at the <Record>s the call meets,
	// the i-th at the i-th; a Record beyond the last hears silence.
	Messages []fake.Message
}

// Result is how a call went.
type Result struct {
	// SID is the call's CallSid.
	SID string
	// Status is the call's final CallStatus: completed, busy or no-answer
	// (a call never answered, a caller who hung up while it rang included:
	// docs/twilio.md, “How a Dial ends”).
	Status string
	// Duration is the call's virtual length, from its start to its end
	// (call.end's CallDuration, unrounded).
	Duration time.Duration
	// Events is the transcript.
	Events []Event
	// Dials are the outcomes of the call's Dials, in order.
	Dials []DialResult
	// Recordings are the recordings the call made (<Record>, <Dial
	// record>), in the order they ended; an empty <Record> is none.
	Recordings []Recording
}

// DialResult is the outcome of one Dial, as its action request reports it,
// plus figures for race statistics.
type DialResult struct {
	// At is when the Dial started.
	At time.Duration
	// Status is DialCallStatus.
	Status string
	// SID is DialCallSid.
	SID string
	// To is the bridged party's address, or empty.
	To string
	// Bridged is DialBridged.
	Bridged bool
	// Duration is the bridged leg's time from its answer to its end,
	// its whisper included: the CallDuration of its leg.end, unrounded;
	// zero if nothing was bridged. DialCallDuration rounds it to whole
	// seconds, as the action request sends it.
	Duration time.Duration
	// Connect is the time from the Dial's start to the bridge; zero if
	// nothing was bridged.
	Connect time.Duration
	// Declined counts whispers declined in this Dial.
	Declined int
	// Voicemail reports that the bridged party was a voicemail.
	Voicemail bool
	// VoicemailWon reports that a voicemail won the race (in a
	// sequential Dial, one of its races): under FirstAnswer, it answered
	// first, whether its whisper then accepted or declined; under
	// FirstAccept, it accepted first and was bridged. Voicemail is the
	// bridged case alone.
	VoicemailWon bool
	// Answered counts the legs of the Dial that answered, the bridged one
	// included.
	Answered int
	// Machines counts the legs of the Dial that answering-machine
	// detection found answered by a machine (AnsweredBy machine_...).
	Machines int
}

// DialCallDuration returns Duration in whole seconds, rounded, as the
// Dial's action request and its dial.end event give DialCallDuration;
// 0 if nothing was bridged.
func (d DialResult) DialCallDuration() int {
	if !d.Bridged {
		return 0
	}
	return wholeSeconds(d.Duration)
}

// ErrNoURL is returned by Call for an Inbound without a URL.
var ErrNoURL = errors.New("engine: inbound call has no URL")

// scheduler is what the engine needs of a clock: *fake.Clock (virtual
// time) and *fake.Wall (a benbjohnson clock) provide it.
type scheduler = fake.Scheduler

// Call runs one call to its end and returns its transcript and outcome.
// Problems of the application (a TwiML error, a failed request) are events
// in the transcript, not errors: Call returns an error only for an Inbound
// it cannot place, an application it cannot reach (an *UnreachableError,
// with the whole transcript in the Result), a deadlock of the simulation,
// or ctx ending first, in which case the Result holds the transcript so
// far.
func (e *Engine) Call(ctx context.Context, in Inbound) (*Result, error) {
	if in.URL == "" {
		return nil, ErrNoURL
	}
	var s scheduler
	if e.Clock != nil {
		s = fake.NewWall(e.Clock)
	} else {
		s = fake.NewClock(time.Time{})
	}
	c := newCall(e, s, in)
	var runErr error
	err := s.Run(func() { runErr = c.run(ctx) })
	c.releaseLegs() // every goroutine of the call has returned
	c.mu.Lock()
	defer c.mu.Unlock()
	if !e.NoTranscript {
		c.cache.noteTranscript(len(c.events), c.nattrs)
	}
	res := &Result{SID: c.sid, Status: c.status, Duration: c.endAt, Events: c.events, Dials: c.dials, Recordings: c.recordings}
	if err != nil {
		return res, err
	}
	if runErr == nil && c.unreachable != nil {
		return res, c.unreachable
	}
	return res, runErr
}

func (e *Engine) baseURL() string {
	if e.BaseURL == "" {
		return DefaultBaseURL
	}
	return e.BaseURL
}

func (e *Engine) accountSID() string {
	if e.AccountSID == "" {
		return e.sid("AC", "dialsim")
	}
	return e.AccountSID
}

func (e *Engine) maxDocuments() int {
	if e.MaxDocuments <= 0 {
		return DefaultMaxDocuments
	}
	return e.MaxDocuments
}

func (e *Engine) party(addr string) (fake.Party, bool) {
	if e.Parties == nil {
		return fake.Party{Addr: addr}, false
	}
	p, ok := e.Parties.Party(addr)
	if !ok {
		return fake.Party{Addr: addr}, false
	}
	return p, true
}

func (e *Engine) fetcher(cache *Cache) *webhook.Fetcher {
	var docs func(string) (string, bool)
	if d, ok := e.Handler.(DocumentFinder); ok {
		docs = d.Document // answers as its ServeHTTP would
	}
	return webhook.New(webhook.Config{
		Handler:   e.Handler,
		Documents: docs,
		Targets:   cache.targets,
		Client:    e.Client,
		AuthToken: e.AuthToken,
		Timeout:   e.FetchTimeout,
		Expired:   e.fetchExpired,
	})
}
