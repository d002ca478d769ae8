package fake

import (
	"context"
	"sync"
	"time"

	"github.com/benbjohnson/clock"
)

// Wall runs a call's goroutines on a clock.Clock instead of virtual time:
// real time with clock.New() (a live demonstration, or an application that
// must see real delays), or a *clock.Mock that the user steps. Like Clock,
// it is a Scheduler, so engine code runs unchanged on either, but it has none
// of Clock's guarantees: goroutines run in parallel, same-instant events happen
// in scheduler order, and a deadlock hangs until a context ends it.
type Wall struct {
	clock clock.Clock
	start time.Time
	wg    sync.WaitGroup
}

// NewWall returns a Wall on c, or on the real clock if c is nil.
func NewWall(c clock.Clock) *Wall {
	if c == nil {
		c = clock.New()
	}
	return &Wall{clock: c, start: c.Now()}
}

// Elapsed returns the time elapsed on the clock since NewWall.
func (w *Wall) Elapsed() time.Duration { return w.clock.Since(w.start) }

// Now returns the time of the underlying clock.
func (w *Wall) Now() time.Time { return w.clock.Now() }

// Run calls f and returns when it and every goroutine started with Go have
// returned. It always returns nil: a Wall cannot see deadlocks.
func (w *Wall) Run(f func()) error {
	w.wg.Add(1)
	func() {
		defer w.wg.Done()
		f()
	}()
	w.wg.Wait()
	return nil
}

// Go starts f as a goroutine of the Wall; Run waits for it. The name is for
// symmetry with Clock.Go.
func (w *Wall) Go(name string, f func()) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		f()
	}()
}

// Sleep waits for d on the underlying clock, or until ctx is done, and
// returns nil or ctx.Err() as Clock.Sleep does. It panics if ctx is nil.
func (w *Wall) Sleep(ctx context.Context, d time.Duration) error {
	mustContext(ctx, "Wall.Sleep")
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := w.clock.Timer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SleepUntil waits until t on the underlying clock, or until ctx is done,
// like Sleep.
func (w *Wall) SleepUntil(ctx context.Context, t time.Time) error {
	mustContext(ctx, "Wall.SleepUntil")
	return w.Sleep(ctx, t.Sub(w.clock.Now()))
}

// initQueue makes q a queue of the Wall.
func (w *Wall) initQueue(q *queueCore, name string) {
	*q = queueCore{wall: w, name: name, notify: make(chan struct{}, 1)}
}

// signal tells a goroutine waiting on q, if there is one, that a message
// was sent.
func (w *Wall) signal(q *queueCore) {
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// wallTimer is the timer of one Recv on a Wall, armed at its first wait.
type wallTimer struct{ t *clock.Timer }

func (t *wallTimer) stop() {
	if t.t != nil {
		t.t.Stop()
	}
}

// await waits until a Send signals q, the time until passes (never, if it
// is zero) or ctx is done, for Queue.Recv, which found q empty. t is the
// Recv's timer, armed on the first call.
func (w *Wall) await(ctx context.Context, q *queueCore, until time.Time, t *wallTimer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !until.IsZero() && t.t == nil {
		d := until.Sub(w.clock.Now())
		if d <= 0 {
			return ErrTimeout
		}
		t.t = w.clock.Timer(d)
	}
	var timeout <-chan time.Time
	if t.t != nil {
		timeout = t.t.C
	}
	select {
	case <-q.notify:
		return nil
	case <-timeout:
		return ErrTimeout
	case <-ctx.Done():
		return ctx.Err()
	}
}
