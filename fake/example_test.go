package fake_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dialsim/dialsim/fake"

	"github.com/benbjohnson/clock"
)

// A first-answer race of three legs on virtual time: the first leg to answer
// wins and the others are cancelled through a context. The two legs that
// answer at the same instant are ordered by when they started waiting.
func ExampleClock() {
	c := fake.NewClock(time.Time{})
	c.Run(func() {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		answers := fake.NewQueue[string](c, "answers")
		for i, ring := range []time.Duration{8 * time.Second, 3 * time.Second, 3 * time.Second} {
			c.Go(fmt.Sprintf("leg %d", i), func() {
				if err := c.Sleep(ctx, ring); err != nil {
					answers.Send(fmt.Sprintf("leg %d: %v at %v", i, err, c.Elapsed()))
					return
				}
				answers.Send(fmt.Sprintf("leg %d: answered at %v", i, c.Elapsed()))
			})
		}
		for range 3 {
			v, _ := answers.Recv(context.Background(), time.Time{})
			fmt.Println(v)
			cancel() // the first answer wins
		}
	})
	// Output:
	// leg 1: answered at 3s
	// leg 0: context canceled at 3s
	// leg 2: context canceled at 3s
}

// A Queue carries values of one type, here a struct, between the goroutines
// of a Scheduler, with no type assertion at the receiver. The same function
// runs on virtual time and on a Wall, here over a clock.Mock.
func ExampleNewQueue() {
	type answer struct {
		leg string
		at  time.Duration
	}
	relay := func(s fake.Scheduler) {
		s.Run(func() {
			answers := fake.NewQueue[answer](s, "answers")
			s.Go("leg 0", func() { answers.Send(answer{"leg 0", s.Elapsed()}) })
			a, err := answers.Recv(context.Background(), time.Time{})
			fmt.Println(a.leg, "answered at", a.at, err)
		})
	}
	relay(fake.NewClock(time.Time{}))
	relay(fake.NewWall(clock.NewMock()))
	// Output:
	// leg 0 answered at 0s <nil>
	// leg 0 answered at 0s <nil>
}
