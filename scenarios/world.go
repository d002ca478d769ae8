package scenarios

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/twiml"
)

// WorldSpec is the world of a scenario with several calls on one clock
// (README, “Worlds”): named call directives, the callers' scripts,
// random arrivals and agents. A scenario is a world when it has any of
// them; its single-call fields (Call, Caller) are then unused.
type WorldSpec struct {
	// Calls are the named call directives, in file order, with their
	// callers' scripts.
	Calls []WorldCallSpec
	// Arrivals are the arrivals directives, in file order.
	Arrivals []ArrivalsSpec
	// Agents are the agent directives, in file order.
	Agents []AgentSpec
	// Ops are the at directives: requests to the Calls resource at a
	// virtual instant, in file order.
	Ops []OpSpec
	// Line is the line of the first world directive.
	Line int

	names map[string]bool // every call's name
}

// OpSpec is an at directive: at At, create a call (Create), or redirect,
// hang up (Status) or dequeue (from Queue) the call named Call.
type OpSpec struct {
	At time.Duration
	// Op is create, redirect, hangup, dequeue, endconference, mute,
	// unmute, hold or unhold.
	Op string
	// Call names the call redirected, hung up or dequeued ("" for the
	// front of Queue).
	Call string
	// Create holds the created call's parameters, its Name included.
	Create engine.CallParams
	// URL and Method are a redirect's or a dequeue's TwiML.
	URL, Method string
	// Status is a hangup's: canceled or completed (the default).
	Status string
	// Queue is a dequeue's queue, or an endconference's room.
	Queue string
	Line  int
}

// WorldCallSpec is a named call directive and its caller directive.
type WorldCallSpec struct {
	// Name is the call's name in the transcript.
	Name string
	// At is when the call arrives, from the start of the world.
	At time.Duration
	// Call is the call itself; its Line is the directive's.
	Call CallSpec
	// Caller is the caller's script (caller NAME ...); its Line is 0 if
	// there is none.
	Caller CallerSpec
	// Patience is how long the caller waits in a queue before hanging
	// up; zero means forever.
	Patience fake.Dist
	// Talk is how long after a queue bridge the caller hangs up; zero
	// means the other side ends the bridge.
	Talk fake.Dist
}

// ArrivalsSpec is an arrivals directive: N callers whose arrivals are
// Every apart (the first Every after Start), named Name1, Name2, ....
type ArrivalsSpec struct {
	Name     string
	N        int
	Every    fake.Dist
	Start    time.Duration
	Call     CallSpec
	Presses  []fake.Press
	Patience fake.Dist
	Talk     fake.Dist
	Line     int
}

// AgentSpec is an agent directive: N agents (named Name, or Name1 to
// NameN when N > 1) whose call starts At and starts again Wrap after
// each end, while a caller's call has not ended.
type AgentSpec struct {
	Name  string
	N     int
	At    time.Duration
	Call  CallSpec
	Talk  fake.Dist
	Wrap  fake.Dist
	Line  int
	names []string
}

// isWorldCall reports whether a call directive's words make it a world's
// call: it has a name= or an at=.
func isWorldCall(words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(w, "name=") || strings.HasPrefix(w, "at=") {
			return true
		}
	}
	return false
}

// isWorldCaller reports whether a caller directive names its call.
func isWorldCaller(words []string) bool {
	return len(words) > 0 && !strings.Contains(words[0], "=")
}

// world returns the scenario's world, making it.
func (p *parser) world() *WorldSpec {
	if p.s.World == nil {
		p.s.World = &WorldSpec{Line: p.line}
	}
	return p.s.World
}

// callArg reads one of the call's own arguments (from, to, url, method,
// fallback) into c; it reports false for another key.
func callArg(directive string, a arg, c *CallSpec) (bool, error) {
	switch a.key {
	case "from", "to":
		if err := twiml.ValidAddress(a.val); err != nil {
			return true, fmt.Errorf("%s %s: %v: %w", directive, a.key, err, ErrAddr)
		}
		if a.key == "from" {
			c.From = a.val
		} else {
			c.To = a.val
		}
	case "url", "fallback":
		if !isURLOrPath(a.val) {
			return true, fmt.Errorf("%s %s: want a path starting with / or an http(s) URL: %w", directive, a.word, ErrSyntax)
		}
		if a.key == "url" {
			c.URL = a.val
		} else {
			c.Fallback = a.val
		}
	case "method":
		c.Method = strings.ToUpper(a.val)
		if c.Method != "POST" && c.Method != "GET" {
			return true, fmt.Errorf("%s %s: want POST or GET: %w", directive, a.word, ErrSyntax)
		}
	default:
		return false, nil
	}
	return true, nil
}

