package leakcheck_test

import (
	"fmt"
	"runtime"

	"github.com/dialsim/dialsim/internal/leakcheck"
)

// Settle waits for goroutines on their way out.
func ExampleSettle() {
	base := runtime.NumGoroutine()
	done := make(chan struct{})
	go func() { close(done) }()
	<-done
	fmt.Println(leakcheck.Settle(base) <= base)
	// Output: true
}
