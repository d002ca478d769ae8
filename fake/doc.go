// Package fake is dialsim's simulated world: the virtual clock a simulated
// call runs on, and the scripted parties it rings. It knows nothing of
// TwiML.
//
// A Clock is a deterministic scheduler for the goroutines of one call. Its
// goroutines (started by Run and Go) take turns, and every wait (Sleep,
// SleepUntil, Queue.Recv) hands the turn on. Time advances only when all of
// them are parked, and then straight to the earliest deadline: a 30-second
// ring costs microseconds. Events at the same virtual instant happen in a
// defined order (runnable goroutines in the order they became runnable; then
// cancelled waits, in registration order; then deadlines, earliest first
// and, among equal ones, in registration order), so the same program gives
// the same sequence of events on any machine. A program whose goroutines all
// wait for something that can never come gets a *DeadlockError instead of a
// hang. The Clock's doc draws the states a goroutine goes through.
//
// The goroutines of a Clock are coroutines (iter.Pull) of the goroutine
// that calls Run, on worker goroutines reused from clock to clock, so a
// hand-over of the turn is a direct switch rather than a trip through the
// Go scheduler. Idle workers exit IdleTime after their last task; DropIdle
// stops them at once, for leak checkers.
//
// A Wall has the same methods on a clock.Clock from github.com/benbjohnson/clock:
// real time from clock.New(), or a *clock.Mock stepped by its user. Both
// are a Scheduler, so code written against that interface runs unchanged on
// either. Goroutines of a Scheduler pass values of one type through a
// Queue, made by NewQueue (fake.NewQueue[string](c, "answers")) or
// initialized in place by Queue.Init.
//
// Every wait takes a context, which must not be nil: as in the context
// package, a nil one is a programming error, and the wait panics.
//
// Party describes how a simulated number or client behaves when it is rung;
// Random draws such behaviour from distributions, for race statistics.
package fake
