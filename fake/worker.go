package fake

import (
	"sync"
	"sync/atomic"
	"time"
)

// A worker is a goroutine that runs the tasks of clocks, one task after
// another. Starting a goroutine for each task costs more than the rest of
// a short task: the new goroutine's small stack grows, by copying, the
// first time the task calls deep. A worker keeps its grown stack between
// tasks, so a clock that starts ten legs a call reuses ten warm goroutines
// instead of making ten new ones.
//
// Between tasks a worker waits in the idle list. Idle workers exit after
// IdleTime without a task, or at once on DropIdle, so a program that has
// stopped running clocks is left with no goroutine of theirs.
type worker struct {
	wake chan struct{} // the turn: to start w.task, or to resume it
	task *task         // the task to start; nil when woken to exit
	gen  uint64        // idleWorkers.gen when the worker went idle
}

// IdleTime is how long a worker goroutine, once its task has returned,
// waits for another before it exits.
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

// workersStarted counts the worker goroutines ever started.
var workersStarted atomic.Int64

// startTask runs t on an idle worker, or on a new one.
func startTask(t *task) {
	idleWorkers.Lock()
	var w *worker
	if n := len(idleWorkers.list); n > 0 {
		w = idleWorkers.list[n-1]
		idleWorkers.list[n-1] = nil
		idleWorkers.list = idleWorkers.list[:n-1]
	}
	idleWorkers.Unlock()
	if w == nil {
		workersStarted.Add(1)
		w = &worker{wake: make(chan struct{}, 1)}
		t.w, w.task = w, t
		go w.loop()
		return
	}
	t.w, w.task = w, t
	w.wake <- struct{}{}
}

// loop is a worker's goroutine.
func (w *worker) loop() {
	for {
		t := w.task
		w.task = nil
		done := t.clock.body(t)
		// Idle before Run returns, so that the clock's next Run finds
		// every one of its workers free.
		keep := w.idle()
		if done != nil {
			close(done)
		}
		if !keep {
			return
		}
		<-w.wake
		if w.task == nil {
			return // reaped
		}
	}
}

// idle puts w in the idle list, unless the list is full, and reports
// whether it did.
func (w *worker) idle() bool {
	idleWorkers.Lock()
	defer idleWorkers.Unlock()
	if len(idleWorkers.list) >= maxIdle {
		return false
	}
	w.gen = idleWorkers.gen
	idleWorkers.list = append(idleWorkers.list, w)
	if !idleWorkers.armed {
		idleWorkers.armed = true
		if idleWorkers.timer == nil {
			idleWorkers.timer = time.AfterFunc(IdleTime, reap)
		} else {
			idleWorkers.timer.Reset(IdleTime)
		}
	}
	return true
}

// reap ends the workers that were already idle when it last ran, so each
// exits between one and two IdleTimes after its last task.
func reap() {
	idleWorkers.Lock()
	defer idleWorkers.Unlock()
	list := idleWorkers.list
	n := 0
	for n < len(list) && list[n].gen < idleWorkers.gen {
		stop(list[n])
		n++
	}
	idleWorkers.list = append(list[:0], list[n:]...)
	clear(list[len(idleWorkers.list):])
	idleWorkers.gen++
	idleWorkers.armed = len(idleWorkers.list) > 0
	if idleWorkers.armed {
		idleWorkers.timer.Reset(IdleTime)
	}
}

// stop wakes an idle worker to exit. idleWorkers is locked.
func stop(w *worker) {
	w.task = nil
	w.wake <- struct{}{}
}

// DropIdle makes the idle worker goroutines that clocks keep for reuse
// exit now, instead of after IdleTime, and returns how many it stopped.
// Leak checkers call it before counting goroutines; the goroutines are
// gone once each has been scheduled to return.
func DropIdle() int {
	idleWorkers.Lock()
	defer idleWorkers.Unlock()
	n := len(idleWorkers.list)
	for i, w := range idleWorkers.list {
		stop(w)
		idleWorkers.list[i] = nil
	}
	idleWorkers.list = idleWorkers.list[:0]
	if idleWorkers.armed {
		idleWorkers.timer.Stop()
		idleWorkers.armed = false
	}
	return n
}
