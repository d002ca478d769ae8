package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// legContext is the context of a Dial leg, and of its party once it has
// answered: done when it is ended with a cause, or when its parent is
// done. A ten-leg Dial makes ten of them a call, so unlike
// context.WithCancelCause it costs no allocation (it lives in the leg)
// and no registration with its parent: Err asks the parent instead.
//
// Err is all the virtual clock asks of a context, and it sees a parent's
// end at once. Done, which a real clock and an HTTP request wait on, is
// made when first asked for; it is closed when the legContext is ended,
// or soon after the parent is done (context.AfterFunc). The cause of a
// legContext is causeOf's to tell, not context.Cause's.
type legContext struct {
	parent context.Context
	ended  atomic.Pointer[error] // the cause it was ended with

	mu     sync.Mutex
	done   chan struct{} // made by the first Done
	closed bool
	stop   func() bool // ends the AfterFunc that closes done with the parent
}

// init makes x a context derived from parent, not yet ended.
func (x *legContext) init(parent context.Context) { x.parent = parent }

// Deadline returns the parent's deadline.
func (x *legContext) Deadline() (time.Time, bool) { return x.parent.Deadline() }

// Value returns the parent's value for key.
func (x *legContext) Value(key any) any { return x.parent.Value(key) }

// Err returns context.Canceled once x is ended, else the parent's Err.
func (x *legContext) Err() error {
	if x.ended.Load() != nil {
		return context.Canceled
	}
	return x.parent.Err()
}

// Done returns a channel closed when x is done.
func (x *legContext) Done() <-chan struct{} {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.done == nil {
		x.done = make(chan struct{})
		if x.Err() != nil {
			x.closeDone()
		} else if x.parent.Done() != nil {
			x.stop = context.AfterFunc(x.parent, func() {
				x.mu.Lock()
				defer x.mu.Unlock()
				x.closeDone()
			})
		}
	}
	return x.done
}

// closeDone closes done, once. x.mu is held.
func (x *legContext) closeDone() {
	if !x.closed {
		x.closed = true
		close(x.done)
	}
}

// end ends x with cause (context.Canceled if nil), unless it has ended.
func (x *legContext) end(cause error) {
	if cause == nil {
		cause = context.Canceled
	}
	// As with context.WithCancelCause, the first end wins, and a parent
	// that is done has ended its children already.
	if x.parent.Err() != nil || !x.ended.CompareAndSwap(nil, &cause) {
		return
	}
	x.release()
}

// release closes done, if it was made, and ends the AfterFunc that
// watched the parent.
func (x *legContext) release() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.stop != nil {
		x.stop()
		x.stop = nil
	}
	if x.done != nil && x.ended.Load() != nil {
		x.closeDone()
	}
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
		if p := x.ended.Load(); p != nil {
			return *p
		}
		if x.parent.Err() == nil {
			return nil
		}
		ctx = x.parent
	}
}
