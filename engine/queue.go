package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/twiml"
)

// DefaultMaxQueueSize is how many calls a queue holds when no Enqueue has
// set its maxQueueSize: 1000, the default of Twilio's Queue resource
// (docs/twilio.md, “Queues”: an older page of Enqueue says 100).
const DefaultMaxQueueSize = 1000

// Event kinds of queues (docs/twilio.md, “Queues”).
const (
	KindEnqueue      = "enqueue"        // Queue, QueueSid, QueuePosition, CurrentQueueSize: the call joins a queue
	KindQueueFull    = "queue.full"     // Queue, QueueSid, CurrentQueueSize, MaxQueueSize: the queue turned the call away
	KindQueueWait    = "queue.wait"     // Queue, QueueSid, Timeout: a Dial waits for a call to join an empty queue
	KindDequeue      = "queue.dequeue"  // Queue, CallSid, QueueTime: a Dial takes the first call of the queue
	KindDequeued     = "queue.dequeued" // Queue, DequeingCallSid, QueueTime: the call is taken out of its queue
	KindQueueBridged = "queue.bridged"  // CallSid: the other call of a queue's bridge
	KindLeave        = "leave"          // the wait document's <Leave>
	KindQueueEnd     = "queue.end"      // Queue, QueueResult, QueueTime: the Enqueue is over
)

// Why a member's wait ended, as its context's cause.
var (
	errDequeued = errors.New("dequeued")
	errPeerGone = errors.New("the other call of the bridge ended")
	errMaxWait  = errors.New("four hours in the queue")
	errHangupIn = errors.New("the wait document hung up")
)

// resources are the queues that calls share: a World's, or one call's
// own outside a world.
type resources struct {
	mu          sync.Mutex
	queues      map[string]*queue
	conferences map[string]*conference // conference.go
	confCount   int                    // conferences made, for their SIDs
}

// res returns the resources of the call's world, or its own.
func (c *call) res() *resources {
	if c.wc != nil {
		return &c.wc.w.res
	}
	if c.local == nil {
		c.local = new(resources)
	}
	return c.local
}

// queue returns the queue named name, creating it. r.mu is held.
func (r *resources) queue(c *call, name string) *queue {
	if q, ok := r.queues[name]; ok {
		return q
	}
	if r.queues == nil {
		r.queues = map[string]*queue{}
	}
	q := &queue{name: name, sid: c.e.sid("QU", c.account, name), max: DefaultMaxQueueSize}
	r.queues[name] = q
	return q
}

// queue is a named queue of calls, first in, first out.
type queue struct {
	name, sid string
	max       int
	members   []*member
	waiters   []*dequeuer // Dials waiting for a member, in the order they came
}

// member is a call waiting in a queue.
type member struct {
	c      *call
	ctx    context.Context // the caller's call's
	at     time.Time       // when it joined
	wait   legContext      // its wait: ended when it is dequeued or leaves
	bridge *queueBridge    // set when a Dial dequeues it
}

// dequeuer is a <Dial><Queue> waiting for a member.
type dequeuer struct {
	c     *call
	ctx   context.Context // the dialing call's
	noun  *twiml.Queue
	base  string // the URL of the document holding the Dial
	offer fake.Queue[*queueBridge]
	taken *queueBridge // set with the offer, under resources.mu
}

// queueBridge joins a member and the Dial that dequeued it. Each side
// waits on its own context, a child of its call's; whichever ends first
// ends the other's.
type queueBridge struct {
	m                     *member
	d                     *dequeuer
	callerSide, agentSide legContext
	ready                 fake.Queue[bool] // the member tells the Dial: bridged
}

// match pairs waiting Dials with members, both in order. r.mu is held.
func (r *resources) match(q *queue) {
	for len(q.waiters) > 0 && len(q.members) > 0 {
		d, m := q.waiters[0], q.members[0]
		q.waiters, q.members = q.waiters[1:], q.members[1:]
		b := &queueBridge{m: m, d: d}
		b.callerSide.init(m.ctx)
		b.agentSide.init(d.ctx)
		b.ready.Init(d.c.s, "queue bridge "+q.name)
		m.bridge = b
		d.taken = b
		m.wait.end(errDequeued)
		d.offer.Send(b)
	}
}

// position returns m's place in q, from 1, or 0 if it is not there.
func (q *queue) position(m *member) int {
	return slices.Index(q.members, m) + 1
}

// avgWait is the mean wait of the calls in q at now, AvgQueueTime.
func (q *queue) avgWait(now time.Time) time.Duration {
	if len(q.members) == 0 {
		return 0
	}
	var sum time.Duration
	for _, m := range q.members {
		sum += now.Sub(m.at)
	}
	return sum / time.Duration(len(q.members))
}

