package main

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/dialsim/dialsim/fake"
)

// TestMain fails the example's tests if goroutines outlive them: a
// connection the app's test servers left open, or a call that did not
// end. It is the check an application's own tests can copy.
func TestMain(m *testing.M) {
	before := runtime.NumGoroutine()
	code := m.Run()
	if code == 0 {
		if n, ok := settle(before); !ok {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			fmt.Fprintf(os.Stderr, "goroutine leak: %d goroutines, %d before the tests\n%s", n, before, buf)
			code = 1
		}
	}
	os.Exit(code)
}

// settle waits until at most want goroutines run, and reports how many
// do. Virtual clocks keep idle workers for their next call (fake.DropIdle
// stops them); a goroutine that has done its last work may still need to
// be scheduled once more to exit, so settle yields the processor, without
// sleeping, for up to five seconds of real time.
func settle(want int) (int, bool) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		fake.DropIdle()
		n := runtime.NumGoroutine()
		if n <= want || time.Now().After(deadline) {
			return n, n <= want
		}
		runtime.Gosched()
	}
}
