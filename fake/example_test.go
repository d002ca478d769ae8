package fake_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dialsim/dialsim/fake"
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