// remove takes m out of q if it is there. r.mu is held.
func (q *queue) remove(m *member) {
	if i := slices.Index(q.members, m); i >= 0 {
		q.members = slices.Delete(q.members, i, i+1)
	}
}

// enqueue runs an Enqueue: the call waits in the queue, hearing the wait
// document, until a Dial takes it, it leaves or it hangs up; then the
// action is requested. It returns the document to run next and whether
// the verbs after the Enqueue run instead.
func (c *call) enqueue(ctx context.Context, v *twiml.Enqueue, doc *document) (*document, bool) {
	if v.Name == "" {
		c.diagnostic("", 0, "error", fmt.Sprintf("%s:%d: <Enqueue workflowSid> (TaskRouter) is not simulated; the call ends here", c.shortURL(doc.url), v.Line))
		return nil, false
	}
	res := c.res()
	res.mu.Lock()
	q := res.queue(c, v.Name)
	if v.MaxQueueSize > 0 {
		q.max = v.MaxQueueSize
	}
	if len(q.members) >= q.max {
		size, most := len(q.members), q.max
		res.mu.Unlock()
		c.emit(KindQueueFull, "", a("Queue", q.name), a("QueueSid", q.sid), a("CurrentQueueSize", size), a("MaxQueueSize", most))
		c.visit(QueueVisit{Queue: q.name, At: c.s.Elapsed(), Result: "queue-full"})
		return c.queueAction(ctx, v, doc, q, "queue-full", 0, false)
	}
	m := &member{c: c, ctx: ctx, at: c.s.Now()}
	m.wait.init(ctx)
	q.members = append(q.members, m)
	pos := len(q.members)
	res.mu.Unlock()
	c.emit(KindEnqueue, "", a("Queue", q.name), a("QueueSid", q.sid), a("QueuePosition", pos), a("CurrentQueueSize", pos))
	res.mu.Lock()
	res.match(q)
	res.mu.Unlock()
	c.patience(m)
	result := c.queueWait(m, q, v, doc)
	res.mu.Lock()
	q.remove(m)
	res.mu.Unlock()
	wait := c.s.Now().Sub(m.at)
	if result == "dequeued" {
		result = c.dequeued(ctx, m, q, wait)
	}
	c.emit(KindQueueEnd, "", a("Queue", q.name), a("QueueResult", result), a("QueueTime", wholeSeconds(wait)))
	c.visit(QueueVisit{Queue: q.name, At: c.s.Elapsed() - c.s.Now().Sub(m.at), Result: result, Wait: wait})
	return c.queueAction(ctx, v, doc, q, result, wait, true)
}

// visit records a stay in a queue for the world's results.
func (c *call) visit(v QueueVisit) {
	if c.wc == nil {
		return
	}
	c.wc.w.mu.Lock()
	c.wc.visits = append(c.wc.visits, v)
	c.wc.w.mu.Unlock()
}

// patience starts the caller's patience (WorldCall.Patience): it hangs
// up if it is still waiting in the queue then.
func (c *call) patience(m *member) {
	if c.wc == nil {
		return
	}
	d := c.wc.w.draw(c.wc.spec.Patience)
	if d <= 0 {
		return
	}
	c.s.Go("patience", func() {
		if c.s.Sleep(&m.wait, d) == nil {
			c.emit(KindCallerHangup, "")
			c.callCtx.end(errCallerHangup)
		}
	})
}

// talk starts the talk time of the call (WorldCall.Talk) on a bridge
// whose side of the call is side: the caller hangs up then.
func (c *call) talk(side *legContext) {
	if c.wc == nil {
		return
	}
	d := c.wc.w.draw(c.wc.spec.Talk)
	if d <= 0 {
		return
	}
	c.s.Go("talk", func() {
		if c.s.Sleep(side, d) == nil {
			c.emit(KindCallerHangup, "")
			c.callCtx.end(errCallerHangup)
		}
	})
}