// worldArgs reads a world directive's KEY=VALUE arguments: the call's own
// (from, to, url, method, fallback), then the others with other.
func worldArgs(directive string, words []string, c *CallSpec, other func(a arg) error) error {
	given := map[string]bool{}
	for _, a := range parseArgs(words) {
		if !a.hasVal {
			return fmt.Errorf("%s: %q is not KEY=VALUE: %w", directive, a.word, ErrSyntax)
		}
		if given[a.key] && a.key != "press" {
			return fmt.Errorf("%s %s: %w", directive, a.key, ErrDuplicate)
		}
		given[a.key] = true
		ok, err := callArg(directive, a, c)
		if err != nil {
			return err
		}
		if !ok {
			if err := other(a); err != nil {
				return err
			}
		}
	}
	for _, k := range []string{"from", "to", "url"} {
		if !given[k] {
			return fmt.Errorf("%s: missing %s=: %w", directive, k, ErrSyntax)
		}
	}
	return nil
}

// validName reports whether s can name a call: letters, digits, -, _.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// name claims a call's name.
func (p *parser) name(directive, n string) error {
	if !validName(n) {
		return fmt.Errorf("%s name=%s: want letters, digits, - and _: %w", directive, n, ErrSyntax)
	}
	key := "name " + n
	if p.seen[key] {
		return fmt.Errorf("%s name=%s: %w", directive, n, ErrDuplicate)
	}
	p.seen[key] = true
	w := p.world()
	if w.names == nil {
		w.names = map[string]bool{}
	}
	w.names[n] = true
	return nil
}

func worldDuration(directive string, a arg) (time.Duration, error) {
	d, err := parseDuration(a)
	if err != nil {
		if tooLong(a.val) {
			return 0, fmt.Errorf("%s %s: more than the longest call, %v (engine.LongestCall): %w", directive, a.word, engine.LongestCall, ErrDuration)
		}
		return 0, fmt.Errorf("%s %w", directive, err)
	}
	if d < 0 {
		return 0, fmt.Errorf("%s %s: negative: %w", directive, a.word, ErrDuration)
	}
	if d > engine.LongestCall {
		return 0, fmt.Errorf("%s %s: more than the longest call, %v (engine.LongestCall): %w", directive, a.word, engine.LongestCall, ErrDuration)
	}
	return d, nil
}

// tooLong reports whether v, which time.ParseDuration refused, is a
// duration of the right form too long for a time.Duration, such as
// 99999999h: digits (with at most one point) followed by a unit.
func tooLong(v string) bool {
	num := strings.TrimRight(v, "hmsuµn")
	unit := v[len(num):]
	switch unit {
	case "h", "m", "s", "ms", "us", "µs", "ns":
	default:
		return false
	}
	return strings.Trim(num, "0123456789") == "" && num != "" ||
		strings.Count(num, ".") == 1 && strings.Trim(num, "0123456789.") == "" && num != "."
}

func worldDist(directive string, a arg) (fake.Dist, error) {
	d, err := parseDist(a.val)
	if err != nil {
		return fake.Dist{}, fmt.Errorf("%s %s=%w", directive, a.key, err)
	}
	return d, nil
}

// worldCall reads call name=NAME from=... to=... url=... [at=DUR].
func (p *parser) worldCall(words []string) error {
	w := p.world()
	c := WorldCallSpec{Call: CallSpec{Method: "POST", Line: p.line}}
	err := worldArgs("call", words, &c.Call, func(a arg) error {
		switch a.key {
		case "name":
			c.Name = a.val
			return p.name("call", a.val)
		case "at":
			d, err := worldDuration("call", a)
			c.At = d
			return err
		}
		return fmt.Errorf("call: unknown argument %q: %w%s", a.key, ErrSyntax, didYouMean(a.key, worldCallArgs))
	})
	if err != nil {
		return err
	}
	if c.Name == "" {
		return fmt.Errorf("call at=: a world's call needs name=: %w", ErrSyntax)
	}
	w.Calls = append(w.Calls, c)
	return nil
}

