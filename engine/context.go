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
// instead.
//
// Err is all the virtual clock asks of a context, and it sees a parent's
// end at once. Done, which a real clock and an HTTP request wait on, is
// made when first asked for, and so is the watch on the parent that closes
// it; contexts derived from a legContext register with it through its
// AfterFunc method, as the context package does with such a parent. The
// cause of a legContext is causeOf's to tell, not context.Cause's.
type legContext struct {
	parent context.Context
	ended  atomic.Bool // set, once, after cause
	cause  error       // why it was ended

	mu       sync.Mutex
	done     chan struct{} // made by the first Done
	finished bool          // done (if made) is closed and the funcs called
	funcs    []*afterFunc  // to call when done
	stop     func() bool   // ends the watch on the parent
	watching bool          // the watch on the parent is set up
	shared   bool          // Done or AfterFunc was called
}

// afterFunc is a function registered with AfterFunc.
type afterFunc struct{ f func() }

// init makes x, which must be a zero legContext, a context derived from
// parent, not yet ended.
func (x *legContext) init(parent context.Context) { x.parent = parent }

// Deadline returns the parent's deadline.
func (x *legContext) Deadline() (time.Time, bool) { return x.parent.Deadline() }

// Value returns the parent's value for key.
func (x *legContext) Value(key any) any { return x.parent.Value(key) }

// Err returns context.Canceled once x is ended, else the parent's Err.
func (x *legContext) Err() error {
	if x.ended.Load() {
		return context.Canceled
	}
	return x.parent.Err()
}

// Done returns a channel closed when x is done.
func (x *legContext) Done() <-chan struct{} {
	x.mu.Lock()
	x.shared = true
	if x.done == nil {
		x.done = make(chan struct{})
		if x.finished {
			close(x.done)
		}
	}
	d := x.done
	x.mu.Unlock()
	x.watch()
	return d
}

// AfterFunc arranges for f to be called, once, when x is done: by the
// goroutine that ends x, or in a goroutine of its own if x is done
// already, but never by AfterFunc itself, whose caller may hold locks that
// f takes (the context package calls it holding the derived context's).
// stop cancels the call, and reports whether it did.
func (x *legContext) AfterFunc(f func()) (stop func() bool) {
	a := &afterFunc{f: f}
	x.mu.Lock()
	x.shared = true
	if x.finished {
		x.mu.Unlock()
		go f()
		return func() bool { return false }
	}
	x.funcs = append(x.funcs, a)
	x.mu.Unlock()
	x.watch()
	return func() bool {
		x.mu.Lock()
		defer x.mu.Unlock()
		for i, b := range x.funcs {
			if b == a {
				x.funcs = append(x.funcs[:i], x.funcs[i+1:]...)
				return true
			}
		}
		return false
	}
}

// watch makes sure x finishes when its parent is done, once x is watched
// at all (Done or AfterFunc was called). If x is done already, it finishes
// in a goroutine of its own: watch's callers may hold locks that the
// functions registered with x take.
func (x *legContext) watch() {
	x.mu.Lock()
	if x.watching || x.finished {
		x.mu.Unlock()
		return
	}
	x.watching = true
	x.mu.Unlock()
	if x.Err() != nil {
		go x.finish()
		return
	}
	// Registered without x.mu held: the parent may call x.finish at once.
	var stop func() bool
	if p, ok := x.parent.(*legContext); ok {
		stop = p.AfterFunc(x.finish)
	} else if x.parent.Done() != nil {
		stop = context.AfterFunc(x.parent, x.finish)
	}
	if stop == nil {
		return // the parent is never done
	}
	x.mu.Lock()
	if !x.finished {
		x.stop = stop
		stop = nil
	}
	x.mu.Unlock()
	if stop != nil {
		stop() // x finished meanwhile
	}
}

// finish closes done, if it was made, and calls the functions registered
// with AfterFunc, once x is done.
func (x *legContext) finish() {
	x.mu.Lock()
	if x.finished {
		x.mu.Unlock()
		return
	}
	x.finished = true
	if x.done != nil {
		close(x.done)
	}
	funcs := x.funcs
	x.funcs = nil
	stop := x.stop
	x.stop = nil
	x.mu.Unlock()
	if stop != nil {
		stop()
	}
	for _, a := range funcs {
		a.f()
	}
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
	x.mu.Unlock()
	x.finish()
}

// watched reports whether Done or AfterFunc was ever called on x: a
// context.AfterFunc may then still be on its way to it.
func (x *legContext) watched() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.shared
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
