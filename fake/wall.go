package fake

import (
	"context"
	"sync"
	"time"

	"github.com/benbjohnson/clock"
)

// Wall runs a call's goroutines on a clock.Clock instead of virtual time:
// real time with clock.New() (a live demonstration, or an application that
// must see real delays), or a *clock.Mock that the user steps. It has the
// same methods as Clock, so engine code runs unchanged on either, but none of
// Clock's guarantees: goroutines run in parallel, same-instant events happen
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

// Since returns the time elapsed on the clock since NewWall.
func (w *Wall) Since() time.Duration { return w.clock.Since(w.start) }

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
// returns nil or ctx.Err() as Clock.Sleep does.
func (w *Wall) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctxErr(ctx); err != nil {
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
	case <-done(ctx):
		return ctx.Err()
	}
}

// NewQueue returns an empty Queue for goroutines of the Wall.
func (w *Wall) NewQueue(name string) *Queue {
	q := new(Queue)
	w.InitQueue(q, name)
	return q
}

// InitQueue makes q, which must not be in use, an empty Queue of the
// Wall, as NewQueue would return.
func (w *Wall) InitQueue(q *Queue, name string) {
	*q = Queue{name: name, wall: w, notify: make(chan struct{}, 1)}
	q.items = q.buf[:0]
}

func (w *Wall) recv(ctx context.Context, q *Queue, until time.Time) (any, error) {
	var timeout <-chan time.Time
	for {
		q.mu.Lock()
		v, ok := q.take()
		q.mu.Unlock()
		if ok {
			return v, nil
		}
		if err := ctxErr(ctx); err != nil {
			return nil, err
		}
		if !until.IsZero() && timeout == nil {
			d := until.Sub(w.clock.Now())
			if d <= 0 {
				return nil, ErrTimeout
			}
			t := w.clock.Timer(d)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-q.notify:
		case <-timeout:
			return nil, ErrTimeout
		case <-done(ctx):
			return nil, ctx.Err()
		}
	}
}

func done(ctx context.Context) <-chan struct{} {
	if ctx == nil {
		return nil
	}
	return ctx.Done()
}