// worldCaller reads caller NAME press=... hangup=... patience=... talk=....
func (p *parser) worldCaller(words []string) error {
	name := words[0]
	w := p.world()
	i := -1
	for j := range w.Calls {
		if w.Calls[j].Name == name {
			i = j
		}
	}
	if i < 0 {
		return fmt.Errorf("caller %s: no call name=%s above: %w", name, name, ErrSyntax)
	}
	c := &w.Calls[i]
	if c.Caller.Line != 0 {
		return fmt.Errorf("caller %s: %w", name, ErrDuplicate)
	}
	c.Caller.Line = p.line
	given := map[string]bool{}
	for _, a := range parseArgs(words[1:]) {
		if a.key != "press" && given[a.key] {
			return fmt.Errorf("caller %s %s: %w", name, a.key, ErrDuplicate)
		}
		given[a.key] = true
		var err error
		switch a.key {
		case "press":
			var pr fake.Press
			if pr, err = parsePress(a); err == nil {
				c.Caller.Presses = append(c.Caller.Presses, pr)
			}
		case "hangup":
			c.Caller.Hangup, err = worldDuration("caller "+name, a)
		case "patience":
			c.Patience, err = worldDist("caller "+name, a)
		case "talk":
			c.Talk, err = worldDist("caller "+name, a)
		default:
			err = fmt.Errorf("%s: %w%s", a.word, ErrBehaviour, didYouMean(a.key, worldCallerBehaviours))
		}
		if err != nil {
			return fmt.Errorf("caller %s %w", name, err)
		}
	}
	return nil
}

// arrivals reads arrivals n=N every=DIST from=... to=... url=... and the
// callers' name=, start=, patience=, talk= and press=.
func (p *parser) arrivals(words []string) error {
	w := p.world()
	s := ArrivalsSpec{Name: "caller", Call: CallSpec{Method: "POST", Line: p.line}, Line: p.line}
	hasN, hasEvery := false, false
	err := worldArgs("arrivals", words, &s.Call, func(a arg) error {
		var err error
		switch a.key {
		case "name":
			if !validName(a.val) {
				return fmt.Errorf("arrivals name=%s: want letters, digits, - and _: %w", a.val, ErrSyntax)
			}
			s.Name = a.val
		case "n":
			hasN = true
			s.N, err = strconv.Atoi(a.val)
			if err != nil || s.N < 1 || s.N > 1_000_000 {
				return fmt.Errorf("arrivals %s: want a number from 1 to 1000000: %w", a.word, ErrSyntax)
			}
		case "every":
			hasEvery = true
			s.Every, err = worldDist("arrivals", a)
		case "start":
			s.Start, err = worldDuration("arrivals", a)
		case "patience":
			s.Patience, err = worldDist("arrivals", a)
		case "talk":
			s.Talk, err = worldDist("arrivals", a)
		case "press":
			var pr fake.Press
			if pr, err = parsePress(a); err == nil {
				s.Presses = append(s.Presses, pr)
			} else {
				err = fmt.Errorf("arrivals %w", err)
			}
		default:
			return fmt.Errorf("arrivals: unknown argument %q: %w%s", a.key, ErrSyntax, didYouMean(a.key, arrivalsArgs))
		}
		return err
	})
	if err != nil {
		return err
	}
	if !hasN || !hasEvery {
		return fmt.Errorf("arrivals: needs n= and every=: %w", ErrSyntax)
	}
	for i := 1; i <= s.N; i++ {
		if err := p.name("arrivals", s.Name+strconv.Itoa(i)); err != nil {
			return err
		}
	}
	w.Arrivals = append(w.Arrivals, s)
	return nil
}

