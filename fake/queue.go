package fake

import (
	"context"
	"sync"
	"time"
)

// Scheduler is what *Clock and *Wall have in common: code written against
// it runs unchanged on virtual time or on a clock.Clock. A Queue belongs to
// a Scheduler. Only this package's types implement it (it has an unexported
// method): a Queue needs its scheduler's internals.
type Scheduler interface {
	// Now returns the scheduler's current time.
	Now() time.Time
	// Elapsed returns the time elapsed since the scheduler started.
	Elapsed() time.Duration
	// Run runs f and returns when it and every goroutine started with Go
	// have returned.
	Run(f func()) error
	// Go starts f as a goroutine of the scheduler, named for reports.
	Go(name string, f func())
	// Sleep waits for d, or until ctx is done.
	Sleep(ctx context.Context, d time.Duration) error
	// SleepUntil waits until t, or until ctx is done.
	SleepUntil(ctx context.Context, t time.Time) error

	initQueue(q *queueCore, name string)
}

// Queue is an unbounded mailbox of values of type T between goroutines of
// one Scheduler: Send never blocks, and Recv parks until a message arrives,
// a deadline passes or a context is done. Messages arrive in the order they
// were sent. At most one goroutine may wait on a Queue at a time.
//
// Methods cannot have type parameters, so a Queue is made by the function
// NewQueue, or initialized in place with Init: a queue can then live inside
// the struct of whoever uses it, and be reused from call to call. The zero
// Queue is not usable until Init is called.
type Queue[T any] struct {
	core  queueCore
	items []T
	head  int
	// The first items, without allocating: one of the clock's four
	// savings, whose figure is at spawn (clock.go).
	buf [4]T
}

// queueCore is the part of a Queue that does not depend on the type of its
// values: what its scheduler needs to know of it.
type queueCore struct {
	name  string
	clock *Clock // the queue's clock, or nil on a Wall
	wall  *Wall  // the queue's Wall, or nil on a Clock

	// On a Clock: the goroutine parked in Recv.
	waiter *task

	// On a Wall: the queue's lock, and the signal of a Send to a waiter.
	mu     sync.Mutex
	notify chan struct{}
}

// queueGrowth is the capacity a queue grows to past its inline buffer.
const queueGrowth = 32

// NewQueue returns an empty Queue of values of type T for goroutines of s
// (a *Clock or a *Wall), named for deadlock reports.
func NewQueue[T any](s Scheduler, name string) *Queue[T] {
	return new(Queue[T]).Init(s, name)
}

// Init makes q, which no goroutine may be using, an empty Queue for
// goroutines of s, as NewQueue would return, and returns q. Messages left
// in q are dropped.
func (q *Queue[T]) Init(s Scheduler, name string) *Queue[T] {
	*q = Queue[T]{}
	q.items = q.buf[:0]
	s.initQueue(&q.core, name)
	return q
}

// Send appends v to the queue and makes a goroutine waiting on it runnable.
// The sender keeps the turn. On a Clock, Send must be called from a
// goroutine of the clock; it panics when none holds the turn.
func (q *Queue[T]) Send(v T) {
	c := q.core.clock
	if c == nil {
		q.mustInit()
		q.core.mu.Lock()
		q.items = append(q.items, v)
		q.core.mu.Unlock()
		q.core.wall.signal(&q.core)
		return
	}
	c.mustRun("Send")
	if len(q.items) == cap(q.items) && len(q.items) < queueGrowth {
		// Past the inline buffer: grow once to room for a Dial's
		// messages rather than step by step.
		q.items = append(make([]T, 0, queueGrowth), q.items...)
	}
	q.items = append(q.items, v)
	if w := q.core.waiter; w != nil {
		c.ready(w, wokeMessage, nil)
	}
}

// Recv returns the oldest message in the queue, waiting for one if it is
// empty. It gives up with ErrTimeout at the time until (never, if until is
// zero), with ctx.Err() when ctx is done, or, on a Clock, with a
// *DeadlockError; the value is then T's zero value. Recv must be called
// from a goroutine of the queue's scheduler, and panics if ctx is nil.
func (q *Queue[T]) Recv(ctx context.Context, until time.Time) (T, error) {
	mustContext(ctx, "Queue.Recv")
	var zero T
	c := q.core.clock
	if c == nil {
		q.mustInit()
		return q.recvWall(ctx, until)
	}
	c.mustRun("Recv")
	for {
		if v, ok := q.take(); ok {
			return v, nil
		}
		if err := c.awaitQueue(ctx, &q.core, until); err != nil {
			return zero, err
		}
	}
}

// recvWall is Recv on a Wall.
func (q *Queue[T]) recvWall(ctx context.Context, until time.Time) (T, error) {
	var zero T
	var t wallTimer
	defer t.stop()
	for {
		q.core.mu.Lock()
		v, ok := q.take()
		q.core.mu.Unlock()
		if ok {
			return v, nil
		}
		if err := q.core.wall.await(ctx, &q.core, until, &t); err != nil {
			return zero, err
		}
	}
}

// take pops the oldest message, if any. The queue's lock is held: its
// clock's, or its own on a Wall.
func (q *Queue[T]) take() (T, bool) {
	var zero T
	if q.head == len(q.items) {
		return zero, false
	}
	v := q.items[q.head]
	q.items[q.head] = zero
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	}
	return v, true
}

// Len reports how many messages wait in the queue. On a Clock, call it
// from a goroutine of the clock, or while the clock does not run.
func (q *Queue[T]) Len() int {
	if q.core.clock != nil {
		return len(q.items) - q.head
	}
	q.core.mu.Lock()
	defer q.core.mu.Unlock()
	return len(q.items) - q.head
}

// mustInit panics if q belongs to no scheduler: it was never initialized.
func (q *Queue[T]) mustInit() {
	if q.core.wall == nil {
		panic("fake: Queue used before NewQueue or Init")
	}
}

// initQueue makes q a queue of the clock.
func (c *Clock) initQueue(q *queueCore, name string) {
	*q = queueCore{clock: c, name: name}
}
