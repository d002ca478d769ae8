package engine

import (
	"context"
	"errors"
	"testing"
	"time"
)

var errTest = errors.New("test cause")

// A legContext ended with a cause is done with that cause; its parent
// and its siblings are not.
func TestLegContextEnd(t *testing.T) {
	parent, stop := context.WithCancelCause(context.Background())
	defer stop(nil)
	var x, y legContext
	x.init(parent)
	y.init(parent)
	if x.Err() != nil || causeOf(&x) != nil {
		t.Fatalf("new: Err %v, cause %v; want nil, nil", x.Err(), causeOf(&x))
	}
	x.end(errTest)
	x.end(errDone) // the first end wins
	if x.Err() != context.Canceled || causeOf(&x) != errTest {
		t.Errorf("ended: Err %v, cause %v; want %v, %v", x.Err(), causeOf(&x), context.Canceled, errTest)
	}
	if parent.Err() != nil || y.Err() != nil {
		t.Errorf("ending x ended its parent (%v) or its sibling (%v)", parent.Err(), y.Err())
	}
	select {
	case <-x.Done():
	default:
		t.Error("Done is open after the end")
	}
}

// A parent's end is seen at once by Err, through any depth, with the
// parent's cause, and a later end of the child changes nothing.
func TestLegContextParentEnds(t *testing.T) {
	parent, stop := context.WithCancelCause(context.Background())
	var x, y legContext
	x.init(parent)
	y.init(&x)
	stop(errTest)
	for name, c := range map[string]*legContext{"child": &x, "grandchild": &y} {
		if c.Err() != context.Canceled || causeOf(c) != errTest {
			t.Errorf("%s: Err %v, cause %v; want %v, %v", name, c.Err(), causeOf(c), context.Canceled, errTest)
		}
	}
	x.end(errDone)
	if causeOf(&x) != errTest {
		t.Errorf("ending after the parent: cause %v, want the parent's, %v", causeOf(&x), errTest)
	}
}

// Done, made before the end, is closed by the legContext's own end, and
// soon after its parent's (what a real clock and an HTTP request wait on).
func TestLegContextDone(t *testing.T) {
	var x legContext
	x.init(context.Background())
	done := x.Done()
	x.end(nil)
	<-done
	if causeOf(&x) != context.Canceled {
		t.Errorf("end(nil): cause %v, want %v", causeOf(&x), context.Canceled)
	}

	parent, stop := context.WithCancel(context.Background())
	var y legContext
	y.init(parent)
	done = y.Done()
	stop()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("Done still open a minute after the parent ended")
	}

	// A context derived from a legContext ends with it, at once.
	var z legContext
	z.init(context.Background())
	child, cancel := context.WithTimeout(&z, time.Hour)
	defer cancel()
	z.end(errTest)
	if child.Err() != context.Canceled {
		t.Errorf("derived: Err %v right after the end, want %v", child.Err(), context.Canceled)
	}
}

// Done closes through a chain of legContexts when the std context at its
// root is cancelled, and a derived std context ends with them.
func TestLegContextChain(t *testing.T) {
	root, stop := context.WithCancel(context.Background())
	var life, call, leg legContext
	life.init(root)
	call.init(&life)
	leg.init(&call)
	child, cancel := context.WithCancel(&leg)
	defer cancel()
	done := leg.Done()
	stop()
	for name, d := range map[string]<-chan struct{}{"leg": done, "derived": child.Done()} {
		select {
		case <-d:
		case <-time.After(time.Minute):
			t.Fatalf("%s: Done still open a minute after the root was cancelled", name)
		}
	}
	if causeOf(&leg) != context.Canceled {
		t.Errorf("cause %v, want the root's, %v", causeOf(&leg), context.Canceled)
	}
}

// A context derived from a legContext that is ending at that moment, or
// whose parent is, is made without deadlock and ends: AfterFunc never
// calls back while its caller holds the derived context's lock.
func TestLegContextDeriveWhileEnding(t *testing.T) {
	for i := range 2000 {
		root, stop := context.WithCancel(context.Background())
		var call, leg legContext
		call.init(root)
		leg.init(&call)
		done := make(chan struct{})
		go func() {
			if i%2 == 0 {
				leg.end(errTest)
			} else {
				stop()
			}
			close(done)
		}()
		child, cancel := context.WithTimeout(&leg, time.Hour)
		select {
		case <-child.Done():
		case <-time.After(time.Minute):
			t.Fatalf("round %d: the derived context still open a minute after the end", i)
		}
		cancel()
		<-done
		stop()
	}
}

// watched is set once Done made the inner context, and the chain of
// inner contexts ends at once when the std context at its root is
// cancelled: a context derived from the last legContext is done right
// after the cancel returns, as with context.WithCancelCause.
func TestLegContextInnerIsSynchronous(t *testing.T) {
	root, stop := context.WithCancel(context.Background())
	var life, call legContext
	life.init(root)
	call.init(&life)
	if call.watched() {
		t.Fatal("watched before Done")
	}
	child, cancel := context.WithTimeout(&call, time.Hour)
	defer cancel()
	if !call.watched() || !life.watched() {
		t.Fatal("deriving a context did not make the inner contexts")
	}
	stop()
	if child.Err() == nil {
		t.Error("a context derived from a legContext is not done right after its root was cancelled")
	}
	var y legContext
	y.init(context.Background())
	y.end(nil)
	if y.watched() {
		t.Error("watched is true though nothing asked for Done")
	}
	if y.Done() == nil || causeOf(&y) != context.Canceled {
		t.Error("an ended legContext's Done is not made closed")
	}
	select {
	case <-y.Done():
	default:
		t.Error("Done of an ended legContext is open")
	}
}