// agent reads agent name=NAME from=... to=... url=... [n=N] [at=DUR]
// [talk=DIST] [wrap=DIST].
func (p *parser) agent(words []string) error {
	w := p.world()
	s := AgentSpec{N: 1, Call: CallSpec{Method: "POST", Line: p.line}, Line: p.line}
	err := worldArgs("agent", words, &s.Call, func(a arg) error {
		var err error
		switch a.key {
		case "name":
			if !validName(a.val) {
				return fmt.Errorf("agent name=%s: want letters, digits, - and _: %w", a.val, ErrSyntax)
			}
			s.Name = a.val
		case "n":
			s.N, err = strconv.Atoi(a.val)
			if err != nil || s.N < 1 || s.N > 10_000 {
				return fmt.Errorf("agent %s: want a number from 1 to 10000: %w", a.word, ErrSyntax)
			}
		case "at":
			s.At, err = worldDuration("agent", a)
		case "talk":
			s.Talk, err = worldDist("agent", a)
		case "wrap":
			s.Wrap, err = worldDist("agent", a)
		default:
			return fmt.Errorf("agent: unknown argument %q: %w%s", a.key, ErrSyntax, didYouMean(a.key, agentArgs))
		}
		return err
	})
	if err != nil {
		return err
	}
	if s.Name == "" {
		return fmt.Errorf("agent: missing name=: %w", ErrSyntax)
	}
	for i := 1; i <= s.N; i++ {
		n := s.Name
		if s.N > 1 {
			n += strconv.Itoa(i)
		}
		if err := p.name("agent", n); err != nil {
			return err
		}
		s.names = append(s.names, n)
	}
	w.Agents = append(w.Agents, s)
	return nil
}

// callerDist reads a caller's patience= or talk=.
func callerDist(c *CallerSpec, a arg) error {
	d, err := worldDist("caller", a)
	if err != nil {
		return err
	}
	if a.key == "patience" {
		c.Patience = d
	} else {
		c.Talk = d
	}
	return nil
}

// unnamed is the name of a world's call given without name=.
const unnamed = "call"

// checkWorld checks a parsed world: the documents its calls request, and
// a name for its call without one.
func (s *Scenario) checkWorld() error {
	w := s.World
	if s.Call.Line != 0 && w.names[unnamed] {
		return &Error{File: s.Name, Line: s.Call.Line, Err: fmt.Errorf("call without name= in a world is named %s, which another call has: %w", unnamed, ErrDuplicate)}
	}
	creates := 0
	for _, op := range w.Ops {
		if op.Op == "create" {
			creates++
		} else if op.Call != "" && !w.names[op.Call] {
			return &Error{File: s.Name, Line: op.Line, Err: fmt.Errorf("at %s %s: no call named %s: %w", op.At, op.Op, op.Call, ErrSyntax)}
		}
	}
	if len(w.Calls) == 0 && len(w.Arrivals) == 0 && creates == 0 && s.Call.Line == 0 {
		return &Error{File: s.Name, Line: w.Line, Err: fmt.Errorf("a world without callers (call name=... or arrivals): %w", ErrMissingCall)}
	}
	calls := []CallSpec{s.Call}
	if s.Call.Line == 0 {
		calls = nil
	}
	for _, c := range w.Calls {
		calls = append(calls, c.Call)
	}
	for _, a := range w.Arrivals {
		calls = append(calls, a.Call)
	}
	for _, a := range w.Agents {
		calls = append(calls, a.Call)
	}
	for _, op := range w.Ops {
		if op.Op == "create" {
			calls = append(calls, CallSpec{URL: op.Create.URL, Line: op.Line})
		}
		if op.URL != "" {
			calls = append(calls, CallSpec{URL: op.URL, Line: op.Line})
		}
	}
	for _, c := range calls {
		if err := s.checkDocs(c); err != nil {
			return err
		}
	}
	return nil
}

// checkDocs checks that the documents a call requests are in the archive.
func (s *Scenario) checkDocs(c CallSpec) error {
	if s.App != "" {
		return nil
	}
	for _, u := range []struct{ key, val string }{{"url", c.URL}, {"fallback", c.Fallback}} {
		if !strings.HasPrefix(u.val, "/") {
			continue
		}
		path, _, _ := strings.Cut(u.val, "?")
		if _, ok := s.Docs[path]; !ok {
			return &Error{File: s.Name, Line: c.Line, Err: fmt.Errorf("%s=%s: %w", u.key, u.val, ErrMissingDoc)}
		}
	}
	return nil
}

