package engine

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/dialsim/dialsim/fake"
)

// World is several calls on one virtual clock (README, “Worlds”): callers
// arriving at given instants, each with its own script, and agents' calls,
// which share the world's queues. Every call runs on the same clock, so a
// world, like one call, gives the same transcript on every run. Make one
// with NewWorld, add its calls with Add, then Run it once.
type World struct {
	// Name, when set, is part of every CallSid the world derives (as the
	// scenario's file name is in a single call's, Inbound.Name), so that
	// two worlds whose calls have the same names do not share SIDs. Set
	// it before Add.
	Name string

	e *Engine
	// rng draws the calls' random times (Patience, Talk, Wrap).
	rng *rand.Rand

	specs []WorldCall
	names map[string]bool

	// While the world runs.
	s        scheduler
	mu       sync.Mutex
	events   []Event
	recs     []*worldCall
	callers  int // callers' calls that have not ended
	done     legContext
	res      resources
	ran      bool
	ops      []apiOp         // requests to the Calls resource (world_api.go)
	canceled map[string]bool // calls canceled before they were placed
}

// WorldCall is one call of a World: an inbound call placed At, or, for an
// agent, the first of the calls the agent places one after another.
type WorldCall struct {
	// Name names the call in the world's transcript and results; it must
	// be unique in the world. An agent's later calls are named Name.2,
	// Name.3 and so on.
	Name string
	// At is when the call arrives, from the start of the world.
	At time.Duration
	// Inbound is the call; its SID, if empty, is derived from Name.
	Inbound Inbound
	// Patience is how long the caller waits in a queue before hanging
	// up, drawn at each Enqueue; zero (Fixed(0)) means forever.
	Patience fake.Dist
	// Talk is how long after a queue bridge the caller of this call hangs
	// up, drawn at each bridge; zero means the other side ends the bridge.
	Talk fake.Dist
	// Agent makes the call an agent's: when it ends, the agent places the
	// same call again after Wrap, as long as a caller's call of the world
	// has not ended. When the last caller's call ends, each agent hangs
	// up.
	Agent bool
	// Wrap is the time an agent takes between two calls, drawn after each.
	Wrap fake.Dist

	out *CallParams // an outbound-api call's (CreateCall)
}

// WorldResult is how a world went.
type WorldResult struct {
	// Events is the transcript of every call: each event's Call names its
	// call and its T is the time since the world started. Events are in
	// the order they happened: by time, and at one instant in the order
	// the clock ran them (fake.Clock's rules), which is the same on every
	// run.
	Events []Event
	// Calls are the calls' results, in the order they were placed.
	Calls []CallResult
	// Duration is the world's virtual length: when its last call ended.
	Duration time.Duration
}

// CallResult is the result of one call of a world.
type CallResult struct {
	// Name is the call's name.
	Name string
	// At is when the call started, from the start of the world.
	At time.Duration
	// Agent reports that an agent placed the call.
	Agent bool
	// Result is the call's own result: its Events' times are from the
	// call's start, as Engine.Call's are.
	*Result
	// Queues are the call's stays in queues (Enqueue), in order.
	Queues []QueueVisit
}

// QueueVisit is one Enqueue of a call: what its action request reports.
type QueueVisit struct {
	// Queue is the queue's name.
	Queue string
	// At is when the call joined it, from the start of the world.
	At time.Duration
	// Result is QueueResult: bridged, queue-full, hangup, leave,
	// redirected or error.
	Result string
	// Wait is QueueTime: how long the call waited to be dequeued (or to
	// leave).
	Wait time.Duration
}

// Errors of World.Add.
var (
	ErrWorldName = errors.New("engine: a world's calls need distinct, non-empty names")
	ErrWorldRan  = errors.New("engine: the world has run already")
)

// NewWorld returns an empty world whose calls run on e (which must not
// change while the world runs) and draw their random times from rng; nil
// means fake.NewRand(0, 0).
func NewWorld(e *Engine, rng *rand.Rand) *World {
	if rng == nil {
		rng = fake.NewRand(0, 0)
	}
	return &World{e: e, rng: rng, names: map[string]bool{}}
}

