package fake

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
)

// Epoch is the instant a new virtual Clock starts at: a fixed date, so that
// timestamps derived from virtual time are the same on every run.
var Epoch = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// ErrTimeout is returned by a wait whose deadline passed before anything
// else woke it.
var ErrTimeout = errors.New("fake: wait timed out")

// DeadlockError reports that every goroutine of a virtual clock was parked
// with no deadline and no cancelled context: nothing could ever wake them.
// Every parked wait returns it, and so does Run.
type DeadlockError struct {
	At    time.Duration // virtual time since the clock started
	Waits []string      // what each parked goroutine waited for, in registration order
}

// Error says when the deadlock happened and what each goroutine waited for.
func (e *DeadlockError) Error() string {
	return fmt.Sprintf("fake: deadlock at %v: all goroutines parked with nothing due: %s", e.At, strings.Join(e.Waits, "; "))
}

// Clock is a virtual clock for one simulated call. It is a scheduler rather
// than a mock: the goroutines it starts (Run and Go) take turns, one running
// at a time, and each of its waits (Sleep, SleepUntil, Queue.Recv) hands the
// turn on. Time moves only when every one of them is parked in a wait, and
// then it jumps straight to the earliest deadline, with no real sleep.
//
// A goroutine of the clock goes through these states:
//
//	Go, Run
//	   │
//	   ▼
//	  new ─────────────────┐
//	                       │ its turn: it gets a worker
//	                       ▼
//	runnable ─────────► running ─────────► done
//	   ▲      its turn     │     its function returns
//	   │                   │
//	   │                   │ Sleep, SleepUntil, Queue.Recv
//	   │                   ▼
//	   └─────────────── parked: on a queue (Recv), a deadline (Sleep,
//	                    Recv's until) and its context, until a Send, the
//	                    deadline, the context done or a deadlock wakes it
//
// New and runnable goroutines wait for their turn in one line, in the order
// they became runnable. When the running goroutine parks or returns, the
// clock gives the turn by these rules, in order:
//
//  1. the first runnable goroutine, in the order they became runnable;
//  2. if none is, the parked goroutines whose context is done wake, in the
//     order their waits were registered, and the first of them runs;
//  3. if none is, time moves to the earliest deadline and the goroutine
//     waiting for it wakes; among equal deadlines, the earlier registered
//     wait wakes first;
//  4. if no goroutine has a deadline either, they are deadlocked: every
//     parked wait returns a *DeadlockError naming what each goroutine waited
//     for, in registration order, and so does Run.
//
// So one program gives one sequence of events, whatever GOMAXPROCS, the
// race detector or the load on the machine.
//
// Work done between waits, I/O included, takes no virtual time: while a
// goroutine runs, the others and the clock wait for it.
//
// Each goroutine of the clock is a coroutine (iter.Pull) of the goroutine
// that called Run, run on a worker goroutine that is reused from clock to
// clock: a wait switches straight back to Run, which switches to the
// next goroutine, without the runtime's scheduler (see worker.go).
//
// Waits, Go and a Queue's Send must be called from goroutines started by
// Run or Go, and waits with a non-nil context: like the context package,
// the clock panics on a nil one, a programming error. Now and Elapsed may
// be called from any goroutine. The clock takes no lock: only the
// goroutine holding the turn, or Run's between turns, touches its state,
// and each hand-over of the turn is a switch of coroutines, which orders
// memory as unlocking and locking would (and which the race detector
// knows of): with a lock taken at each step, as before, the 10-leg virtual
// race took 7.58 µs against 6.70 (BenchmarkRace/clock=virtual/legs=10,
// medians of 9 interleaved runs, 1 Dec 2026). Separate clocks share
// nothing, so separate calls run in parallel. The zero Clock is not
// usable; create one with NewClock.
type Clock struct {
	inRun     atomic.Bool // Run is running
	start     time.Time
	now       time.Duration // since start
	elapsed   atomic.Int64  // now, for Elapsed and Now from any goroutine: see spawn
	seq       uint64        // waits registered so far
	ids       int
	running   *task        // the goroutine holding the turn, or nil
	runq      []*task      // new and runnable, in the order they became so
	parked    []*task      // parked, in registration order
	deadlines deadlineHeap // the parked tasks that have a deadline
	live      int
	next      *task     // given the turn by a wait, for Run to resume
	free      []*worker // idle workers: Run takes and gives back a batch, spawn takes one
	err       error
}