func inbound(c CallSpec, caller CallerSpec) engine.Inbound {
	return engine.Inbound{From: c.From, To: c.To, URL: c.URL, Method: c.Method, Fallback: c.Fallback,
		Caller: engine.Caller{Presses: caller.Presses, Hangup: caller.Hangup}}
}

// worldCalls returns the world's calls for one run: the arrivals' times
// are drawn from rng, in file order, caller by caller. The caller
// directive without a name is the script of every caller without one of
// its own: the call without name=, named calls without a caller NAME, and
// arrivals, for what their directive does not set.
func (s *Scenario) worldCalls(rng *rand.Rand) []engine.WorldCall {
	w := s.World
	def := s.Caller
	var calls []engine.WorldCall
	if s.Call.Line != 0 {
		calls = append(calls, engine.WorldCall{Name: unnamed, Inbound: inbound(s.Call, def), Patience: def.Patience, Talk: def.Talk})
	}
	for _, c := range w.Calls {
		caller := c.Caller
		if caller.Line == 0 {
			caller = def
		}
		calls = append(calls, engine.WorldCall{Name: c.Name, At: c.At, Inbound: inbound(c.Call, caller), Patience: cmp.Or(c.Patience, caller.Patience), Talk: cmp.Or(c.Talk, caller.Talk)})
	}
	for _, a := range w.Arrivals {
		at := a.Start
		caller := CallerSpec{Presses: a.Presses, Hangup: def.Hangup}
		if len(caller.Presses) == 0 {
			caller.Presses = def.Presses
		}
		for i := 1; i <= a.N; i++ {
			at += a.Every.Draw(rng)
			calls = append(calls, engine.WorldCall{Name: a.Name + strconv.Itoa(i), At: at,
				Inbound: inbound(a.Call, caller), Patience: cmp.Or(a.Patience, def.Patience), Talk: cmp.Or(a.Talk, def.Talk)})
		}
	}
	for _, a := range w.Agents {
		for _, n := range a.names {
			calls = append(calls, engine.WorldCall{Name: n, At: a.At, Inbound: inbound(a.Call, CallerSpec{}),
				Talk: a.Talk, Wrap: a.Wrap, Agent: true})
		}
	}
	return calls
}

// runWorld plays run number run of a world scenario on e.
func (p *Prepared) runWorld(ctx context.Context, e *engine.Engine, rng *rand.Rand) (*engine.WorldResult, error) {
	w := engine.NewWorld(e, rng)
	w.Name = filepath.Base(p.s.Name) // no two scenarios share a CallSid
	for _, c := range p.s.worldCalls(rng) {
		if err := w.Add(c); err != nil {
			return nil, &Error{File: p.s.Name, Line: p.s.World.Line, Err: err}
		}
	}
	for _, op := range p.s.World.Ops {
		if err := addOp(w, op); err != nil {
			return nil, &Error{File: p.s.Name, Line: op.Line, Err: err}
		}
	}
	res, err := w.Run(ctx)
	if err != nil {
		return res, &Error{File: p.s.Name, Line: p.s.World.Line, Err: fmt.Errorf("running the world: %w", err)}
	}
	return res, nil
}

// addOp schedules an at directive's request on w.
func addOp(w *engine.World, op OpSpec) error {
	switch op.Op {
	case "create":
		_, err := w.CreateCall(op.At, op.Create)
		return err
	case "redirect":
		return w.UpdateCall(op.At, w.SID(op.Call), engine.CallUpdate{URL: op.URL, Method: op.Method})
	case "hangup":
		return w.UpdateCall(op.At, w.SID(op.Call), engine.CallUpdate{Status: op.Status})
	case "endconference":
		return w.EndConference(op.At, op.Queue)
	case "mute", "unmute", "hold", "unhold":
		on := op.Op == "mute" || op.Op == "hold"
		u := engine.ParticipantUpdate{Muted: &on}
		if strings.HasSuffix(op.Op, "hold") {
			u = engine.ParticipantUpdate{Hold: &on}
		}
		return w.UpdateParticipant(op.At, w.SID(op.Call), u)
	}
	sid := "Front"
	if op.Call != "" {
		sid = w.SID(op.Call)
	}
	return w.DequeueMember(op.At, op.Queue, sid, op.URL, op.Method)
}