// queueAction ends an Enqueue: its action is requested with QueueResult
// (and QueueSid and QueueTime if the call was enqueued), or, without an
// action, the next verb runs. Once the caller has gone, the action is
// still requested, with CallStatus=completed, and its document never
// runs.
func (c *call) queueAction(ctx context.Context, v *twiml.Enqueue, doc *document, q *queue, result string, wait time.Duration, enqueued bool) (*document, bool) {
	if v.Action == "" {
		return nil, ctx.Err() == nil
	}
	extra := []param{{"QueueResult", result}}
	if enqueued {
		extra = append(extra, param{"QueueSid", q.sid}, param{"QueueTime", strconv.Itoa(wholeSeconds(wait))})
	}
	if ctx.Err() != nil {
		if c.life.Err() == nil {
			if result != "redirected" {
				extra = append(extra, param{"CallStatus", "completed"})
			}
			c.document(c.life, nil, v.Action, v.Method, doc.url, extra, false)
		}
		return nil, false
	}
	return c.document(ctx, nil, v.Action, v.Method, doc.url, extra, false), false
}

// maxIdleWaits is how many wait documents in a row may take no virtual
// time before the caller is left to wait in silence: a wait document
// that plays nothing would otherwise be requested without end.
const maxIdleWaits = 10

// queueWait plays the wait document to the member, again and again, until
// its wait ends. It returns why: dequeued, leave, hangup or error.
func (c *call) queueWait(m *member, q *queue, v *twiml.Enqueue, doc *document) string {
	wctx := &m.wait
	if v.WaitURL == "" {
		// Twilio's hold music, which is not requested from the app.
		if c.s.SleepUntil(wctx, m.at.Add(LongestWait)) == nil {
			return c.maxWait()
		}
		return c.waitEnded(m)
	}
	url, method, base := v.WaitURL, v.WaitURLMethod, doc.url
	idle := 0
	for {
		if c.s.Now().Sub(m.at) >= LongestWait {
			return c.maxWait()
		}
		before := c.s.Now()
		wd := c.waitDocument(wctx, m, q, url, method, base)
		if wctx.Err() != nil {
			return c.waitEnded(m)
		}
		if wd == nil {
			return "error"
		}
		next, outcome := c.runWait(wctx, wd)
		if outcome != "" {
			return outcome
		}
		if wctx.Err() != nil {
			return c.waitEnded(m)
		}
		if next != nil {
			url, method, base = next.URL, next.Method, wd.url
		} else {
			url, method, base = v.WaitURL, v.WaitURLMethod, doc.url
		}
		if !c.s.Now().After(before) {
			if idle++; idle >= maxIdleWaits {
				c.emit(KindNote, "", a("message", fmt.Sprintf("%d wait documents in a row took no time: the caller waits in silence", maxIdleWaits)))
				if c.s.SleepUntil(wctx, m.at.Add(LongestWait)) == nil {
					return c.maxWait()
				}
				return c.waitEnded(m)
			}
		} else {
			idle = 0
		}
	}
}

// maxWait ends a wait of Twilio's longest call, four hours.
func (c *call) maxWait() string {
	c.emit(KindNote, "", a("message", "four hours in the queue, Twilio's longest call: the call ends"))
	c.callCtx.end(errMaxWait)
	return "hangup"
}

// waitEnded tells why m's wait ended.
func (c *call) waitEnded(m *member) string {
	switch causeOf(&m.wait) {
	case errDequeued:
		return "dequeued"
	case errRedirected:
		return "redirected"
	}
	return "hangup"
}

// waitDocument requests the wait document, with the queue's parameters.
// Wait documents do not count towards Engine.MaxDocuments (their loop is
// bounded by the wait), and one that fails ends the wait (QueueResult
// error) without the fallback URL.
func (c *call) waitDocument(ctx context.Context, m *member, q *queue, url, method, base string) *document {
	res := c.res()
	now := c.s.Now()
	res.mu.Lock()
	extra := []param{
		// Twilio sends CallStatus=ringing to a waitUrl (TwiML changelog).
		{"CallStatus", "ringing"},
		{"QueuePosition", strconv.Itoa(q.position(m))},
		{"QueueSid", q.sid},
		{"QueueTime", strconv.Itoa(wholeSeconds(now.Sub(m.at)))},
		{"AvgQueueTime", strconv.Itoa(wholeSeconds(q.avgWait(now)))},
		{"CurrentQueueSize", strconv.Itoa(len(q.members))},
		{"MaxQueueSize", strconv.Itoa(q.max)},
	}
	res.mu.Unlock()
	return c.loopDocument(ctx, url, method, base, extra)
}

// loopDocument requests a document that loops (a queue's or a
// conference's wait): it does not count towards Engine.MaxDocuments, and
// its failure ends the wait, not the call: it does not call for the
// fallback URL.
func (c *call) loopDocument(ctx context.Context, url, method, base string, extra []param) *document {
	c.mu.Lock()
	docs := c.budget.docs
	c.mu.Unlock()
	failure, failed := c.failure, c.failed
	d := c.document(ctx, nil, url, method, base, extra, false)
	c.failure, c.failed = failure, failed
	c.mu.Lock()
	c.budget.docs = docs
	c.mu.Unlock()
	return d
}