// task is one goroutine of the clock.
type task struct {
	name    string
	w       *worker // the worker it lives in, which runs it
	f       func()
	started bool // it has had its first turn

	// The current wait, valid while parked.
	seq      uint64        // registration order
	deadline time.Duration // since the clock started
	timed    bool
	ctx      context.Context
	queue    *queueCore
	heapIdx  int // in Clock.deadlines, or -1

	// Why the wait ended, set by whoever made the task runnable.
	reason wakeReason
	err    error
}

type wakeReason int

const (
	wokeMessage wakeReason = iota
	wokeTimer
	wokeCancel
	wokeDeadlock
)

// NewClock returns a virtual clock whose time starts at start, or at Epoch
// if start is the zero time.
func NewClock(start time.Time) *Clock {
	if start.IsZero() {
		start = Epoch
	}
	c := &Clock{start: start}
	// Room for a ten-leg Dial and its helpers without growing: one of
	// the clock's four savings, whose figure is at spawn.
	backing := make([]*task, 3*16)
	c.runq, c.parked, c.deadlines = backing[0:0:16], backing[16:16:32], backing[32:32:48]
	return c
}

// Now returns the current virtual time.
func (c *Clock) Now() time.Time {
	return c.start.Add(c.Elapsed())
}

// Elapsed returns the virtual time elapsed since the clock started: Now
// minus the clock's start.
func (c *Clock) Elapsed() time.Duration {
	return time.Duration(c.elapsed.Load())
}

// Run runs f as the clock's first goroutine and returns when it and every
// goroutine started with Go have returned. It returns a *DeadlockError if
// the goroutines deadlocked on the way (they were woken with that error), and
// nil otherwise. Run may be called again once it has returned; calling it
// while it runs panics.
//
// The goroutine that calls Run hands the turn out: it resumes the goroutine
// schedule chose, which runs until its next wait or its end. If a goroutine
// of the clock panics, Run unwinds the others and panics with a *PanicError
// holding the value and the stack. Run must not be called from a goroutine
// locked to its OS thread (runtime.LockOSThread), nor inside a
// testing/synctest bubble: the clock's goroutines are coroutines on workers
// shared by every clock of the program.
func (c *Clock) Run(f func()) error {
	if !c.inRun.CompareAndSwap(false, true) {
		panic("fake: Clock.Run while the clock is running")
	}
	defer c.inRun.Store(false)
	c.err = nil
	// The clock keeps its own idle workers while it runs: it takes a
	// batch at the start and gives them all back at the end, rather than
	// taking the idle list's lock for every goroutine it starts and ends.
	c.free = takeIdle(c.free, workerBatch)
	defer func() { c.free = putIdle(c.free) }()
	c.runq = append(c.runq, c.spawn("main", f))
	for {
		// A task that parks has already asked schedule for the next
		// one (see wait); a task that returned has not.
		t := c.next
		c.next = nil
		if t == nil {
			t = c.schedule()
		}
		if t == nil {
			break // no goroutine is left
		}
		c.resume(t)
	}
	return c.err
}

// Go starts f as a goroutine of the clock, named for deadlock reports. It
// becomes runnable after the goroutines already runnable; the caller keeps
// the turn. Go must be called from a goroutine of the clock.
func (c *Clock) Go(name string, f func()) {
	c.mustRun("Go")
	t := c.spawn(name, f)
	c.runq = append(c.runq, t)
}

// spawn creates a task whose goroutine starts when it is first given the
// turn, on the worker it is given now: a task lives in its worker, which
// runs it, so that starting a goroutine allocates nothing.
//
// With Elapsed's lock-free read, NewClock's run-queue backing and a
// Queue's inline buffer and first growth, a task's reuse is one of four
// allocation and lock savings of the clock which together make the 10-leg
// virtual race 11% faster, 8.17 against 9.19 µs, the one-leg race 5% and
// the 10-leg call 2% (BenchmarkRace and BenchmarkCall, medians of 15
// interleaved runs, 2026-12-01, when the tasks of ended goroutines were
// kept in a sync.Pool of the package instead); none measures above this
// machine's noise alone. Tasks in their workers, against that pool
// (medians of 9 interleaved runs, 2026-12-01): the 10-leg virtual race
// 8.44 against 9.97 µs, the one-leg race 1.82 against 1.89 µs, and
// BenchmarkCall/legs=10 24.2 against 22.9 µs, within this machine's
// noise; the package keeps no pool of tasks.
func (c *Clock) spawn(name string, f func()) *task {
	c.ids++
	if name == "" {
		name = fmt.Sprintf("goroutine %d", c.ids)
	}
	var w *worker
	if n := len(c.free); n > 0 {
		w = c.free[n-1]
		c.free = c.free[:n-1]
	} else {
		w = newWorker()
	}
	t := &w.t
	t.name, t.f, t.w, t.heapIdx = name, f, w, -1
	c.live++
	return t
}

