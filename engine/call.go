package engine

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/twiml"
)

// Simulated durations (README "Behaviour": Twilio documents none of them).
const (
	// SayWordTime is how long <Say> takes per word: 150 words a minute.
	SayWordTime = 400 * time.Millisecond
	// PlayTime is how long one loop of <Play> with a URL takes.
	PlayTime = 5 * time.Second
	// DigitTime is how long one DTMF key (or a w) takes in <Play digits>
	// and sendDigits; W takes twice as long.
	DigitTime = 500 * time.Millisecond
	// InfiniteLoop is the number of loops that loop="0" (until the call
	// ends) stands for.
	InfiniteLoop = 1000
	// LongestWait is the longest a Pause, a Gather's timeout or a Dial's
	// timeLimit may last: four hours, Twilio's longest call. A longer
	// value counts as LongestWait.
	LongestWait = 4 * time.Hour
)

// twimlSeconds turns a TwiML attribute in whole seconds into a duration, at
// most LongestWait (so no value, however large, overflows).
func twimlSeconds(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	if n >= int(LongestWait/time.Second) {
		return LongestWait
	}
	return time.Duration(n) * time.Second
}

var (
	errCallerHangup = errors.New("the caller hung up")
	errPartyHangup  = errors.New("the party hung up")
)

// call is one simulated call in progress.
type call struct {
	e     *Engine
	s     scheduler
	in    Inbound
	start time.Duration // the clock's Elapsed when the call started
	cache *Cache
	fetch *webhook.Fetcher
	// static is set when the application is a DocumentFinder, which never
	// sees a POST's parameters.
	static bool

	sid     string
	account string
	base    string

	// life is the context of the whole run of the call, which the caller
	// hanging up does not end: the requests Twilio makes after the caller
	// has gone (the Dial's action, the legs' last status callbacks) use it,
	// so that cancelling Engine.Call still stops them.
	life context.Context

	// The contexts of the call: lifeCtx is life; callCtx ends when the
	// caller hangs up.
	lifeCtx, callCtx legContext

	// Touched only by the call's own goroutine, or under mu.
	mu       turnLock
	events   []Event
	attrs    []Attr // the unused rest of the chunk events' attributes come from
	nattrs   int    // the fields of the events so far
	hinted   bool   // the transcript was sized from the last call's: sizeTranscript
	status   string
	answered bool
	// delayed is set when a verb that does not pick up (a leading Pause,
	// an empty Say, a Dial with answerOnBridge) ran before the answer: see
	// pickUp.
	delayed bool
	endAt   time.Duration
	dials   []DialResult
	budget  budget // what it requested, against its limits (limits.go)
	presses int
	failure *fetchFailure // a document of the call that failed, until the fallback takes it
	failed  bool          // a document of the call failed
	// unreachable is set when the call's first request could not
	// connect; Call returns it.
	unreachable *UnreachableError
	legs        int
	finished    bool
	legBufs     []*[]leg        // the Dials' legs, recycled when the call is over
	noted       map[string]bool // the document URLs whose notes are in the transcript (noteUnsimulated)
	// <Record> (record.go): the caller's messages used, the recordings
	// made, and the callbacks still to come.
	messages   int
	recordingN int
	recordings []Recording
	pending    []*fake.Queue[struct{}]

	// The call's place in a World (world.go), nil for Engine.Call; local
	// holds the queues of a call outside a world (queue.go).
	wc    *worldCall
	local *resources
}

func newCall(e *Engine, s scheduler, in Inbound) *call {
	if in.Method == "" {
		in.Method = "POST"
	}
	if in.FallbackMethod == "" {
		in.FallbackMethod = "POST"
	}
	cache := e.cache()
	c := &call{e: e, s: s, in: in, start: s.Elapsed(), cache: cache, fetch: e.fetcher(cache), account: e.accountSID(), base: e.baseURL(), status: "ringing"}
	_, turns := s.(*fake.Clock)
	c.mu.real = !turns
	_, c.static = e.Handler.(DocumentFinder)
	c.sid = in.SID
	switch {
	case c.sid != "":
	case in.Name != "":
		c.sid = e.sid("CA", in.Name, in.From, in.To, in.URL)
	default:
		c.sid = e.sid("CA", in.From, in.To, in.URL)
	}
	return c
}

// A turnLock is the lock of a call's state, which the call's goroutines
// share: a sync.Mutex on a fake.Wall, where they run at once, and nothing
// on a fake.Clock, whose goroutines take turns. There only the goroutine
// holding the turn runs, and each hand-over of the turn is a switch of
// coroutines (iter.Pull), which orders memory as an Unlock and the next
// Lock would, and which the race detector knows of. Nothing outside the
// clock touches a call's state while it runs: Engine.Call reads it after
// Run has returned, and a World's outside requests are applied by the
// world's own goroutine, at their instants.
//
// BenchmarkCall/legs=10 (bench), with the lock taken on a Clock too and
// without, interleaved runs of two test binaries on 2 cores, 1 Dec 2026,
// medians of 9: 24.7 µs a call without, 25.9 µs with.
type turnLock struct {
	mu   sync.Mutex
	real bool // lock: the call runs on a fake.Wall
}

