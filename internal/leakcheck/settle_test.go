package leakcheck

import (
	"runtime"
	"testing"
	"time"
)

// A goroutine that stays blocked is still counted once the grace is over:
// the check can fail.
func TestSettleSeesABlockedGoroutine(t *testing.T) {
	base := runtime.NumGoroutine()
	block := make(chan struct{})
	done := make(chan struct{})
	go func() {
		<-block
		close(done)
	}()
	if n := settle(base, 10*time.Millisecond); n <= base {
		t.Errorf("settle = %d with a goroutine blocked, want more than %d", n, base)
	}
	close(block)
	<-done
	if n := settle(base, Grace); n > base {
		t.Errorf("settle = %d after the goroutine returned, want at most %d", n, base)
	}
}