// schedule decides which task runs next, and gives it the turn: it is the
// only place that decides, by the rules of the Clock's doc. Run calls it
// when a task has returned, and wait when a task parks, while no task
// holds the turn. It returns nil only when every task has returned.
func (c *Clock) schedule() *task {
	switch {
	case len(c.runq) > 0: // Rule 1: the first runnable task.
	case c.wakeCancelled(): // Rule 2: cancelled waits, in registration order.
	case c.wakeEarliest(): // Rule 3: the earliest deadline.
	case c.wakeDeadlocked(): // Rule 4: a deadlock wakes them all.
	default:
		return nil // every task has returned
	}
	t := c.runq[0]
	copy(c.runq, c.runq[1:])
	c.runq[len(c.runq)-1] = nil
	c.runq = c.runq[:len(c.runq)-1]
	c.running = t
	t.started = true
	return t
}

// wakeCancelled makes runnable, in registration order, every parked task
// whose context is done, and reports whether there was one.
func (c *Clock) wakeCancelled() bool {
	woke := false
	for i := 0; i < len(c.parked); {
		t := c.parked[i]
		// Err, not Done: a context's Done channel is made when first
		// asked for, and nothing waits on it here. No goroutine of the
		// clock runs, so whoever cancelled did so before this instant.
		if err := t.ctx.Err(); err != nil {
			c.ready(t, wokeCancel, err)
			woke = true
			continue // ready removed t from c.parked
		}
		i++
	}
	return woke
}

// wakeEarliest moves time to the earliest deadline of a parked task, if
// there is one, makes that task runnable and reports whether it did.
func (c *Clock) wakeEarliest() bool {
	if len(c.deadlines) == 0 {
		return false
	}
	t := c.deadlines[0]
	if t.deadline > c.now {
		c.now = t.deadline
		c.elapsed.Store(int64(c.now))
	}
	c.ready(t, wokeTimer, nil)
	return true
}

// wakeDeadlocked wakes every parked task with a *DeadlockError, if there
// is one, and reports whether there was. It is called only when nothing
// else can wake them.
func (c *Clock) wakeDeadlocked() bool {
	if len(c.parked) == 0 {
		return false
	}
	e := &DeadlockError{At: c.now}
	for _, t := range c.parked {
		what := "a context"
		if t.queue != nil {
			what = "queue " + t.queue.name
		}
		e.Waits = append(e.Waits, t.name+" waits on "+what)
	}
	if c.err == nil {
		c.err = e
	}
	for len(c.parked) > 0 {
		c.ready(c.parked[0], wokeDeadlock, e)
	}
	return true
}

// ready makes a parked task runnable for the given reason, after the
// tasks already runnable.
func (c *Clock) ready(t *task, reason wakeReason, err error) {
	t.reason = reason
	t.err = err
	if t.heapIdx >= 0 {
		heap.Remove(&c.deadlines, t.heapIdx)
	}
	if t.queue != nil {
		t.queue.waiter = nil
		t.queue = nil
	}
	for i, p := range c.parked {
		if p == t {
			copy(c.parked[i:], c.parked[i+1:])
			c.parked[len(c.parked)-1] = nil
			c.parked = c.parked[:len(c.parked)-1]
			break
		}
	}
	t.ctx = nil
	c.runq = append(c.runq, t)
}

// resume gives t, which schedule chose, the turn: a new task starts on a
// worker, a parked one goes on from its wait. It returns when t waits
// again, or has returned, in which case resume retires it.
func (c *Clock) resume(t *task) {
	w := t.w
	if !w.resume() {
		return // t waits
	}
	c.live--
	c.running = nil
	*t = task{}
	c.free = append(c.free, w)
	if p := w.panicked; p != nil {
		w.panicked = nil
		c.tearDown()
		panic(p)
	}
}

