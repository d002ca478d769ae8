package bench

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/dialsim/dialsim/fake"

	"github.com/benbjohnson/clock"
)

// RaceBare is the floor: n goroutines offer their answers on a channel, the
// first one received wins (whichever the Go scheduler ran first: there is
// no clock to order them), the rest see the context cancelled and are joined.
func RaceBare(n int) int {
	ctx, cancel := context.WithCancel(context.Background())
	answers := make(chan int)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case answers <- i:
			case <-ctx.Done():
			}
		}()
	}
	winner := <-answers
	cancel()
	wg.Wait()
	return winner
}

// RaceVirtual runs the race on a fake.Clock: each leg sleeps until its
// answer time, the first to wake wins, and the others are cancelled while
// they sleep.
func RaceVirtual(n int) int {
	c := fake.NewClock(time.Time{})
	winner := -1
	c.Run(func() {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		answers := fake.NewQueue[int](c, "answers")
		for i := range n {
			c.Go("leg", func() {
				if c.Sleep(ctx, time.Duration(i+1)*time.Second) != nil {
					answers.Send(-1)
					return
				}
				answers.Send(i)
			})
		}
		for range n {
			if i, _ := answers.Recv(context.Background(), time.Time{}); i >= 0 && winner < 0 {
				winner = i
				cancel()
			}
		}
	})
	return winner
}

// RaceMock runs the race on a clock.Mock: the timers are armed, the clock
// is moved forward a second at a time with Add until a leg answers, and the
// others are cancelled through the context.
func RaceMock(n int) int {
	m := clock.NewMock()
	ctx, cancel := context.WithCancel(context.Background())
	answers := make(chan int)
	var wg sync.WaitGroup
	for i := range n {
		timer := m.Timer(time.Duration(i+1) * time.Second)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer timer.Stop()
			select {
			case <-timer.C:
				select {
				case answers <- i:
				case <-ctx.Done():
				}
			case <-ctx.Done():
			}
		}()
	}
	runtime.Gosched()
	winner := -1
	for winner < 0 {
		m.Add(time.Second)
		select {
		case winner = <-answers:
		case <-ctx.Done():
		default:
		}
	}
	cancel()
	wg.Wait()
	return winner
}