// Add adds a call to the world. It returns ErrNoURL for a call without a
// URL, ErrWorldName for a name that is empty or already taken, an error
// wrapping fake.ErrDist for an invalid distribution, and ErrWorldRan once
// the world has run.
func (w *World) Add(c WorldCall) error {
	switch {
	case w.ran:
		return ErrWorldRan
	case c.Inbound.URL == "":
		return ErrNoURL
	case c.Name == "" || w.names[c.Name]:
		return fmt.Errorf("%w: %q", ErrWorldName, c.Name)
	case c.At < 0:
		return fmt.Errorf("engine: call %s arrives at %v, before the world starts", c.Name, c.At)
	}
	for _, d := range []fake.Dist{c.Patience, c.Talk, c.Wrap} {
		if err := d.Validate(); err != nil {
			return fmt.Errorf("engine: call %s: %w", c.Name, err)
		}
	}
	w.names[c.Name] = true
	w.specs = append(w.specs, c)
	return nil
}

// worldCall is one call of a running world.
type worldCall struct {
	w     *World
	spec  *WorldCall
	name  string
	c     *call
	stop  legContext // the parent of the call's run: ending it hangs the call up
	ended bool

	visits []QueueVisit

	// Steering from outside (world_api.go).
	out      *outbound   // an outbound-api call's parameters
	started  bool        // the call's contexts are ready
	redirect *CallUpdate // a redirect to run next
	doc      legContext  // the context of the document the call runs
}

