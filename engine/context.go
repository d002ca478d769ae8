package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// legContext is a cancellable context of a call: the call's own life and
// its caller's hangup, each Dial leg's, and an answered party's. A
// ten-leg Dial makes ten of them a call, so unlike context.WithCancelCause
// it allocates nothing of its own (all but the party's live in the call or
// the leg) and does not register with its parent: Err asks the parent
// instead, which is all the virtual clock asks of a context.
//
// Done is for a real clock and for HTTP requests, which wait on it or
// derive contexts from it. The first Done makes the legContext's inner
// context, a context.WithCancelCause of its parent that end cancels too;
// from then on Done and Value are the inner context's, so contexts derived
// from a legContext are the inner context's children, and end when it or
// any context above it ends, at once, as context.WithCancelCause's would.
// The cause of a legContext is causeOf's to tell.
//
// BenchmarkCall/legs=10 (bench), with legContexts and with a
// context.WithCancelCause made for each instead, interleaved runs of two
// test binaries on 2 cores, 1 Dec 2026, medians of 5: 40.3 µs and 41
// allocations a call with, 65.0 µs and 91 with WithCancelCause.
type legContext struct {
	parent context.Context
	ended  atomic.Bool // set, once, after cause
	cause  error       // why it was ended

	mu     sync.Mutex
	inner  context.Context // made by the first Done
	cancel context.CancelCauseFunc
}

// init makes x, which must be a zero legContext, a context derived from
// parent, not yet ended.
func (x *legContext) init(parent context.Context) { x.parent = parent }

// Deadline returns the parent's deadline.
func (x *legContext) Deadline() (time.Time, bool) { return x.parent.Deadline() }

// Value returns the inner context's value for key once there is one, else
// the parent's: the same for every key but the context package's own.
func (x *legContext) Value(key any) any {
	x.mu.Lock()
	inner := x.inner
	x.mu.Unlock()
	if inner != nil {
		return inner.Value(key)
	}
	return x.parent.Value(key)
}

// Err returns context.Canceled once x is ended, else the parent's Err.
func (x *legContext) Err() error {
	if x.ended.Load() {
		return context.Canceled
	}
	return x.parent.Err()
}

// Done returns a channel closed when x is done: the inner context's.
func (x *legContext) Done() <-chan struct{} {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.inner == nil {
		x.inner, x.cancel = context.WithCancelCause(x.parent)
		if x.ended.Load() {
			x.cancel(x.cause)
		}
	}
	return x.inner.Done()
}

// end ends x with cause (context.Canceled if nil), unless it has ended.
func (x *legContext) end(cause error) {
	if cause == nil {
		cause = context.Canceled
	}
	// As with context.WithCancelCause, the first end wins, and a parent
	// that is done has ended its children already.
	if x.parent.Err() != nil {
		return
	}
	x.mu.Lock()
	if x.ended.Load() {
		x.mu.Unlock()
		return
	}
	x.cause = cause
	x.ended.Store(true)
	cancel := x.cancel
	x.mu.Unlock()
	if cancel != nil {
		cancel(cause)
	}
}

// watched reports whether x made its inner context, which its parent's
// may still refer to.
func (x *legContext) watched() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.inner != nil
}

// causeOf returns why ctx is done, or nil: the cause a legContext was
// ended with, or its parent's if the parent ended first; for any other
// context, context.Cause.
func causeOf(ctx context.Context) error {
	for {
		x, ok := ctx.(*legContext)
		if !ok {
			return context.Cause(ctx)
		}
		if x.ended.Load() {
			return x.cause // written before ended was set
		}
		if x.parent.Err() == nil {
			return nil
		}
		ctx = x.parent
	}
}
