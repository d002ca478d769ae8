package fake_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialsim/dialsim/fake"

	"github.com/benbjohnson/clock"
	"github.com/google/go-cmp/cmp"
)

// recorder logs events with the virtual time they happened at. Only the
// clock's goroutines write to it, one at a time, so it needs no lock; the
// race detector checks that claim.
type recorder struct {
	c   *fake.Clock
	log []string
}

func (r *recorder) add(format string, args ...any) {
	r.log = append(r.log, fmt.Sprintf("%v %s", r.c.Elapsed(), fmt.Sprintf(format, args...)))
}

func run(t *testing.T, f func(c *fake.Clock, r *recorder)) []string {
	t.Helper()
	c := fake.NewClock(time.Time{})
	r := &recorder{c: c}
	if err := c.Run(func() { f(c, r) }); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return r.log
}

func TestTimeMovesOnlyWhenAllParked(t *testing.T) {
	// B does real I/O at time 0 while A sleeps 1s. The peer on the other
	// end of the pipe checks A has not woken, yields the processor many
	// times to give a wrongly advancing clock every chance, and only then
	// answers.
	client, server := net.Pipe()
	defer client.Close()
	var mu sync.Mutex
	woke := false
	peer := make(chan error, 1)
	go func() {
		buf := make([]byte, 4)
		if _, err := io.ReadFull(server, buf); err != nil {
			peer <- err
			return
		}
		for range 1000 {
			runtime.Gosched()
		}
		mu.Lock()
		w := woke
		mu.Unlock()
		if w {
			peer <- errors.New("A woke while B was in I/O")
			return
		}
		_, err := server.Write([]byte("pong"))
		peer <- err
	}()
	got := run(t, func(c *fake.Clock, r *recorder) {
		c.Go("A", func() {
			c.Sleep(context.Background(), time.Second)
			mu.Lock()
			woke = true
			mu.Unlock()
			r.add("A woke")
		})
		c.Go("B", func() {
			r.add("B writes")
			client.Write([]byte("ping"))
			buf := make([]byte, 4)
			io.ReadFull(client, buf)
			r.add("B read %s", buf)
			c.Sleep(context.Background(), 2*time.Second)
			r.add("B woke")
		})
	})
	if err := <-peer; err != nil {
		t.Fatal(err)
	}
	want := []string{"0s B writes", "0s B read pong", "1s A woke", "2s B woke"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestTimeJumps(t *testing.T) {
	// A hundred thousand hours of sleeping: a clock that slept for real,
	// even a nanosecond per virtual second, would not finish.
	got := run(t, func(c *fake.Clock, r *recorder) {
		for range 100_000 {
			c.Sleep(context.Background(), time.Hour)
		}
		r.add("done")
	})
	want := []string{"100000h0m0s done"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestOrder(t *testing.T) {
	bg := context.Background()
	tests := []struct {
		name string
		f    func(c *fake.Clock, r *recorder)
		want []string
	}{{
		name: "equal deadlines wake in registration order",
		f: func(c *fake.Clock, r *recorder) {
			for _, name := range []string{"a", "b", "c", "d", "e"} {
				c.Go(name, func() {
					c.Sleep(bg, time.Second)
					r.add("%s", name)
				})
			}
		},
		want: []string{"1s a", "1s b", "1s c", "1s d", "1s e"},
	}, {
		name: "earlier deadline first, whatever the registration order",
		f: func(c *fake.Clock, r *recorder) {
			for i, name := range []string{"a", "b", "c"} {
				c.Go(name, func() {
					c.Sleep(bg, time.Duration(3-i)*time.Second)
					r.add("%s", name)
				})
			}
		},
		want: []string{"1s c", "2s b", "3s a"},
	}, {
		name: "registration order is the order of the waits, not of the goroutines",
		f: func(c *fake.Clock, r *recorder) {
			c.Go("a", func() {
				c.Sleep(bg, time.Second) // a registers 2s after b
				c.Sleep(bg, time.Second)
				r.add("a")
			})
			c.Go("b", func() {
				c.Sleep(bg, 2*time.Second)
				r.add("b")
			})
		},
		want: []string{"2s b", "2s a"},
	}, {
		name: "goroutines start in the order they were created, after the creator parks",
		f: func(c *fake.Clock, r *recorder) {
			for _, name := range []string{"x", "y", "z"} {
				c.Go(name, func() { r.add("%s", name) })
			}
			r.add("main")
		},
		want: []string{"0s main", "0s x", "0s y", "0s z"},
	}, {
		name: "a message wakes its receiver before the next same-instant timer",
		f: func(c *fake.Clock, r *recorder) {
			q := fake.NewQueue[string](c, "q")
			c.Go("sender", func() {
				c.Sleep(bg, time.Second)
				q.Send("hello")
				r.add("sent")
			})
			c.Go("sleeper", func() {
				c.Sleep(bg, time.Second)
				r.add("sleeper")
			})
			v, _ := q.Recv(bg, time.Time{})
			r.add("got %v", v)
		},
		want: []string{"1s sent", "1s got hello", "1s sleeper"},
	}, {
		name: "receive deadline",
		f: func(c *fake.Clock, r *recorder) {
			q := fake.NewQueue[string](c, "q")
			c.Go("late", func() {
				c.Sleep(bg, 5*time.Second)
				q.Send("late")
			})
			_, err := q.Recv(bg, c.Now().Add(2*time.Second))
			r.add("timeout=%v", errors.Is(err, fake.ErrTimeout))
			v, err := q.Recv(bg, time.Time{})
			r.add("%v %v", v, err)
		},
		want: []string{"2s timeout=true", "5s late <nil>"},
	}, {
		name: "messages arrive in the order sent",
		f: func(c *fake.Clock, r *recorder) {
			q := fake.NewQueue[int](c, "q")
			for i := range 5 {
				c.Go("", func() {
					c.Sleep(bg, time.Duration(5-i)*time.Millisecond)
					q.Send(i)
				})
			}
			c.Sleep(bg, 10*time.Millisecond)
			for range 5 {
				v, _ := q.Recv(bg, time.Time{})
				r.add("%v", v)
			}
		},
		want: []string{"10ms 4", "10ms 3", "10ms 2", "10ms 1", "10ms 0"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, tt.f)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCancelWakesBeforeTimeMoves(t *testing.T) {
	tests := []struct {
		name string
		wait func(c *fake.Clock, ctx context.Context) error
	}{
		{"sleep", func(c *fake.Clock, ctx context.Context) error { return c.Sleep(ctx, time.Hour) }},
		{"recv without deadline", func(c *fake.Clock, ctx context.Context) error {
			_, err := fake.NewQueue[int](c, "never").Recv(ctx, time.Time{})
			return err
		}},
		{"recv with deadline", func(c *fake.Clock, ctx context.Context) error {
			_, err := fake.NewQueue[int](c, "never").Recv(ctx, c.Now().Add(time.Hour))
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, func(c *fake.Clock, r *recorder) {
				ctx, cancel := context.WithCancel(context.Background())
				for _, name := range []string{"w1", "w2"} {
					c.Go(name, func() {
						err := tt.wait(c, ctx)
						r.add("%s woke: %v", name, err)
					})
				}
				c.Go("canceller", func() {
					c.Sleep(context.Background(), time.Second)
					cancel()
					r.add("cancelled")
					// Parks with a deadline at the same instant: the
					// cancelled waiters must still come first.
					c.Sleep(context.Background(), time.Nanosecond)
					r.add("canceller woke")
				})
			})
			want := []string{
				"1s cancelled",
				"1s w1 woke: context canceled",
				"1s w2 woke: context canceled",
				"1.000000001s canceller woke",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := run(t, func(c *fake.Clock, r *recorder) {
		r.add("sleep: %v", c.Sleep(ctx, time.Second))
		_, err := fake.NewQueue[int](c, "q").Recv(ctx, time.Time{})
		r.add("recv: %v", err)
	})
	want := []string{"0s sleep: context canceled", "0s recv: context canceled"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDeadlock(t *testing.T) {
	c := fake.NewClock(time.Time{})
	var errs [2]error
	err := c.Run(func() {
		answers := fake.NewQueue[int](c, "answers")
		c.Go("leg", func() {
			c.Sleep(context.Background(), 3*time.Second)
			_, errs[1] = fake.NewQueue[int](c, "hangup").Recv(context.Background(), time.Time{})
		})
		_, errs[0] = answers.Recv(context.Background(), time.Time{})
	})
	var de *fake.DeadlockError
	if !errors.As(err, &de) {
		t.Fatalf("Run = %v, want a *DeadlockError", err)
	}
	want := &fake.DeadlockError{At: 3 * time.Second, Waits: []string{"main waits on queue answers", "leg waits on queue hangup"}}
	if diff := cmp.Diff(want, de); diff != "" {
		t.Errorf("deadlock (-want +got):\n%s", diff)
	}
	for i, e := range errs {
		if !errors.As(e, &de) {
			t.Errorf("wait %d returned %v, want the *DeadlockError", i, e)
		}
	}
	// The clock is usable again after a deadlock.
	if err := c.Run(func() { c.Sleep(context.Background(), time.Second) }); err != nil {
		t.Errorf("second Run: %v", err)
	}
}

func TestClocksAreIndependent(t *testing.T) {
	// Clock 1's goroutine holds its turn, blocked on a real channel, until
	// clock 2 has run a whole program: so clock 2 moved while clock 1 was
	// busy, and neither clock's time leaked into the other.
	c1, c2 := fake.NewClock(time.Time{}), fake.NewClock(time.Time{})
	handoff := make(chan time.Duration)
	var got1 time.Duration
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c1.Run(func() {
			c1.Sleep(context.Background(), time.Second)
			got := <-handoff
			got1 = c1.Elapsed() + got
		})
	}()
	c2.Run(func() {
		c2.Sleep(context.Background(), time.Minute)
		handoff <- c2.Elapsed()
	})
	wg.Wait()
	if want := time.Second + time.Minute; got1 != want {
		t.Errorf("got %v, want %v", got1, want)
	}
}

func TestClocksRunInParallel(t *testing.T) {
	const calls = 64
	results := make([][]string, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			results[i] = run(t, func(c *fake.Clock, r *recorder) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				raceOn(c, r, ctx, []time.Duration{3 * time.Second, time.Duration(i+1) * time.Second})
			})
		})
	}
	wg.Wait()
	for i, got := range results {
		winner := "leg 1"
		at := time.Duration(i+1) * time.Second
		if at >= 3*time.Second {
			winner, at = "leg 0", 3*time.Second
		}
		if !strings.Contains(strings.Join(got, "\n"), fmt.Sprintf("%v winner %s", at, winner)) {
			t.Errorf("call %d: %q", i, got)
		}
	}
}

// raceOn runs a first-answer race of one leg per answer time on c: the
// first leg to answer wins, the others are cancelled through ctx and joined.
func raceOn(c *fake.Clock, r *recorder, ctx context.Context, answerAt []time.Duration) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	answers := fake.NewQueue[int](c, "answers")
	for i, d := range answerAt {
		c.Go(fmt.Sprintf("leg %d", i), func() {
			r.add("leg %d ringing", i)
			if err := c.Sleep(ctx, d); err != nil {
				r.add("leg %d cancelled", i)
				answers.Send(-1)
				return
			}
			r.add("leg %d answered", i)
			answers.Send(i)
		})
	}
	winner := -1
	for range answerAt {
		i, err := answers.Recv(context.Background(), time.Time{})
		if err != nil {
			r.add("race: %v", err)
			return
		}
		if i >= 0 && winner < 0 {
			winner = i
			r.add("winner leg %d", i)
			cancel()
		}
	}
	r.add("joined")
}

func TestRaceIsDeterministic(t *testing.T) {
	// Ten legs; legs 7, 3 and 5 all answer at 2s, the others later. Leg 3
	// is first in registration order among the tied legs, so it wins; the
	// legs answering at 2s after it see their cancellation first.
	answerAt := []time.Duration{9, 4, 3, 2, 6, 2, 8, 2, 5, 7}
	for i := range answerAt {
		answerAt[i] *= time.Second
	}
	want := []string{
		"0s leg 0 ringing", "0s leg 1 ringing", "0s leg 2 ringing", "0s leg 3 ringing", "0s leg 4 ringing",
		"0s leg 5 ringing", "0s leg 6 ringing", "0s leg 7 ringing", "0s leg 8 ringing", "0s leg 9 ringing",
		"2s leg 3 answered",
		"2s winner leg 3",
		"2s leg 0 cancelled", "2s leg 1 cancelled", "2s leg 2 cancelled", "2s leg 4 cancelled",
		"2s leg 5 cancelled", "2s leg 6 cancelled", "2s leg 7 cancelled", "2s leg 8 cancelled", "2s leg 9 cancelled",
		"2s joined",
	}
	runs := 10_000
	if testing.Short() {
		runs = 500
	}
	for _, procs := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			for i := range runs {
				got := run(t, func(c *fake.Clock, r *recorder) {
					raceOn(c, r, context.Background(), answerAt)
				})
				// slices.Equal first: cmp.Diff of equal events, 1,500 times,
				// took more than half the test's time under -short.
				if !slices.Equal(want, got) {
					t.Fatalf("run %d: events (-want +got):\n%s", i, cmp.Diff(want, got))
				}
			}
		})
	}
}

func TestWall(t *testing.T) {
	w := fake.NewWall(nil)
	ctx, cancel := context.WithCancel(context.Background())
	var got []string
	err := w.Run(func() {
		q := fake.NewQueue[string](w, "q")
		w.Go("sender", func() {
			q.Send("a")
			q.Send("b")
		})
		for range 2 {
			v, err := q.Recv(ctx, time.Time{})
			got = append(got, fmt.Sprintf("%v %v", v, err))
		}
		_, err := q.Recv(ctx, w.Now().Add(-time.Second))
		got = append(got, fmt.Sprint("past deadline: ", errors.Is(err, fake.ErrTimeout)))
		got = append(got, fmt.Sprint("short sleep: ", w.Sleep(ctx, time.Microsecond)))
		w.Go("canceller", cancel)
		_, err = q.Recv(ctx, time.Time{})
		got = append(got, fmt.Sprint("cancelled: ", err))
		got = append(got, fmt.Sprint("sleep cancelled: ", w.Sleep(ctx, time.Hour)))
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a <nil>", "b <nil>", "past deadline: true", "short sleep: <nil>", "cancelled: context canceled", "sleep cancelled: context canceled"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// The clock takes no lock, so its waits, Go and a queue's Send called
// from outside its goroutines panic rather than race with them.
func TestOutsideClockPanics(t *testing.T) {
	tests := []struct {
		name string
		call func(c *fake.Clock, q *fake.Queue[int])
	}{
		{"Sleep", func(c *fake.Clock, _ *fake.Queue[int]) { c.Sleep(context.Background(), time.Second) }},
		{"Go", func(c *fake.Clock, _ *fake.Queue[int]) { c.Go("g", func() {}) }},
		{"Send", func(_ *fake.Clock, q *fake.Queue[int]) { q.Send(1) }},
		{"Recv", func(_ *fake.Clock, q *fake.Queue[int]) { q.Recv(context.Background(), time.Time{}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fake.NewClock(time.Time{})
			q := fake.NewQueue[int](c, "q")
			defer func() {
				if msg, _ := recover().(string); !strings.Contains(msg, "outside a goroutine of the clock") {
					t.Errorf("%s outside the clock's goroutines: panic %q, want one saying so", tt.name, msg)
				}
			}()
			tt.call(c, q)
		})
	}
}

// A nil context is a programming error, which every wait of both
// schedulers rejects with a panic that says so, as the context package
// does, rather than waiting without one.
func TestNilContextPanics(t *testing.T) {
	var nilCtx context.Context
	ops := []struct {
		name string
		wait func(s fake.Scheduler) error
	}{
		{"Sleep", func(s fake.Scheduler) error { return s.Sleep(nilCtx, time.Second) }},
		{"SleepUntil", func(s fake.Scheduler) error { return s.SleepUntil(nilCtx, s.Now().Add(time.Second)) }},
		{"Queue.Recv", func(s fake.Scheduler) error {
			_, err := fake.NewQueue[int](s, "q").Recv(nilCtx, time.Time{})
			return err
		}},
	}
	schedulers := []struct {
		name string
		new  func() fake.Scheduler
	}{
		{"Clock", func() fake.Scheduler { return fake.NewClock(time.Time{}) }},
		{"Wall", func() fake.Scheduler { return fake.NewWall(clock.NewMock()) }},
	}
	for _, s := range schedulers {
		for _, op := range ops {
			t.Run(s.name+"/"+op.name, func(t *testing.T) {
				sch := s.new()
				var got any
				err := sch.Run(func() {
					defer func() { got = recover() }()
					op.wait(sch)
				})
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				if msg, _ := got.(string); !strings.Contains(msg, "nil context") {
					t.Errorf("recovered %#v, want a panic about a nil context", got)
				}
			})
		}
	}
}

// A queue initialized in place carries values of its type, and Init makes
// a used queue empty again, on a Clock as on a Wall.
func TestQueueInit(t *testing.T) {
	type msg struct{ n int }
	schedulers := []struct {
		name string
		new  func() fake.Scheduler
	}{
		{"Clock", func() fake.Scheduler { return fake.NewClock(time.Time{}) }},
		{"Wall", func() fake.Scheduler { return fake.NewWall(nil) }},
	}
	for _, s := range schedulers {
		t.Run(s.name, func(t *testing.T) {
			sch := s.new()
			var got []string
			var q fake.Queue[*msg] // zero, then Init: as inside a struct
			err := sch.Run(func() {
				ctx := context.Background()
				q.Init(sch, "q")
				q.Send(&msg{1})
				q.Send(&msg{2})
				m, err := q.Recv(ctx, time.Time{})
				got = append(got, fmt.Sprintf("%d %v len=%d", m.n, err, q.Len()))
				q.Init(sch, "q") // drops message 2
				sch.Go("sender", func() { q.Send(&msg{3}) })
				m, err = q.Recv(ctx, time.Time{})
				got = append(got, fmt.Sprintf("%d %v len=%d", m.n, err, q.Len()))
				m, err = q.Recv(ctx, sch.Now())
				got = append(got, fmt.Sprintf("%v timeout=%v", m, errors.Is(err, fake.ErrTimeout)))
			})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			want := []string{"1 <nil> len=1", "3 <nil> len=0", "<nil> timeout=true"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A Queue used before NewQueue or Init panics, saying so, rather than
// waiting on nothing.
func TestQueueZeroPanics(t *testing.T) {
	var q fake.Queue[int]
	defer func() {
		if msg, _ := recover().(string); !strings.Contains(msg, "before NewQueue or Init") {
			t.Errorf("recovered %q, want a panic about an uninitialized Queue", msg)
		}
	}()
	q.Send(1)
}