// runWait runs one wait document. It returns the Redirect to follow, if
// any, or an outcome that ends the wait: leave, hangup.
func (c *call) runWait(ctx context.Context, doc *document) (*twiml.Redirect, string) {
	r := &runner{c: c, press: c.callerPress}
	for doc != nil {
		cur := doc
		doc = nil
		for _, v := range cur.resp.Verbs {
			if ctx.Err() != nil {
				return nil, ""
			}
			switch v := v.(type) {
			case *twiml.Say, *twiml.Play, *twiml.Pause:
				if r.prompt(ctx, v) != nil {
					return nil, ""
				}
			case *twiml.Gather:
				next, done := r.gather(ctx, v, cur)
				if done {
					if next == nil {
						return nil, ""
					}
					doc = next // the action's document goes on with the wait
				}
			case *twiml.Redirect:
				c.emit(KindRedirect, "", a("URL", v.URL), a("Method", v.Method))
				return v, ""
			case *twiml.Leave:
				c.emit(KindLeave, "")
				return nil, "leave"
			case *twiml.Hangup:
				c.emit(KindHangup, "")
				c.callCtx.end(errHangupIn)
				return nil, "hangup"
			default:
				c.diagnostic("", 0, "warning", fmt.Sprintf("%s:%d: <%s> cannot run in a wait document (Say, Play, Pause, Gather, Redirect, Leave and Hangup can); it is skipped", c.shortURL(cur.url), v.SourceLine(), v.Element()))
			}
			if doc != nil {
				break
			}
		}
	}
	return nil, ""
}

// dequeued runs the member's side of a queue's bridge: the Queue noun's
// url, then the bridge until one side ends it. It returns the
// QueueResult: bridged, or hangup if the caller hung up first, or error
// if the dequeuing call ended before the bridge.
func (c *call) dequeued(ctx context.Context, m *member, q *queue, wait time.Duration) string {
	b := m.bridge
	d := b.d
	c.emit(KindDequeued, "", a("Queue", q.name), a("DequeingCallSid", d.c.sid), a("QueueTime", wholeSeconds(wait)))
	side := &b.callerSide
	if d.noun.URL != "" {
		extra := []param{{"QueueSid", q.sid}, {"QueueTime", strconv.Itoa(wholeSeconds(wait))}, {"DequeingCallSid", d.c.sid}}
		doc := c.document(side, nil, d.noun.URL, d.noun.Method, d.base, extra, false)
		for doc != nil && side.Err() == nil {
			doc = c.queueURL(side, doc)
		}
	}
	if side.Err() != nil {
		if ctx.Err() != nil {
			b.agentSide.end(errPeerGone)
			return "hangup"
		}
		return "error"
	}
	b.ready.Send(true)
	c.emit(KindQueueBridged, "", a("CallSid", d.c.sid))
	c.talk(side)
	if c.s.Sleep(side, LongestWait) == nil || ctx.Err() != nil {
		b.agentSide.end(errPeerGone)
	}
	return "bridged"
}

// queueURL runs the Queue noun's url document on the dequeued call: Say,
// Play, Pause and Redirect, as Twilio allows. It returns the Redirect's
// document, or nil.
func (c *call) queueURL(ctx context.Context, doc *document) *document {
	r := &runner{c: c, press: c.callerPress}
	for _, v := range doc.resp.Verbs {
		if ctx.Err() != nil {
			return nil
		}
		switch v := v.(type) {
		case *twiml.Say, *twiml.Play, *twiml.Pause:
			if r.prompt(ctx, v) != nil {
				return nil
			}
		case *twiml.Redirect:
			c.emit(KindRedirect, "", a("URL", v.URL), a("Method", v.Method))
			return c.document(ctx, nil, v.URL, v.Method, doc.url, nil, false)
		default:
			c.diagnostic("", 0, "warning", fmt.Sprintf("%s:%d: <%s> cannot run in a <Queue> url document (Say, Play, Pause and Redirect can); it is skipped", c.shortURL(doc.url), v.SourceLine(), v.Element()))
		}
	}
	return nil
}

