package fake

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"
)

// runLegs runs a clock with n goroutines that each sleep once.
func runLegs(t *testing.T, n int) {
	t.Helper()
	c := NewClock(time.Time{})
	err := c.Run(func() {
		for i := range n {
			c.Go("", func() { c.Sleep(context.Background(), time.Duration(i+1)*time.Second) })
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

// settle yields until at most want goroutines remain (a second at most)
// and returns how many do.
func settle(want int) int {
	deadline := time.Now().Add(time.Second)
	n := runtime.NumGoroutine()
	for n > want && time.Now().Before(deadline) {
		runtime.Gosched()
		n = runtime.NumGoroutine()
	}
	return n
}

func idleCount() int {
	idleWorkers.Lock()
	defer idleWorkers.Unlock()
	return len(idleWorkers.list)
}

// Runs one after another reuse the goroutines of the ones before: the
// number of goroutines stays that of one run's.
func TestWorkersAreReused(t *testing.T) {
	DropIdle()
	base := settle(runtime.NumGoroutine())
	runLegs(t, 10)
	// A worker whose task has returned may take a task the same run
	// starts later, so the run used 11 workers or fewer.
	if n := idleCount(); n < 1 || n > 11 {
		t.Errorf("%d idle workers after a run of 11 goroutines, want 1 to 11", n)
	}
	started := workersStarted.Load()
	for range 100 {
		runLegs(t, 10)
	}
	// Without reuse they would start 1,100; with it, a run starts a new
	// worker only when one of the last run's had not yet gone idle.
	if n := workersStarted.Load() - started; n > 11 {
		t.Errorf("100 more runs of 11 goroutines started %d new workers, want at most 11", n)
	}
	if n := DropIdle(); n < 1 || n > 22 {
		t.Errorf("DropIdle stopped %d workers, want 1 to 22", n)
	}
	if n := settle(base); n > base {
		t.Errorf("%d goroutines after DropIdle, %d before the runs", n, base)
	}
}

// An idle worker exits at the second reap after its task: between one
// and two IdleTimes.
func TestIdleWorkersAreReaped(t *testing.T) {
	DropIdle()
	base := settle(runtime.NumGoroutine())
	runLegs(t, 3)
	idle := idleCount()
	if idle < 1 || idle > 4 {
		t.Fatalf("%d idle workers after a run of 4 goroutines, want 1 to 4", idle)
	}
	disarm() // the reaps are the test's
	reap()
	disarm()
	if n := idleCount(); n != idle {
		t.Errorf("%d idle workers after one reap, want %d: they only just went idle", n, idle)
	}
	reap()
	if n := idleCount(); n != 0 {
		t.Errorf("%d idle workers after two reaps, want 0", n)
	}
	if n := settle(base); n > base {
		t.Errorf("%d goroutines after the reaps, %d before the run", n, base)
	}
	idleWorkers.Lock()
	armed := idleWorkers.armed
	idleWorkers.Unlock()
	if armed {
		t.Errorf("the reaper is still armed with no idle worker")
	}
}

// The idle list holds at most maxIdle workers; the rest exit.
func TestIdleListIsBounded(t *testing.T) {
	DropIdle()
	base := settle(runtime.NumGoroutine())
	// Goroutines that all wait at once each need a worker of their own.
	runLegs(t, maxIdle+50)
	if n := idleCount(); n != maxIdle {
		t.Errorf("%d idle workers, want the most, %d", n, maxIdle)
	}
	if n := settle(base + maxIdle); n > base+maxIdle {
		t.Errorf("%d goroutines, want at most %d: the workers past the bound did not exit", n, base+maxIdle)
	}
	DropIdle()
	settle(base)
}

// A goroutine that panics makes Run panic with a *PanicError holding the
// value and the stack, after the clock's other goroutines have been
// unwound (their deferred calls run) and their workers have exited.
func TestPanicTearsDown(t *testing.T) {
	DropIdle()
	base := settle(runtime.NumGoroutine())
	c := NewClock(time.Time{})
	unwound := 0
	var got any
	func() {
		defer func() { got = recover() }()
		c.Run(func() {
			for i := range 3 {
				c.Go("", func() {
					defer func() { unwound++ }()
					c.Sleep(context.Background(), time.Duration(i+1)*time.Hour)
				})
			}
			c.Go("doomed", func() { panicHere() })
			c.Sleep(context.Background(), time.Minute) // parked too when the panic comes
			t.Error("main went on after the panic")
		})
	}()
	pe, ok := got.(*PanicError)
	if !ok {
		t.Fatalf("Run panicked with %#v, want a *PanicError", got)
	}
	if pe.Goroutine != "doomed" || pe.Value != "boom" || !strings.Contains(string(pe.Stack), "panicHere") {
		t.Errorf("PanicError{%q, %v}, stack:\n%s", pe.Goroutine, pe.Value, pe.Stack)
	}
	if unwound != 3 {
		t.Errorf("%d of the 3 sleeping goroutines were unwound", unwound)
	}
	// The clock is empty and runs again.
	if err := c.Run(func() { c.Sleep(context.Background(), time.Second) }); err != nil {
		t.Errorf("Run after the panic: %v", err)
	}
	DropIdle()
	if n := settle(base); n > base {
		t.Errorf("%d goroutines after the panic, %d before: workers left behind", n, base)
	}
}

func panicHere() { panic("boom") }

// disarm stops the reaper's timer, so that only the test reaps.
func disarm() {
	idleWorkers.Lock()
	defer idleWorkers.Unlock()
	idleWorkers.timer.Stop()
	idleWorkers.armed = false
}