// at reads at DUR create|redirect|hangup|dequeue ....
func (p *parser) at(words []string) error {
	if len(words) < 2 {
		return fmt.Errorf("at: want at DUR create|redirect|hangup|dequeue ...: %w", ErrSyntax)
	}
	d, err := worldDuration("at", arg{word: words[0], key: "at", val: words[0], hasVal: true})
	if err != nil {
		return err
	}
	op := OpSpec{At: d, Op: words[1], Line: p.line}
	rest := words[2:]
	directive := "at " + words[0] + " " + op.Op
	switch op.Op {
	case "create":
		err = p.create(directive, rest, &op)
	case "redirect", "hangup":
		if len(rest) == 0 || strings.Contains(rest[0], "=") {
			return fmt.Errorf("%s: want the call's name: %w", directive, ErrSyntax)
		}
		op.Call = rest[0]
		err = opArgs(directive, rest[1:], &op)
		if err == nil && op.Op == "redirect" && op.URL == "" {
			err = fmt.Errorf("%s: missing url=: %w", directive, ErrSyntax)
		}
		if err == nil && op.Op == "hangup" && op.URL != "" {
			err = fmt.Errorf("%s: url= is a redirect's: %w", directive, ErrSyntax)
		}
	case "dequeue":
		if len(rest) == 0 || strings.Contains(rest[0], "=") {
			return fmt.Errorf("%s: want the queue's name: %w", directive, ErrSyntax)
		}
		op.Queue = rest[0]
		err = opArgs(directive, rest[1:], &op)
		if err == nil && op.URL == "" {
			err = fmt.Errorf("%s: missing url=: %w", directive, ErrSyntax)
		}
	case "endconference":
		if len(rest) != 1 || strings.Contains(rest[0], "=") {
			return fmt.Errorf("%s: want the room's name alone: %w", directive, ErrSyntax)
		}
		op.Queue = rest[0]
	case "mute", "unmute", "hold", "unhold":
		if len(rest) != 1 || strings.Contains(rest[0], "=") {
			return fmt.Errorf("%s: want the call's name alone: %w", directive, ErrSyntax)
		}
		op.Call = rest[0]
	default:
		return fmt.Errorf("at %s %s: want create, redirect, hangup, dequeue, endconference, mute, unmute, hold or unhold: %w", words[0], op.Op, ErrSyntax)
	}
	if err != nil {
		return err
	}
	w := p.world()
	w.Ops = append(w.Ops, op)
	return nil
}

// opArgs reads a redirect's, hangup's or dequeue's url=, method=,
// status= and call=.
func opArgs(directive string, words []string, op *OpSpec) error {
	given := map[string]bool{}
	for _, a := range parseArgs(words) {
		if !a.hasVal {
			return fmt.Errorf("%s: %q is not KEY=VALUE: %w", directive, a.word, ErrSyntax)
		}
		if given[a.key] {
			return fmt.Errorf("%s %s: %w", directive, a.key, ErrDuplicate)
		}
		given[a.key] = true
		switch {
		case a.key == "url" && op.Op != "hangup":
			if !isURLOrPath(a.val) {
				return fmt.Errorf("%s %s: want a path starting with / or an http(s) URL: %w", directive, a.word, ErrSyntax)
			}
			op.URL = a.val
		case a.key == "method" && op.Op != "hangup":
			op.Method = strings.ToUpper(a.val)
			if op.Method != "POST" && op.Method != "GET" {
				return fmt.Errorf("%s %s: want POST or GET: %w", directive, a.word, ErrSyntax)
			}
		case a.key == "status" && op.Op == "hangup":
			if a.val != "canceled" && a.val != "completed" {
				return fmt.Errorf("%s %s: want canceled or completed: %w", directive, a.word, ErrSyntax)
			}
			op.Status = a.val
		case a.key == "call" && op.Op == "dequeue":
			op.Call = a.val
		default:
			return fmt.Errorf("%s: unknown argument %q: %w", directive, a.key, ErrSyntax)
		}
	}
	if op.Op == "hangup" && op.Status == "" {
		op.Status = "completed"
	}
	return nil
}