// tearDown empties the clock after one of its goroutines panicked: every
// other goroutine that has started is unwound from its wait (running its
// deferred calls) and its worker exits; those not yet started never
// will.
func (c *Clock) tearDown() {
	var started []*task
	for _, t := range c.runq {
		if t.started {
			started = append(started, t)
		} else {
			// Its worker's goroutine has not run: the worker goes back
			// to the idle ones with the clock's others.
			w := t.w
			*t = task{}
			c.free = append(c.free, w)
		}
	}
	started = append(started, c.parked...)
	clear(c.runq)
	clear(c.parked)
	clear(c.deadlines)
	c.runq, c.parked, c.deadlines = c.runq[:0], c.parked[:0], c.deadlines[:0]
	c.next, c.running, c.live = nil, nil, 0
	for _, t := range started {
		t.w.stopping = true
		t.w.stop()
	}
}

// mustRun panics unless a goroutine of the clock holds the turn.
func (c *Clock) mustRun(op string) {
	if c.running == nil {
		panic("fake: " + op + " called outside a goroutine of the clock")
	}
}

// mustContext panics if ctx is nil: passing one is a programming error, as
// the context package deems it.
func mustContext(ctx context.Context, op string) {
	if ctx == nil {
		panic("fake: " + op + " with a nil context")
	}
}

// Sleep waits until d of virtual time has passed, or ctx is done. It returns
// nil after a full sleep, ctx.Err() if the context ended it first, or a
// *DeadlockError. A d of zero or less returns at once. Sleep panics if ctx
// is nil.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	mustContext(ctx, "Clock.Sleep")
	c.mustRun("Sleep")
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	err := c.wait(ctx, nil, c.now+d, true)
	if err == ErrTimeout {
		return nil
	}
	return err
}

// SleepUntil waits until the virtual time t, or until ctx is done, like Sleep.
func (c *Clock) SleepUntil(ctx context.Context, t time.Time) error {
	mustContext(ctx, "Clock.SleepUntil")
	return c.Sleep(ctx, t.Sub(c.Now()))
}

// awaitQueue parks the running task until q has a message, the virtual
// time until passes (never, if it is zero) or ctx is done, for
// Queue.Recv, which found q empty.
func (c *Clock) awaitQueue(ctx context.Context, q *queueCore, until time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	timed := !until.IsZero()
	deadline := until.Sub(c.start)
	if timed && deadline <= c.now {
		return ErrTimeout
	}
	if q.waiter != nil {
		panic("fake: two goroutines wait on queue " + q.name)
	}
	if err := c.wait(ctx, q, deadline, timed); err != nil {
		return err
	}
	return nil
}

// wait parks the running task until q has a message, the deadline passes
// (when timed) or ctx is done, and gives the turn to the task schedule
// chooses.
func (c *Clock) wait(ctx context.Context, q *queueCore, deadline time.Duration, timed bool) error {
	me := c.running
	c.seq++
	me.seq = c.seq
	me.queue = q
	me.timed = timed
	me.deadline = deadline
	me.ctx = ctx
	me.err = nil
	c.parked = append(c.parked, me)
	if timed {
		heap.Push(&c.deadlines, me)
	}
	if q != nil {
		q.waiter = me
	}
	c.running = nil
	next := c.schedule()
	// When schedule chooses this task again (it was the only one due),
	// it goes on without a switch to Run and back: without that the
	// one-leg virtual race takes 14% longer, 1.88 against 1.64 µs
	// (BenchmarkRace/clock=virtual/legs=1, medians of 15 interleaved runs,
	// 2026-12-01); the 10-leg race, 3%.
	if next != me {
		// Hand the turn to the goroutine of Run, which gives it to
		// next; it comes back when schedule chooses this task again.
		c.next = next
		me.w.yield()
	} else {
	}
	switch me.reason {
	case wokeTimer:
		return ErrTimeout
	case wokeCancel, wokeDeadlock:
		return me.err
	}
	return nil
}

// deadlineHeap orders parked tasks by deadline, then registration order,
// for container/heap. Its interface calls cost little against the
// hand-written heap it replaced: +2% wall time (+1% CPU) on the 10-leg
// virtual race, 8.17 against 7.99 µs, and -1% on the one-leg race
// (BenchmarkRace/clock=virtual, medians of 15 interleaved runs,
// 2026-12-01).
type deadlineHeap []*task

func (h deadlineHeap) Len() int { return len(h) }

func (h deadlineHeap) Less(i, j int) bool {
	if h[i].deadline != h[j].deadline {
		return h[i].deadline < h[j].deadline
	}
	return h[i].seq < h[j].seq
}

func (h deadlineHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIdx = i
	h[j].heapIdx = j
}

func (h *deadlineHeap) Push(x any) {
	t := x.(*task)
	t.heapIdx = len(*h)
	*h = append(*h, t)
}

func (h *deadlineHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	t.heapIdx = -1
	return t
}
