package webhook

import (
	"context"
	"sync"
)

// Expire replaces f's real-time limit: the time of every request f makes
// is up when the returned function is called, as if its Timeout had
// passed, so that tests wait out no real time.
func Expire(f *Fetcher) (expire func()) {
	var mu sync.Mutex
	var cancels []context.CancelCauseFunc
	f.withTimeout = func(ctx context.Context) (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancelCause(ctx)
		mu.Lock()
		cancels = append(cancels, cancel)
		mu.Unlock()
		return ctx, func() { cancel(context.Canceled) }
	}
	return func() {
		mu.Lock()
		defer mu.Unlock()
		for _, cancel := range cancels {
			cancel(errTimeout)
		}
	}
}