// create reads at DUR create [name=NAME] from=... to=... url=... and the
// Calls resource's parameters.
func (p *parser) create(directive string, words []string, op *OpSpec) error {
	cp := &op.Create
	var c CallSpec
	err := worldArgs(directive, words, &c, func(a arg) error {
		switch a.key {
		case "name":
			cp.Name = a.val
			return p.name(directive, a.val)
		case "timeout":
			n, err := strconv.Atoi(a.val)
			if err != nil || n < 1 || n > 600 {
				return fmt.Errorf("%s %s: want seconds from 1 to 600: %w", directive, a.word, ErrSyntax)
			}
			cp.Timeout = n
		case "senddigits":
			if strings.Trim(a.val, "0123456789*#wW") != "" {
				return fmt.Errorf("%s %s: want keys from 0-9, *, #, w and W: %w", directive, a.word, ErrKeys)
			}
			cp.SendDigits = a.val
		case "statuscallback":
			if !isURLOrPath(a.val) {
				return fmt.Errorf("%s %s: want a path starting with / or an http(s) URL: %w", directive, a.word, ErrSyntax)
			}
			cp.StatusCallback = a.val
		case "statuscallbackmethod":
			cp.StatusCallbackMethod = strings.ToUpper(a.val)
			if cp.StatusCallbackMethod != "POST" && cp.StatusCallbackMethod != "GET" {
				return fmt.Errorf("%s %s: want POST or GET: %w", directive, a.word, ErrSyntax)
			}
		case "statuscallbackevent":
			for _, e := range strings.Split(a.val, ",") {
				switch e {
				case "initiated", "ringing", "answered", "completed":
					cp.StatusCallbackEvent = append(cp.StatusCallbackEvent, e)
				default:
					return fmt.Errorf("%s %s: want initiated, ringing, answered, completed: %w", directive, a.word, ErrSyntax)
				}
			}
		case "machinedetection":
			if a.val != "Enable" && a.val != "DetectMessageEnd" {
				return fmt.Errorf("%s %s: want Enable or DetectMessageEnd: %w", directive, a.word, ErrSyntax)
			}
			cp.MachineDetection = a.val
		default:
			return fmt.Errorf("%s: unknown argument %q: %w", directive, a.key, ErrSyntax)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if c.Fallback != "" {
		return fmt.Errorf("%s: fallback= is not a Calls resource parameter here: %w", directive, ErrSyntax)
	}
	cp.From, cp.To, cp.URL, cp.Method = c.From, c.To, c.URL, c.Method
	if cp.Name == "" {
		n := 1
		for p.seen["name api"+strconv.Itoa(n)] {
			n++
		}
		cp.Name = "api" + strconv.Itoa(n)
		if err := p.name(directive, cp.Name); err != nil {
			return err
		}
	}
	return nil
}

// worldResult is a world's result as Run returns it: its Events are the
// world's transcript, its SID and Status the first call's, its Duration
// the world's.
func worldResult(wr *engine.WorldResult) *engine.Result {
	if wr == nil {
		return nil
	}
	r := &engine.Result{Events: wr.Events, Duration: wr.Duration}
	if len(wr.Calls) > 0 {
		r.SID, r.Status = wr.Calls[0].SID, wr.Calls[0].Status
	}
	return r
}

// RunWorld plays a world scenario (one with a World) and returns every
// call's result; opts are Run's. A single-call scenario is played as a
// world of one call named "call".
func RunWorld(ctx context.Context, s *Scenario, opts RunOptions) (*engine.WorldResult, error) {
	p, err := Prepare(s, opts)
	if err != nil {
		return nil, err
	}
	return p.RunWorld(ctx, opts.Run)
}

// RunWorld plays run number run of the prepared scenario as RunWorld
// does.
func (p *Prepared) RunWorld(ctx context.Context, run uint64) (*engine.WorldResult, error) {
	e, rng, err := p.runEngine(run)
	if err != nil {
		return nil, err
	}
	if p.s.World == nil {
		w := engine.NewWorld(e, rng)
		w.Name = filepath.Base(p.s.Name)
		if err := w.Add(engine.WorldCall{Name: "call", Inbound: p.inbound(rng)}); err != nil {
			return nil, err
		}
		return w.Run(ctx)
	}
	if rng == nil {
		rng = fake.NewRand(p.s.Seed, run)
	}
	return p.runWorld(ctx, e, rng)
}