// dialQueue runs a <Dial><Queue>: it takes the first call waiting in the
// queue, or waits for one until the Dial's timeout, and bridges it. If
// the call it took hangs up before the bridge, it takes the next.
func (c *call) dialQueue(ctx context.Context, d *twiml.Dial, qn *twiml.Queue, doc *document) (*document, bool) {
	c.emit(KindDialStart, "", a("Nouns", 1), a("Timeout", d.Timeout), a("Policy", c.e.Policy.String()),
		a("Sequential", d.Sequential), a("AnswerOnBridge", d.AnswerOnBridge))
	start := c.now()
	deadline := c.s.Now().Add(twimlSeconds(d.Timeout))
	res := c.res()
	res.mu.Lock()
	q := res.queue(c, qn.Name)
	res.mu.Unlock()
	dq := &dequeuer{c: c, ctx: ctx, noun: qn, base: doc.url}
	dq.offer.Init(c.s, "dial queue "+qn.Name)
	result := DialResult{At: start, Status: "no-answer", To: qn.Address()}
	waited := false
	for {
		res.mu.Lock()
		q.waiters = append(q.waiters, dq)
		empty := len(q.members) == 0
		res.match(q)
		res.mu.Unlock()
		if empty && !waited {
			waited = true
			c.emit(KindQueueWait, "", a("Queue", q.name), a("QueueSid", q.sid), a("Timeout", d.Timeout))
		}
		b, err := dq.offer.Recv(ctx, deadline)
		res.mu.Lock()
		if err != nil {
			if i := slices.Index(q.waiters, dq); i >= 0 {
				q.waiters = slices.Delete(q.waiters, i, i+1)
			}
			b = dq.taken // offered at the instant the wait ended
		}
		dq.taken = nil
		res.mu.Unlock()
		if b == nil {
			var de *fake.DeadlockError
			switch {
			case errors.As(err, &de):
				c.diagnostic("", 0, "error", "simulation deadlock: "+de.Error())
				result.Status = "failed"
			case ctx.Err() != nil:
				result.Status = "canceled"
			}
			break
		}
		if c.bridgeQueue(ctx, d, q, b, &result, start) {
			break
		}
		if ctx.Err() != nil {
			result.Status = "canceled"
			break
		}
		if !c.s.Now().Before(deadline) {
			break // the taken call hung up as the timeout came
		}
	}
	c.emit(KindDialEnd, "", c.queueDialAttrs(&result)...)
	c.mu.Lock()
	c.dials = append(c.dials, result)
	c.mu.Unlock()
	if d.Action == "" {
		return nil, ctx.Err() == nil
	}
	extra := []param{{"DialCallStatus", result.Status}, {"DialCallSid", result.SID},
		{"DialBridged", strconv.FormatBool(result.Bridged)}, {"QueueSid", q.sid}}
	if result.Bridged {
		extra = append(extra, param{"DialCallDuration", strconv.Itoa(wholeSeconds(result.Duration))})
	}
	if ctx.Err() != nil {
		if c.life.Err() == nil {
			extra = append(extra, param{"CallStatus", c.leftStatus(ctx)})
			c.document(c.life, nil, d.Action, d.Method, doc.url, extra, false)
		}
		return nil, false
	}
	return c.document(ctx, nil, d.Action, d.Method, doc.url, extra, false), false
}

func (c *call) queueDialAttrs(r *DialResult) []Attr {
	attrs := []Attr{a("DialCallStatus", r.Status), a("DialCallSid", r.SID)}
	if r.Bridged {
		attrs = append(attrs, a("DialCallDuration", wholeSeconds(r.Duration)))
	}
	return append(attrs, a("DialBridged", r.Bridged), a("to", r.To))
}

// bridgeQueue runs the Dial's side of a queue's bridge with the member
// it took. It reports whether the bridge happened (result then holds it);
// false means the member hung up before it.
func (c *call) bridgeQueue(ctx context.Context, d *twiml.Dial, q *queue, b *queueBridge, result *DialResult, start time.Duration) bool {
	m := b.m
	c.emit(KindDequeue, "", a("Queue", q.name), a("CallSid", m.c.sid), a("QueueTime", wholeSeconds(c.s.Now().Sub(m.at))))
	side := &b.agentSide
	if _, err := b.ready.Recv(side, time.Time{}); err != nil {
		if ctx.Err() != nil {
			b.callerSide.end(errPeerGone)
		}
		return false
	}
	if !c.answered {
		c.answer() // answerOnBridge
	}
	at := c.now()
	c.emit(KindQueueBridged, "", a("CallSid", m.c.sid))
	c.talk(side)
	if c.s.Sleep(side, twimlSeconds(d.TimeLimit)) == nil || ctx.Err() != nil {
		b.callerSide.end(errPeerGone)
	}
	*result = DialResult{At: start, Status: "completed", SID: m.c.sid, To: result.To, Bridged: true,
		Duration: c.now() - at, Connect: at - start, Answered: 1}
	return true
}
