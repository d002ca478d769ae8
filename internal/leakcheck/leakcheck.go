// Package leakcheck fails a test binary whose tests leave goroutines
// running: every engine and CLI test package calls Main from TestMain.
package leakcheck

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/dialsim/dialsim/fake"
)

// Grace is how long Settle waits, in real time and without sleeping, for
// goroutines that are returning to be gone: a goroutine that has done its
// last work may still wait to be scheduled once more to exit.
const Grace = 5 * time.Second

// Main runs the tests, then reports a leak if more goroutines remain than
// before they started, and exits with the tests' code (1 on a leak).
func Main(m *testing.M) {
	os.Exit(run(m, os.Stderr))
}

func run(m *testing.M, w io.Writer) int {
	base := Count()
	code := m.Run()
	if code != 0 || fuzzing() {
		// A fuzzing run's coordinator starts goroutines of its own
		// (os/signal's loop) that outlive the tests.
		return code
	}
	if n := Settle(base); n > base {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		fmt.Fprintf(w, "goroutine leak: %d goroutines, %d before the tests\n%s", n, base, buf)
		return 1
	}
	return 0
}

// fuzzing reports whether the test binary runs with -test.fuzz.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// Count returns how many goroutines run once the idle goroutines that
// virtual clocks keep for reuse (fake.DropIdle) are gone: the base to
// check a test's goroutines against with Settle.
func Count() int {
	n := runtime.NumGoroutine()
	return settle(n-fake.DropIdle(), Grace)
}

// Settle stops the idle goroutines that virtual clocks keep for reuse
// (fake.DropIdle), then yields the processor until at most want
// goroutines remain, or Grace has passed, and returns how many remain.
func Settle(want int) int { return settle(want, Grace) }

func settle(want int, grace time.Duration) int {
	fake.DropIdle()
	deadline := time.Now().Add(grace)
	n := runtime.NumGoroutine()
	for n > want && time.Now().Before(deadline) {
		runtime.Gosched()
		n = runtime.NumGoroutine()
	}
	return n
}