// Lock locks l on a Wall.
func (l *turnLock) Lock() {
	if l.real {
		l.mu.Lock()
	}
}

// Unlock unlocks l on a Wall.
func (l *turnLock) Unlock() {
	if l.real {
		l.mu.Unlock()
	}
}

func (c *call) now() time.Duration { return c.s.Elapsed() - c.start }

// run executes the call from its first request to its end.
func (c *call) run(parent context.Context) error {
	c.lifeCtx.init(parent)
	ctx := &c.lifeCtx
	stop := func() { ctx.end(nil) }
	defer stop()
	c.life = ctx
	c.callCtx.init(ctx)
	callCtx := &c.callCtx
	hangup := callCtx.end
	defer hangup(nil)
	c.emit(KindCallStart, "", a("CallSid", c.sid), a("From", c.in.From), a("To", c.in.To))
	c.startTimers(ctx, callCtx, hangup) // the caller's hangup, or LongestCall
	doc := c.firstDocument(callCtx)     // world_api.go
	for {
		if doc == nil {
			if doc = c.fallback(callCtx); doc == nil {
				break
			}
		}
		doc = c.execute(c.docContext(callCtx), doc)
		if next, ok := c.redirected(callCtx); ok {
			doc = next // redirected from outside (World.UpdateCall)
		}
	}
	if c.failed && callCtx.Err() == nil && !c.answered {
		// Twilio answers to play its "application error" message.
		c.answer()
	}
	c.end(callCtx)
	hangup(nil)     // the caller's part is over: its hangup timer is void
	c.waitPending() // transcriptions come after the call, too
	stop()          // the caller's hangup timer, if it has not fired
	return parent.Err()
}

// fetchFailure is a document of the caller's call that could not be
// fetched or parsed: the fallback URL's cue.
type fetchFailure struct {
	code     int
	url      string
	fallback bool // the fallback URL failed: nothing more to try
}

// fallback requests the call's fallback URL after a document of the call
// failed, with ErrorCode and ErrorUrl, as Twilio does after any fatal error
// of the call. It returns nil when there is no failure to recover, no
// fallback URL, or the fallback itself failed.
func (c *call) fallback(ctx context.Context) *document {
	f := c.failure
	c.failure = nil
	if f == nil || c.in.Fallback == "" || ctx.Err() != nil || f.fallback {
		return nil
	}
	extra := []param{{"ErrorCode", strconv.Itoa(f.code)}, {"ErrorUrl", f.url}}
	doc := c.document(ctx, nil, c.in.Fallback, c.in.FallbackMethod, c.base, extra, false)
	if doc == nil && c.failure != nil {
		c.failure.fallback = true
	}
	return doc
}

// end closes the call: its final status and the call.end event.
func (c *call) end(callCtx context.Context) {
	c.mu.Lock()
	if c.finished {
		c.mu.Unlock()
		return
	}
	c.finished = true
	switch {
	case c.answered:
		c.status = "completed"
	case c.status == "ringing":
		// Never answered (docs/twilio.md, “How a Dial ends”): a
		// caller who gave up, or a call whose pickup a verb delayed, ends
		// no-answer; a document with no verbs ends as a Hangup would.
		if causeOf(callCtx) == errCallerHangup || c.delayed {
			c.status = "no-answer"
		} else {
			c.status = "completed"
		}
	}
	status := c.status
	c.mu.Unlock()
	t := c.now()
	c.mu.Lock()
	c.endAt = t
	c.mu.Unlock()
	c.emit(KindCallEnd, "", a("CallStatus", status), a("CallDuration", wholeSeconds(t)))
}

// pickUp answers the caller's call, if it is still ringing, as running v
// does (docs/twilio.md, “How a Dial ends”): every verb answers
// but these. <Reject> never does. A <Pause>, a <Say> without words, and a
// <Dial answerOnBridge="true"> (which answers at the bridge) delay the
// answer: requests made meanwhile carry CallStatus=ringing. A <Hangup>
// (which answers to hang up) and a <Redirect> answer unless a verb delayed
// the answer: then the call ends unanswered, no-answer, or the redirected
// document's verbs decide.
func (c *call) pickUp(v twiml.Verb) {
	if c.answered {
		return
	}
	switch v := v.(type) {
	case *twiml.Reject:
		return
	case *twiml.Pause:
		c.delayed = true
		return
	case *twiml.Say:
		if words(v.Text) == 0 {
			c.delayed = true
			return
		}
	case *twiml.Dial:
		if v.AnswerOnBridge {
			c.delayed = true
			return
		}
	case *twiml.Hangup, *twiml.Redirect:
		if c.delayed {
			return
		}
	}
	c.answer()
}

// answer marks the caller's call answered, the first time.
func (c *call) answer() {
	c.mu.Lock()
	was := c.answered
	c.answered = true
	c.status = "in-progress"
	c.mu.Unlock()
	if !was {
		c.emit(KindCallAnswered, "")
	}
}
