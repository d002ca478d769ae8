package fake

import (
	"errors"
	"fmt"
	"iter"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// A worker is a goroutine that runs the tasks of clocks, one task after
// another, as a coroutine (iter.Pull) of the goroutine that calls Run:
// handing the turn between that goroutine and a task is a direct switch,
// which costs a fraction of waking a goroutine through a channel and
// never wakes another processor.
//
// A worker keeps its goroutine, and the stack that has grown on it,
// between tasks: starting a goroutine for each task would cost more than
// the rest of a short task. A new worker for every task, stopped when it
// ends, makes the 10-leg virtual race 2.0x slower, 18.7 against 8.9 µs,
// and BenchmarkCall/legs=10 2.0x (medians of 11 interleaved runs,
// 2026-12-01). Between tasks a worker waits in the idle
// list; idle workers exit after IdleTime without a task, or at once on
// DropIdle, so a program that has stopped running clocks is left with no
// goroutine of theirs.
type worker struct {
	next     func() (struct{}, bool) // switches into the worker until it yields
	stop     func()                  // ends the worker's goroutine (unwinding a waiting task)
	yieldFn  func(struct{}) bool     // inside the worker: switches back
	t        task                    // the task it runs, or will when next first resumes it
	finished bool                    // the task returned (rather than waits)
	panicked *PanicError             // how the task's function panicked
	stopping bool                    // stopped while its task waited
	gen      uint64                  // idleWorkers.gen when the worker went idle
}

// IdleTime is about how long a worker goroutine waits for another task
// once its clock's Run has returned: it exits between one and two
// IdleTimes later.
const IdleTime = 100 * time.Millisecond

// maxIdle is the most workers kept idle: enough for every goroutine of
// dozens of concurrent ten-leg calls.
const maxIdle = 256

// idleWorkers is the idle list, newest last. Workers are reused newest
// first, whose stacks are most likely to be grown and warm in cache.
var idleWorkers struct {
	sync.Mutex
	list  []*worker
	gen   uint64 // how many times reap has run
	timer *time.Timer
	armed bool
}

// The reaper's timer is made once, stopped, when the package starts: a
// timer made later could belong to whichever testing/synctest bubble the
// first idle worker came from.
func init() {
	idleWorkers.timer = time.AfterFunc(time.Hour, reap)
	idleWorkers.timer.Stop()
}

// workersStarted counts the worker goroutines ever started.
var workersStarted atomic.Int64

// workerBatch is how many idle workers a clock takes when its Run starts:
// enough for a ten-leg Dial. Taking them one at a time, with the idle
// list's lock each, makes the one-leg virtual race 16% slower (2.24
// against 1.94 µs) and the 10-leg one 7% (medians of 11 interleaved runs,
// 2026-12-01); BenchmarkCall/legs=10 moves within noise.
const workerBatch = 12

// takeIdle appends up to n idle workers to free.
func takeIdle(free []*worker, n int) []*worker {
	idleWorkers.Lock()
	defer idleWorkers.Unlock()
	list := idleWorkers.list
	k := max(len(list)-n, 0)
	free = append(free, list[k:]...)
	clear(list[k:])
	idleWorkers.list = list[:k]
	return free
}

// putIdle puts the workers of free in the idle list, stopping those the
// list has no room for, and returns free emptied.
func putIdle(free []*worker) []*worker {
	idleWorkers.Lock()
	room := max(maxIdle-len(idleWorkers.list), 0)
	keep := free[:min(room, len(free))]
	for _, w := range keep {
		w.gen = idleWorkers.gen
	}
	idleWorkers.list = append(idleWorkers.list, keep...)
	if len(keep) > 0 && !idleWorkers.armed {
		idleWorkers.armed = true
		idleWorkers.timer.Reset(IdleTime)
	}
	idleWorkers.Unlock()
	for _, w := range free[len(keep):] {
		w.stop()
	}
	clear(free)
	return free[:0]
}

// newWorker starts a worker goroutine, which waits for its first task.
func newWorker() *worker {
	workersStarted.Add(1)
	w := new(worker)
	w.next, w.stop = iter.Pull(w.loop)
	return w
}

// loop is a worker's goroutine: it runs each task it is given, and
// returns when it is stopped.
func (w *worker) loop(yield func(struct{}) bool) {
	w.yieldFn = yield
	for {
		w.run(&w.t)
		w.finished = true
		if !yield(struct{}{}) {
			return
		}
	}
}

// errStopped unwinds a task whose worker is stopped while the task waits:
// the clock is tearing down after another of its goroutines panicked.
var errStopped = errors.New("fake: the clock was torn down")

// run runs t's function. A panic is kept for the clock to raise again
// (w.panicked), with the stack where it happened; the unwinding of a
// stopped worker's task, and anything its deferred calls raise on the
// way, is not.
func (w *worker) run(t *task) {
	defer func() {
		if p := recover(); p != nil && !w.stopping {
			w.panicked = &PanicError{Goroutine: t.name, Value: p, Stack: debug.Stack()}
		}
	}()
	t.f()
}

// resume switches into the worker, which runs its task until the task
// waits or returns, and reports whether it returned.
func (w *worker) resume() bool {
	w.finished = false
	w.next()
	return w.finished
}

// yield switches from the worker's task, which waits, back to the
// goroutine that resumed it.
func (w *worker) yield() {
	if !w.yieldFn(struct{}{}) {
		panic(errStopped)
	}
}

// reap ends the workers that were already idle when it last ran, so each
// exits between one and two IdleTimes after its last task.
func reap() {
	idleWorkers.Lock()
	list := idleWorkers.list
	n := 0
	for n < len(list) && list[n].gen < idleWorkers.gen {
		n++
	}
	stale := append([]*worker(nil), list[:n]...)
	idleWorkers.list = append(list[:0], list[n:]...)
	clear(list[len(idleWorkers.list):])
	idleWorkers.gen++
	idleWorkers.armed = len(idleWorkers.list) > 0
	if idleWorkers.armed {
		idleWorkers.timer.Reset(IdleTime)
	}
	idleWorkers.Unlock()
	for _, w := range stale {
		w.stop()
	}
}

// DropIdle makes the idle worker goroutines that clocks keep for reuse
// exit now, instead of after IdleTime, and returns how many it stopped.
// Leak checkers call it before counting goroutines.
func DropIdle() int {
	idleWorkers.Lock()
	stale := idleWorkers.list
	idleWorkers.list = nil
	if idleWorkers.armed {
		idleWorkers.timer.Stop()
		idleWorkers.armed = false
	}
	idleWorkers.Unlock()
	for _, w := range stale {
		w.stop()
	}
	return len(stale)
}

// PanicError is what Clock.Run panics with when a goroutine of the clock
// panicked: the value it panicked with, and its stack at that moment. By
// then every other goroutine of the clock has been unwound (their
// deferred calls have run) and has exited, and the clock is empty.
type PanicError struct {
	Goroutine string // the name given to Go, or "main" for Run's function
	Value     any    // what it panicked with
	Stack     []byte // its stack when it panicked
}

// Error says which goroutine panicked, with what, and where.
func (e *PanicError) Error() string {
	return fmt.Sprintf("fake: goroutine %s of a clock panicked: %v\n\n%s", e.Goroutine, e.Value, e.Stack)
}

// Unwrap returns Value if it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
