package fake

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
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
// at a time, and each of its waits (Sleep, Queue.Recv) hands the turn on.
// Time moves only when every one of them is parked in a wait, and then it
// jumps straight to the earliest deadline, with no real sleep.
//
// The order of events is defined: runnable goroutines run in the order they
// became runnable; when none is, the parked goroutines whose contexts were
// cancelled wake, in the order their waits were registered; when none was,
// time moves to the earliest deadline, and among equal deadlines the earlier
// registered wait wakes first. So one program gives one sequence of events,
// whatever GOMAXPROCS, the race detector or the load on the machine.
//
// Work done between waits, I/O included, takes no virtual time: while a
// goroutine runs, the others and the clock wait for it.
//
// Each goroutine of the clock is a coroutine (iter.Pull) of the goroutine
// that called Run, run on a worker goroutine that is reused from clock to
// clock: a wait switches straight back to Run, which switches to the
// next goroutine, without the runtime's scheduler (see worker.go).
//
// If all goroutines are parked and none has a deadline or a cancelled
// context, the clock reports a deadlock: every parked wait returns a
// *DeadlockError naming what each goroutine waited for, and so does Run.
//
// Waits must be called from goroutines started by Run or Go. Separate clocks
// share nothing, so separate calls run in parallel. The zero Clock is not
// usable; create one with NewClock.
type Clock struct {
	mu      sync.Mutex
	start   time.Time
	now     time.Duration // since start
	elapsed atomic.Int64  // now, for Since and Now without the lock
	seq     uint64
	ids     int
	running *task   // the goroutine holding the turn, or nil
	runq    []*task // runnable, in order
	parked  []*task // parked, in registration order
	timers  timerHeap
	live    int
	next    *task     // chosen by a wait, for Run to resume
	free    []*worker // idle workers, which only Run's goroutine touches
	err     error
}

// task is one goroutine of the clock.
type task struct {
	name    string
	w       *worker // the worker running the task, once started
	f       func()
	started bool // it has had a worker
	launch  bool // pick chose it for its first turn: give it a worker

	// The current wait, valid while parked.
	seq      uint64
	deadline time.Duration // since the clock started
	timed    bool
	ctx      context.Context
	queue    *Queue
	heapIdx  int

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
	// Room for a ten-leg Dial and its helpers without growing.
	backing := make([]*task, 3*16)
	c.runq, c.parked, c.timers = backing[0:0:16], backing[16:16:32], backing[32:32:48]
	return c
}

// Now returns the current virtual time.
func (c *Clock) Now() time.Time {
	return c.start.Add(c.Since())
}

// Since returns the virtual time elapsed since the clock started.
func (c *Clock) Since() time.Duration {
	return time.Duration(c.elapsed.Load())
}