// draw returns a time drawn from d with the world's source, or zero for
// Fixed(0), which takes no value.
func (w *World) draw(d fake.Dist) time.Duration {
	if d == (fake.Dist{}) {
		return 0
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return d.Draw(w.rng)
}

// Run runs the world until its last caller's call has ended (then every
// agent hangs up, and their calls end too) and returns every call's
// result. As with Engine.Call, problems of the application are events
// in the transcript; Run returns an error for a deadlock of the
// simulation or ctx ending, with the results so far.
func (w *World) Run(ctx context.Context) (*WorldResult, error) {
	if w.ran {
		return nil, ErrWorldRan
	}
	w.ran = true
	if w.e.Clock != nil {
		w.s = fake.NewWall(w.e.Clock)
	} else {
		w.s = fake.NewClock(time.Time{})
	}
	w.canceled = map[string]bool{}
	w.done.init(ctx)
	for _, sp := range w.specs {
		if !sp.Agent {
			w.callers++
		}
	}
	err := w.s.Run(func() {
		if w.callers == 0 {
			w.done.end(nil) // no caller: the agents have no one to wait for
		}
		// One goroutine places the calls in the order of their
		// instants (file order among equal ones), so that the clock does
		// not hold a parked goroutine for every call still to come.
		order := make([]*WorldCall, len(w.specs))
		for i := range w.specs {
			order[i] = &w.specs[i]
		}
		slices.SortStableFunc(order, func(a, b *WorldCall) int { return cmp.Compare(a.At, b.At) })
		w.s.Go("arrivals", func() {
			for _, sp := range order {
				if d := sp.At - w.s.Elapsed(); d > 0 && w.s.Sleep(ctx, d) != nil {
					return
				}
				w.s.Go("world "+sp.Name, func() { w.place(ctx, sp) })
			}
		})
		for _, op := range w.ops {
			w.s.Go("api "+op.op, func() { w.apply(ctx, op) })
		}
	})
	res := &WorldResult{Events: w.events}
	for _, r := range w.recs {
		c := r.c
		c.releaseLegs()
		c.mu.Lock()
		cr := CallResult{Name: r.name, At: c.start, Agent: r.spec.Agent, Queues: r.visits,
			Result: &Result{SID: c.sid, Status: c.status, Duration: c.endAt, Events: c.events, Dials: c.dials, Recordings: c.recordings}}
		c.mu.Unlock()
		res.Duration = max(res.Duration, c.start+c.endAt)
		res.Calls = append(res.Calls, cr)
	}
	if err == nil {
		err = ctx.Err()
	}
	return res, err
}

// place places the call of sp at its time, and again after each end if
// it is an agent's.
func (w *World) place(ctx context.Context, sp *WorldCall) {
	if sp.Agent && w.done.Err() != nil {
		return // no caller is left
	}
	idle := 0 // the agent's calls in a row that took no time
	for n := 1; ; n++ {
		before := w.s.Elapsed()
		name := sp.Name
		if n > 1 {
			name += "." + strconv.Itoa(n)
		}
		in := sp.Inbound
		if in.SID == "" {
			in.SID = worldSID(w.Name, name)
		}
		r := &worldCall{w: w, spec: sp, name: name}
		if sp.out != nil {
			r.out = &outbound{p: *sp.out}
		}
		r.stop.init(ctx)
		c := newCall(w.e, w.s, in)
		c.wc = r
		r.c = c
		w.mu.Lock()
		w.recs = append(w.recs, r)
		canceled := w.canceled[in.SID]
		w.mu.Unlock()
		if canceled {
			// Canceled while queued: never placed. c is in w.recs, so
			// others may read it from now on.
			c.mu.Lock()
			c.status = "canceled"
			c.mu.Unlock()
			w.ended(r)
			return
		}
		c.run(&r.stop)
		r.completed()
		w.ended(r)
		if !sp.Agent || w.done.Err() != nil {
			return
		}
		if !w.sleep(ctx, &w.done, w.draw(sp.Wrap)) {
			return
		}
		if idle = idle + 1; w.s.Elapsed() > before {
			idle = 0
		}
		if idle >= maxIdleAgentCalls {
			// Its calls take no time: placing them again would never end.
			c.diagnostic("", 0, "error", fmt.Sprintf("agent %s: %d calls in a row took no time (does its document dial a queue?); it calls no more", sp.Name, maxIdleAgentCalls))
			return
		}
	}
}

// maxIdleAgentCalls is how many calls in a row an agent may place that
// take no virtual time, as a document that dials nothing does, before it
// stops: else the world would place them without end at one instant.
const maxIdleAgentCalls = 10

// sleep waits d on the world's clock, or until done (if not nil) or ctx
// ends; it reports whether d passed.
func (w *World) sleep(ctx context.Context, done *legContext, d time.Duration) bool {
	var wait context.Context = ctx
	if done != nil {
		if done.Err() != nil {
			return false
		}
		wait = done
	}
	if d <= 0 {
		return true
	}
	return w.s.Sleep(wait, d) == nil
}

// ended records that r's call is over; the last caller's end hangs up
// every agent.
func (w *World) ended(r *worldCall) {
	w.mu.Lock()
	r.ended = true
	last := false
	if !r.spec.Agent {
		w.callers--
		last = w.callers == 0
	}
	var agents []*worldCall
	if last {
		for _, o := range w.recs {
			if o.spec.Agent && !o.ended {
				agents = append(agents, o)
			}
		}
	}
	w.mu.Unlock()
	if !last {
		return
	}
	for _, o := range agents {
		o.hangup()
	}
	w.done.end(nil)
}

// hangup hangs the call up from the caller's side, as Caller.Hangup does.
func (r *worldCall) hangup() {
	if r.stop.Err() != nil {
		return
	}
	r.c.emit(KindCallerHangup, "")
	r.stop.end(errCallerHangup)
}

// worldSID is the CallSid of the call named name of the world named
// world: Engine.sid's derivation of ("world", world, name), without the Engine's Cache, whose
// copy-on-write maps would make a thousand new SIDs cost a thousand
// copies (BenchmarkWorld/callers=1000: 308 MB a world with the Cache).
func worldSID(world, name string) string {
	h := sha256.New()
	h.Write([]byte("world\x00"))
	h.Write([]byte(world))
	h.Write([]byte{0})
	h.Write([]byte(name))
	h.Write([]byte{0})
	sum := h.Sum(nil)
	return "CA" + hex.EncodeToString(sum[:16])
}

// record adds an event of r's call to the world's transcript.
func (r *worldCall) record(ev Event) {
	ev.Call = r.name
	ev.T += r.c.start
	w := r.w
	w.mu.Lock()
	w.events = append(w.events, ev)
	w.mu.Unlock()
}