// Run runs f as the clock's first goroutine and returns when it and every
// goroutine started with Go have returned. It returns a *DeadlockError if
// the goroutines deadlocked on the way (they were woken with that error), and
// nil otherwise. Run may be called again once it has returned; calling it
// while it runs panics.
//
// The goroutine that calls Run hands the turn out: it resumes the chosen
// goroutine, which runs until its next wait or its end, and chooses again.
// If a goroutine of the clock panics, Run unwinds the others and panics
// with a *PanicError holding the value and the stack. Run must not be
// called from a goroutine locked to its OS thread (runtime.LockOSThread),
// nor inside a testing/synctest bubble: the clock's goroutines are
// coroutines on workers shared by every clock of the program.
func (c *Clock) Run(f func()) error {
	c.mu.Lock()
	if c.live > 0 {
		c.mu.Unlock()
		panic("fake: Clock.Run while the clock is running")
	}
	c.err = nil
	c.runq = append(c.runq, c.spawn("main", f))
	// The clock keeps its own idle workers while it runs: it takes a
	// batch at the start and gives them all back at the end, rather than
	// taking the idle list's lock for every goroutine it starts and ends.
	c.free = takeIdle(c.free, workerBatch)
	defer func() { c.free = putIdle(c.free) }()
	for {
		t := c.next
		c.next = nil
		if t == nil {
			t = c.pick()
		}
		c.mu.Unlock()
		if t == nil {
			break // no goroutine is left
		}
		c.resume(t)
		c.mu.Lock()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Go starts f as a goroutine of the clock, named for deadlock reports. It
// becomes runnable after the goroutines already runnable; the caller keeps
// the turn. Go must be called from a goroutine of the clock.
func (c *Clock) Go(name string, f func()) {
	c.mu.Lock()
	c.mustRun("Go")
	t := c.spawn(name, f)
	c.runq = append(c.runq, t)
	c.mu.Unlock()
}

var tasks = sync.Pool{New: func() any { return new(task) }}

// spawn creates a task whose goroutine starts when it is first given the
// turn. c.mu is held.
func (c *Clock) spawn(name string, f func()) *task {
	c.ids++
	if name == "" {
		name = fmt.Sprintf("goroutine %d", c.ids)
	}
	t := tasks.Get().(*task)
	t.name, t.f, t.heapIdx = name, f, -1
	c.live++
	return t
}

// resume gives t, which pick chose, the turn: a new task starts on a
// worker, a parked one goes on from its wait. It returns when t waits
// again, or has returned, in which case resume retires it.
func (c *Clock) resume(t *task) {
	if t.launch {
		if n := len(c.free); n > 0 {
			t.w = c.free[n-1]
			c.free = c.free[:n-1]
		} else {
			t.w = newWorker()
		}
		t.w.task = t
	}
	w := t.w
	if !w.resume() {
		return // t waits
	}
	c.mu.Lock()
	c.live--
	c.running = nil
	*t = task{}
	tasks.Put(t)
	c.mu.Unlock()
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
	c.mu.Lock()
	var started []*task
	for _, t := range c.runq {
		if t.started {
			started = append(started, t)
		}
	}
	started = append(started, c.parked...)
	clear(c.runq)
	clear(c.parked)
	clear(c.timers)
	c.runq, c.parked, c.timers = c.runq[:0], c.parked[:0], c.timers[:0]
	c.next, c.running, c.live = nil, nil, 0
	c.mu.Unlock()
	for _, t := range started {
		t.w.stopping = true
		t.w.stop()
	}
}

func (c *Clock) mustRun(op string) {
	if c.running == nil {
		c.mu.Unlock()
		panic("fake: " + op + " called outside a goroutine of the clock")
	}
}

// Sleep waits until d of virtual time has passed, or ctx is done. It returns
// nil after a full sleep, ctx.Err() if the context ended it first, or a
// *DeadlockError. A d of zero or less returns at once.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.mustRun("Sleep")
	if err := ctxErr(ctx); err != nil {
		c.mu.Unlock()
		return err
	}
	if d <= 0 {
		c.mu.Unlock()
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
	return c.Sleep(ctx, t.Sub(c.Now()))
}

// wait parks the running task until q has a message, the deadline passes
// (when timed) or ctx is done. c.mu is held on entry and released on return.
func (c *Clock) wait(ctx context.Context, q *Queue, deadline time.Duration, timed bool) error {
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
		c.timers.push(me)
	}
	if q != nil {
		q.waiter = me
	}
	c.running = nil
	next := c.pick()
	if next != me {
		// Hand the turn to the goroutine of Run, which gives it to
		// next; it comes back when pick chooses this task again.
		c.next = next
		c.mu.Unlock()
		me.w.yield()
	} else {
		c.mu.Unlock()
	}
	switch me.reason {
	case wokeTimer:
		return ErrTimeout
	case wokeCancel, wokeDeadlock:
		return me.err
	}
	return nil
}

// ready makes a parked task runnable for the given reason. c.mu is held.
func (c *Clock) ready(t *task, reason wakeReason, err error) {
	t.reason = reason
	t.err = err
	if t.heapIdx >= 0 {
		c.timers.remove(t)
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

// pick chooses the next task to run and gives it the turn. The caller has
// just given up the turn. c.mu is held. It returns nil only if no task is
// live.
func (c *Clock) pick() *task {
	if len(c.runq) == 0 {
		c.wakeCancelled()
	}
	if len(c.runq) == 0 && len(c.timers) > 0 {
		t := c.timers.pop()
		if t.deadline > c.now {
			c.now = t.deadline
			c.elapsed.Store(int64(c.now))
		}
		c.ready(t, wokeTimer, nil)
	}
	if len(c.runq) == 0 && len(c.parked) > 0 {
		c.deadlock()
	}
	if len(c.runq) == 0 {
		return nil
	}
	t := c.runq[0]
	copy(c.runq, c.runq[1:])
	c.runq[len(c.runq)-1] = nil
	c.runq = c.runq[:len(c.runq)-1]
	c.running = t
	t.launch = !t.started
	t.started = true
	return t
}

// wakeCancelled makes runnable, in registration order, every parked task
// whose context is done. c.mu is held.
func (c *Clock) wakeCancelled() {
	for i := 0; i < len(c.parked); {
		t := c.parked[i]
		// Err, not Done: a context's Done channel is made when first
		// asked for, and nothing waits on it here. No goroutine of the
		// clock runs, so whoever cancelled did so before this instant.
		if t.ctx != nil {
			if err := t.ctx.Err(); err != nil {
				c.ready(t, wokeCancel, err)
				continue // ready removed t from c.parked
			}
		}
		i++
	}
}

// deadlock wakes every parked task with a *DeadlockError. c.mu is held.
func (c *Clock) deadlock() {
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
}

func ctxErr(ctx context.Context) error {
	if ctx == nil {
		return nil
	}
	return ctx.Err()
}

// Queue is an unbounded mailbox between goroutines of one Clock: Send never
// blocks, and Recv parks until a message arrives, a deadline passes or a
// context is done. Messages arrive in the order they were sent. At most one
// goroutine may wait on a Queue at a time.
type Queue struct {
	clock  *Clock // nil for a Wall's queue
	name   string
	items  []any
	head   int
	waiter *task
	buf    [4]any // the first items, without allocating

	// A Wall's queue locks itself and signals its waiter on notify.
	mu     sync.Mutex
	notify chan struct{}
	wall   *Wall
}

// queueGrowth is the capacity a queue grows to past its inline buffer.
const queueGrowth = 32

// NewQueue returns an empty Queue of the clock, named for deadlock reports.
func (c *Clock) NewQueue(name string) *Queue {
	q := new(Queue)
	c.InitQueue(q, name)
	return q
}

// InitQueue makes q, which must not be in use, an empty Queue of the
// clock, as NewQueue would return: a queue can then live inside the
// struct of whoever uses it, and be reused from call to call. Messages
// left in q are dropped.
func (c *Clock) InitQueue(q *Queue, name string) {
	*q = Queue{clock: c, name: name}
	q.items = q.buf[:0]
}

// Send appends v to the queue and makes a goroutine waiting on it runnable.
// The sender keeps the turn.
func (q *Queue) Send(v any) {
	c := q.clock
	if c == nil {
		q.mu.Lock()
		q.items = append(q.items, v)
		q.mu.Unlock()
		select {
		case q.notify <- struct{}{}:
		default:
		}
		return
	}
	c.mu.Lock()
	if len(q.items) == cap(q.items) && len(q.items) < queueGrowth {
		// Past the inline buffer: grow once to room for a Dial's
		// messages rather than step by step.
		q.items = append(make([]any, 0, queueGrowth), q.items...)
	}
	q.items = append(q.items, v)
	if q.waiter != nil {
		c.ready(q.waiter, wokeMessage, nil)
	}
	c.mu.Unlock()
}

// Recv returns the oldest message in the queue, waiting for one if it is
// empty. It gives up with ErrTimeout at the virtual time until (never, if
// until is zero), with ctx.Err() when ctx is done, or with a *DeadlockError.
// Recv must be called from a goroutine of the queue's clock.
func (q *Queue) Recv(ctx context.Context, until time.Time) (any, error) {
	c := q.clock
	if c == nil {
		return q.wall.recv(ctx, q, until)
	}
	c.mu.Lock()
	c.mustRun("Recv")
	for {
		if v, ok := q.take(); ok {
			c.mu.Unlock()
			return v, nil
		}
		if err := ctxErr(ctx); err != nil {
			c.mu.Unlock()
			return nil, err
		}
		timed := !until.IsZero()
		deadline := until.Sub(c.start)
		if timed && deadline <= c.now {
			c.mu.Unlock()
			return nil, ErrTimeout
		}
		if q.waiter != nil {
			c.mu.Unlock()
			panic("fake: two goroutines wait on queue " + q.name)
		}
		if err := c.wait(ctx, q, deadline, timed); err != nil {
			return nil, err
		}
		c.mu.Lock()
	}
}

// take pops the oldest message, if any. The queue's lock is held.
func (q *Queue) take() (any, bool) {
	if q.head == len(q.items) {
		return nil, false
	}
	v := q.items[q.head]
	q.items[q.head] = nil
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	}
	return v, true
}

// Len reports how many messages wait in the queue.
func (q *Queue) Len() int {
	mu := &q.mu
	if q.clock != nil {
		mu = &q.clock.mu
	}
	mu.Lock()
	defer mu.Unlock()
	return len(q.items) - q.head
}

// timerHeap orders parked tasks by deadline, then registration order.
type timerHeap []*task

func (h timerHeap) less(i, j int) bool {
	if h[i].deadline != h[j].deadline {
		return h[i].deadline < h[j].deadline
	}
	return h[i].seq < h[j].seq
}

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIdx = i
	h[j].heapIdx = j
}

func (h *timerHeap) push(t *task) {
	t.heapIdx = len(*h)
	*h = append(*h, t)
	h.up(t.heapIdx)
}

func (h *timerHeap) pop() *task {
	t := (*h)[0]
	h.remove(t)
	return t
}

func (h *timerHeap) remove(t *task) {
	i := t.heapIdx
	last := len(*h) - 1
	if i != last {
		h.swap(i, last)
	}
	(*h)[last] = nil
	*h = (*h)[:last]
	t.heapIdx = -1
	if i != last {
		h.down(i)
		h.up(i)
	}
}

func (h timerHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h timerHeap) down(i int) {
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h.swap(i, m)
		i = m
	}
}
