package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/weburl"
	"github.com/dialsim/dialsim/twiml"
)

// Scenario is a parsed scenario file: the call to simulate, how the caller
// and the dialed parties behave, the application's TwiML documents and the
// expected transcript.
type Scenario struct {
	// Name is the file name given to Parse, used in error positions.
	Name string
	// Description holds the #-lines at the top of the file, without the
	// "#" and the one space after it.
	Description []string
	// Call is the incoming call (the call directive).
	Call CallSpec
	// Caller is what the caller does; its zero value does nothing and
	// never hangs up.
	Caller CallerSpec
	// World holds the calls of a scenario with several (world.go); nil
	// for a scenario of one call, which Call and Caller describe.
	World *WorldSpec
	// Parties are the party directives in file order.
	Parties []PartySpec
	// Policy is the screening policy: engine.FirstAnswer (the default,
	// the zero value) or engine.FirstAccept.
	Policy engine.Policy
	// Token is the auth token that signs requests to the application;
	// empty if the file has no token directive.
	Token string
	// App is the base URL of a running application whose documents the
	// call requests; empty means the documents in the archive.
	App string
	// Seed seeds the random parties' draws; 0 if the file has no seed
	// directive.
	Seed uint64
	// Docs maps URL paths ("/voice") to the TwiML documents of the
	// archive. It is never nil.
	Docs map[string][]byte
	// DocLine maps each path of Docs to the line of the file where the
	// document's content starts, so that a position inside a document
	// (line n, counting from 1) is line DocLine[path]+n-1 of the file.
	DocLine map[string]int
	// Want is the content of the want file: the expected transcript.
	Want []byte
	// HasWant reports whether the archive has a want file (which may be
	// empty).
	HasWant bool
	// WantLine is the line where the want file's content starts, or 0.
	WantLine int

	data []byte // the file as parsed, for WithWant
}

// CallSpec is the call directive: the incoming call the simulation starts
// with.
type CallSpec struct {
	// From and To are the caller's and the called address (an E.164
	// number or client:NAME).
	From, To string
	// URL is the document requested when the call starts: a path
	// beginning with "/" (resolved against App, or a file of the archive)
	// or an absolute http or https URL.
	URL string
	// Method is "POST" (the default) or "GET".
	Method string
	// Fallback is requested when URL fails; empty means none.
	Fallback string
	// SID is the call's CallSid (sid=); empty means one derived from the
	// file's base name and the call, the same on every run.
	SID string
	// Line is the line of the call directive.
	Line int
}

// CallerSpec is the caller directive: what the caller does during the
// call.
type CallerSpec struct {
	// Presses are the keys the caller presses, or the words it says: the
	// i-th Press at the i-th Gather the call meets.
	Presses []fake.Press
	// Random, when not nil, replaces Presses: the inputs in order, one
	// of them at least drawn anew for each run (a say with a choice of
	// phrases or a distribution of times).
	Random []fake.RandomPress
	// Hangup is when the caller hangs up, measured from the start of the
	// call; zero means never.
	Hangup time.Duration
	// Records are what the caller does at the <Record>s the call meets,
	// the i-th at the i-th (record=MESSAGE, in record.go).
	Records []fake.RandomMessage
	// Patience and Talk are a world's caller's (WorldCallSpec); either
	// makes the scenario a world.
	Patience, Talk fake.Dist
	// Line is the line of the caller directive, or 0 if there is none.
	Line int
}

// PartySpec is a party directive. Exactly one of Scripted and Random is
// set.
type PartySpec struct {
	// Addr is the party's address, as in fake.Party.
	Addr string
	// Scripted is the behaviour of a party whose values are all fixed.
	Scripted *fake.Party
	// Random is the behaviour of a party with a distribution or a
	// probability among its values.
	Random *fake.Random
	// Line is the line of the party directive.
	Line int
}

// Draw returns the party's behaviour for one call: the scripted one, or
// one drawn from rng for a random party (see fake.Random.Draw). A scripted
// party takes no values from rng.
func (p PartySpec) Draw(rng *rand.Rand) fake.Party {
	if p.Random != nil {
		return p.Random.Draw(rng)
	}
	return *p.Scripted
}

// Random reports whether any party of the scenario, or any of the
// caller's messages, is random, so that the transcript depends on the
// seed.
func (s *Scenario) Random() bool {
	if s.Caller.Random != nil || s.Caller.randomRecords() {
		return true
	}
	for _, p := range s.Parties {
		if p.Random != nil {
			return true
		}
	}
	return false
}

// Error is a problem in a scenario file, at a line of it.
type Error struct {
	File string // the name given to Parse
	Line int    // the line in the file, counting from 1
	Err  error  // what is wrong; one of the Err* sentinels is in its chain
}

// Error returns the problem as "file:line: message".
func (e *Error) Error() string {
	return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Err.Error()
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// The kinds of problem a scenario file can have. Parse returns an *Error
// whose Err wraps one of them. The kinds of a party's behaviour are fake's,
// whose Validate methods hold the rules: ErrDuration, ErrKeys,
// ErrContradiction, ErrProbability and ErrDist are fake.ErrDuration and
// the rest, so errors.Is finds either name.
var (
	ErrSyntax           = errors.New("syntax error")
	ErrUnknownDirective = errors.New("unknown directive")
	ErrMissingCall      = errors.New("no call directive")
	ErrDuplicate        = errors.New("given twice")
	ErrAddr             = errors.New("invalid address (want +E.164 or client:NAME)")
	ErrDuration         = fake.ErrDuration
	ErrDist             = fake.ErrDist
	ErrProbability      = fake.ErrProbability
	ErrKeys             = fake.ErrKeys
	ErrBehaviour        = errors.New("unknown behaviour")
	ErrContradiction    = fake.ErrContradiction
	ErrPolicy           = errors.New("unknown policy (want first-answer or first-accept)")
	ErrMissingDoc       = errors.New("no such document in the archive and no app")
	ErrFileName         = errors.New("invalid file name (want want or a URL path starting with /)")
)

// ParseFile reads and parses the scenario file at path; errors name the
// file by path. The file must be a regular file of at most MaxFileSize
// bytes (see ReadFile).
func ParseFile(path string) (*Scenario, error) {
	data, err := ReadFile(path, MaxFileSize)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses a scenario file; name is used in error positions. The
// language is described in Reference. The first problem found is returned
// as an *Error. Parse keeps a copy of data, not data itself.
func Parse(name string, data []byte) (*Scenario, error) {
	data = bytes.Clone(data)
	ar := txtar.Parse(data)
	s := &Scenario{
		Name:    name,
		Docs:    map[string][]byte{},
		DocLine: map[string]int{},
		data:    data,
	}
	p := &parser{s: s, seen: map[string]bool{}, parties: map[string]bool{}}
	if err := p.header(lf(trimBOM(ar.Comment))); err != nil {
		return nil, &Error{File: name, Line: p.line, Err: err}
	}

	// txtar keeps the bytes between markers as they are, so counting
	// newlines gives each marker's line.
	line := 1 + bytes.Count(ar.Comment, []byte("\n"))
	for _, f := range ar.Files {
		marker := line
		line += 1 + bytes.Count(f.Data, []byte("\n"))
		fail := func(err error) (*Scenario, error) {
			return nil, &Error{File: name, Line: marker, Err: err}
		}
		content := lf(f.Data)
		if content == nil {
			content = []byte{}
		}
		switch {
		case f.Name == "want":
			if s.HasWant {
				return fail(fmt.Errorf("file want: %w", ErrDuplicate))
			}
			s.Want, s.HasWant, s.WantLine = content, true, marker+1
		case !validDocName(f.Name):
			return fail(fmt.Errorf("file %q: %w", f.Name, ErrFileName))
		case s.Docs[f.Name] != nil:
			return fail(fmt.Errorf("file %s: %w", f.Name, ErrDuplicate))
		case s.App != "":
			return fail(fmt.Errorf("file %s with app %s (the app serves every document): %w", f.Name, weburl.Redact(s.App), ErrContradiction))
		default:
			s.Docs[f.Name], s.DocLine[f.Name] = content, marker+1
		}
	}

	if s.World == nil && (s.Caller.Patience != fake.Dist{} || s.Caller.Talk != fake.Dist{}) {
		s.World = &WorldSpec{Line: s.Caller.Line} // world.go
	}
	if s.World != nil {
		if err := s.checkWorld(); err != nil { // world.go
			return nil, err
		}
		return s, nil
	}
	if s.Call.Line == 0 {
		return nil, &Error{File: name, Line: 1, Err: ErrMissingCall}
	}
	// A file without documents is for an application given when it
	// runs (RunOptions.BaseURL or Handler); one with documents must hold
	// the call's.
	if s.App == "" && len(s.Docs) > 0 {
		for _, u := range []struct{ key, val string }{{"url", s.Call.URL}, {"fallback", s.Call.Fallback}} {
			if !strings.HasPrefix(u.val, "/") {
				continue // empty, or an absolute URL
			}
			path, _, _ := strings.Cut(u.val, "?")
			if _, ok := s.Docs[path]; !ok {
				return nil, &Error{File: name, Line: s.Call.Line, Err: fmt.Errorf("call %s=%s: %w", u.key, u.val, ErrMissingDoc)}
			}
		}
	}
	return s, nil
}

func validDocName(name string) bool {
	return strings.HasPrefix(name, "/") && !strings.HasPrefix(name, "//") &&
		!strings.ContainsAny(name, " \t\r?#")
}

// WithWant returns the scenario file with the content of its want file
// replaced by transcript (a newline is added if it lacks one), or with a
// want file appended if it had none. Every other byte of the file is kept
// as it was. The transcript must not contain txtar marker lines ("-- x --").
func (s *Scenario) WithWant(transcript []byte) []byte {
	transcript = fixNL(transcript)
	if !s.HasWant {
		out := fixNL(bytes.Clone(s.data))
		out = append(out, "-- want --\n"...)
		return append(out, transcript...)
	}
	// Walk the file as txtar does: the comment, then each file's marker
	// line and content.
	ar := txtar.Parse(s.data)
	off := len(ar.Comment)
	for _, f := range ar.Files {
		eol := bytes.IndexByte(s.data[off:], '\n')
		start := len(s.data) // a marker on the last line, without a newline
		if eol >= 0 {
			start = off + eol + 1
		}
		end := min(start+len(f.Data), len(s.data)) // txtar may have added a final newline
		if f.Name == "want" {
			out := make([]byte, 0, len(s.data)+len(transcript)+1)
			out = fixNL(append(out, s.data[:start]...))
			out = append(out, transcript...)
			return append(out, s.data[end:]...)
		}
		off = end
	}
	panic("scenarios: want file not found again") // HasWant says it exists
}

// fixNL returns b ending in a newline unless it is empty. It never
// writes into b's spare capacity, which may belong to the caller.
func fixNL(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b[:len(b):len(b)], '\n')
	}
	return b
}

// parser holds the state of reading a scenario's header.
type parser struct {
	s       *Scenario
	line    int             // the line being read
	seen    map[string]bool // directives that may appear once
	parties map[string]bool // addresses listed so far
}

// header reads the directives of the archive's comment.
func (p *parser) header(comment []byte) error {
	describing := true
	for i, text := range strings.Split(string(comment), "\n") {
		p.line = i + 1
		trimmed := strings.TrimSpace(text)
		if describing {
			if rest, ok := strings.CutPrefix(trimmed, "#"); ok {
				p.s.Description = append(p.s.Description, strings.TrimPrefix(rest, " "))
				continue
			}
			describing = false
		}
		words, err := splitWords(text)
		if err != nil {
			return err
		}
		if len(words) == 0 {
			continue
		}
		if err := p.directive(words); err != nil {
			return err
		}
	}
	return nil
}

// splitWords splits a header line into words separated by white space,
// except inside parentheses and double quotes. A word that starts with #
// begins a comment that runs to the end of the line.
func splitWords(line string) ([]string, error) {
	var words []string
	start, depth, quoted := -1, 0, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		space := c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
		if start < 0 {
			if space {
				continue
			}
			if c == '#' {
				break
			}
			start = i
		}
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return nil, fmt.Errorf("unbalanced ')' in %q: %w", line[start:], ErrSyntax)
			}
			depth--
		case space && depth == 0:
			words = append(words, line[start:i])
			start = -1
		}
	}
	if quoted {
		return nil, fmt.Errorf("unclosed '\"' in %q: %w", strings.TrimSpace(line[start:]), ErrSyntax)
	}
	if depth > 0 {
		return nil, fmt.Errorf("unclosed '(' in %q: %w", strings.TrimSpace(line[start:]), ErrSyntax)
	}
	if start >= 0 {
		words = append(words, line[start:])
	}
	return words, nil
}

// once records that directive name was given, failing the second time.
func (p *parser) once(name string) error {
	if p.seen[name] {
		return fmt.Errorf("%s: %w", name, ErrDuplicate)
	}
	p.seen[name] = true
	return nil
}

func (p *parser) directive(words []string) error {
	name, args := words[0], words[1:]
	switch name {
	case "call":
		if isWorldCall(args) {
			return p.worldCall(args) // world.go
		}
		return p.call(args)
	case "caller":
		if isWorldCaller(args) && p.s.World != nil {
			return p.worldCaller(args)
		}
		return p.caller(args)
	case "arrivals":
		return p.arrivals(args)
	case "agent":
		return p.agent(args)
	case "at":
		return p.at(args)
	case "party":
		return p.party(args)
	case "policy", "token", "app", "seed":
		if err := p.once(name); err != nil {
			return err
		}
		if len(args) != 1 {
			return fmt.Errorf("%s takes one value, got %d: %w", name, len(args), ErrSyntax)
		}
		return p.setting(name, args[0])
	}
	return fmt.Errorf("%w %q%s", ErrUnknownDirective, name, didYouMean(name, directives))
}

func (p *parser) setting(name, v string) error {
	switch name {
	case "policy":
		// the engine's names are the directive's
		if p.s.Policy.UnmarshalText([]byte(v)) != nil {
			return fmt.Errorf("policy %s: %w", v, ErrPolicy)
		}
	case "token":
		p.s.Token = v
	case "app":
		if !weburl.IsAbsolute(v) {
			return fmt.Errorf("app %s: want an http or https URL: %w", weburl.Redact(v), ErrSyntax)
		}
		p.s.App = v
	case "seed":
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return fmt.Errorf("seed %s: want a number from 0 to 2^64-1: %w", v, ErrSyntax)
		}
		p.s.Seed = n
	}
	return nil
}

// isURLOrPath reports whether v can be a document URL: a path of the
// application's (weburl.IsPath), or an absolute http or https URL.
func isURLOrPath(v string) bool {
	return weburl.IsPath(v) || weburl.IsAbsolute(v)
}

// arg is one KEY=VALUE or bare KEY word of a directive.
type arg struct {
	word, key, val string
	hasVal         bool
}

func parseArgs(words []string) []arg {
	args := make([]arg, len(words))
	for i, w := range words {
		k, v, ok := strings.Cut(w, "=")
		args[i] = arg{word: w, key: k, val: v, hasVal: ok}
	}
	return args
}

func (p *parser) call(words []string) error {
	if err := p.once("call"); err != nil {
		return err
	}
	c := CallSpec{Method: "POST", Line: p.line}
	given := map[string]bool{}
	for _, a := range parseArgs(words) {
		if !a.hasVal {
			return fmt.Errorf("call: %q is not KEY=VALUE: %w", a.word, ErrSyntax)
		}
		if given[a.key] {
			return fmt.Errorf("call %s: %w", a.key, ErrDuplicate)
		}
		given[a.key] = true
		switch a.key {
		case "from", "to":
			if err := twiml.ValidAddress(a.val); err != nil {
				return fmt.Errorf("call %s: %v: %w", a.key, err, ErrAddr)
			}
			if a.key == "from" {
				c.From = a.val
			} else {
				c.To = a.val
			}
		case "url", "fallback":
			if !isURLOrPath(a.val) {
				return fmt.Errorf("call %s: want a path starting with / or an http(s) URL: %w", a.word, ErrSyntax)
			}
			if a.key == "url" {
				c.URL = a.val
			} else {
				c.Fallback = a.val
			}
		case "sid":
			if !validCallSID(a.val) {
				return fmt.Errorf("call %s: want CA and 32 hexadecimal digits (0-9, a-f): %w", a.word, ErrSyntax)
			}
			c.SID = a.val
		case "method":
			c.Method = strings.ToUpper(a.val)
			if c.Method != "POST" && c.Method != "GET" {
				return fmt.Errorf("call %s: want POST or GET: %w", a.word, ErrSyntax)
			}
		default:
			return fmt.Errorf("call: unknown argument %q: %w%s", a.key, ErrSyntax, didYouMean(a.key, callArgs))
		}
	}
	for _, k := range []string{"from", "to", "url"} {
		if !given[k] {
			return fmt.Errorf("call: missing %s=: %w", k, ErrSyntax)
		}
	}
	p.s.Call = c
	return nil
}

func (p *parser) caller(words []string) error {
	if err := p.once("caller"); err != nil {
		return err
	}
	c := CallerSpec{Line: p.line}
	hangup := false
	randoms := map[int]fake.RandomPress{} // random says, by place (speech.go)
	for _, a := range parseArgs(words) {
		switch a.key {
		case "press":
			pr, err := parsePress(a)
			if err != nil {
				return fmt.Errorf("caller %w", err)
			}
			c.Presses = append(c.Presses, pr)
		case "say":
			if err := parseSayInto(a, &c.Presses, randoms); err != nil {
				return fmt.Errorf("caller %w", err)
			}
		case "record":
			m, err := parseRecord(a)
			if err != nil {
				return fmt.Errorf("caller %w", err)
			}
			c.Records = append(c.Records, m)
		case "hangup":
			if hangup {
				return fmt.Errorf("caller hangup: %w", ErrDuplicate)
			}
			hangup = true
			d, err := parseDuration(a)
			if err != nil {
				return fmt.Errorf("caller %w", err)
			}
			if d < 0 {
				// The caller is not a fake party: its rule is here.
				return fmt.Errorf("caller %s: negative: %w", a.word, ErrDuration)
			}
			c.Hangup = d
		case "patience", "talk": // world.go
			if err := callerDist(&c, a); err != nil {
				return err
			}
		default:
			return fmt.Errorf("caller %s: %w%s", a.word, ErrBehaviour, didYouMean(a.key, callerBehaviours))
		}
	}
	c.Presses, c.Random = drawable(c.Presses, randoms)
	p.s.Caller = c
	return nil
}

// parseDuration reads the duration of KEY=DUR. A negative one is left
// to the Validate method of what it is for.
func parseDuration(a arg) (time.Duration, error) {
	if !a.hasVal {
		return 0, fmt.Errorf("%s: missing =DUR: %w", a.key, ErrDuration)
	}
	d, err := time.ParseDuration(a.val)
	if err != nil {
		return 0, fmt.Errorf("%s: want e.g. 3s, 1m30s, 500ms: %w", a.word, ErrDuration)
	}
	return d, nil
}

// parsePress reads press=KEYS[@DUR]; DUR defaults to one second. The
// press is checked by fake.Press.Validate.
func parsePress(a arg) (fake.Press, error) {
	keys, at, hasAt := strings.Cut(a.val, "@")
	pr := fake.Press{Keys: keys, After: time.Second}
	if hasAt {
		d, err := time.ParseDuration(at)
		if err != nil {
			return fake.Press{}, fmt.Errorf("%s: want e.g. 1@2s: %w", a.word, ErrDuration)
		}
		pr.After = d
	}
	if err := pr.Validate(); err != nil {
		return fake.Press{}, fmt.Errorf("%s: %w", a.word, err)
	}
	return pr, nil
}

func (p *parser) party(words []string) error {
	if len(words) == 0 {
		return fmt.Errorf("party: missing address: %w", ErrSyntax)
	}
	addr := words[0]
	if err := twiml.ValidAddress(addr); err != nil {
		return fmt.Errorf("party: %v: %w", err, ErrAddr)
	}
	if p.parties[addr] {
		return fmt.Errorf("party %s: %w", addr, ErrDuplicate)
	}
	p.parties[addr] = true
	args := parseArgs(words[1:])
	spec := PartySpec{Addr: addr, Line: p.line}
	var err error
	if isRandom(args) {
		spec.Random, err = randomParty(addr, args)
	} else {
		spec.Scripted, err = scriptedParty(addr, args)
	}
	if err != nil {
		return fmt.Errorf("party %s: %w", addr, err)
	}
	// fake holds the rules of a party's behaviour; its errors name the
	// party.
	if spec.Random != nil {
		err = spec.Random.Validate()
	} else {
		err = spec.Scripted.Validate()
	}
	if err != nil {
		return err
	}
	p.s.Parties = append(p.s.Parties, spec)
	return nil
}

// isRandom reports whether a party's behaviours make it random: a
// distribution among its durations, a probability among its outcomes, or
// a value on noanswer or voicemail (which take none when scripted).
func isRandom(args []arg) bool {
	for _, a := range args {
		if !a.hasVal {
			continue
		}
		switch a.key {
		case "answer", "talk", "greeting":
			if strings.Contains(a.val, "(") {
				return true
			}
		case "busy", "fail", "reject":
			if strings.Contains(a.val, "(") || isProbability(a.val) {
				return true
			}
		case "noanswer", "voicemail":
			return true
		case "say":
			if sayIsRandom(a.val) {
				return true
			}
		}
	}
	return false
}

// isProbability reports whether v reads as a probability rather than a
// duration: a percentage, or a number without a unit (but not "0", a
// valid duration).
func isProbability(v string) bool {
	if strings.HasSuffix(v, "%") {
		return true
	}
	if _, err := strconv.ParseFloat(v, 64); err != nil {
		return false
	}
	_, err := time.ParseDuration(v)
	return err != nil
}

// parseProbability reads P: a number such as 0.1, or a percentage such as
// 10%. Whether it lies in [0, 1] is fake.Random.Validate's rule.
func parseProbability(key, v string) (float64, error) {
	num, percent := strings.CutSuffix(v, "%")
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("%s=%s: want a number in [0, 1] or a percentage: %w", key, v, ErrProbability)
	}
	if percent {
		f /= 100
	}
	return f, nil
}

var outcomes = map[string]fake.Outcome{
	"answer":   fake.Answer,
	"busy":     fake.Busy,
	"fail":     fake.Fail,
	"reject":   fake.Reject,
	"noanswer": fake.NoAnswer,
}

// parseDist reads DIST with fake.ParseDist, whose errors for invalid
// parameters come from fake.Dist.Validate and wrap ErrDist; its syntax
// errors are given that kind here.
func parseDist(v string) (fake.Dist, error) {
	d, err := fake.ParseDist(v)
	if err != nil && !errors.Is(err, ErrDist) {
		err = fmt.Errorf("%w: %w", err, ErrDist)
	}
	return d, err
}

func scriptedParty(addr string, args []arg) (*fake.Party, error) {
	party := &fake.Party{Addr: addr}
	given := map[string]bool{}
	outcome := "" // the word that set the outcome
	for _, a := range args {
		if a.key != "press" && a.key != "say" && given[a.key] {
			return nil, fmt.Errorf("%s: %w", a.key, ErrDuplicate)
		}
		given[a.key] = true
		switch a.key {
		case "answer", "busy", "fail", "reject", "noanswer":
			if outcome != "" {
				return nil, fmt.Errorf("%s and %s: %w", outcome, a.word, ErrContradiction)
			}
			outcome = a.word
			party.Outcome = outcomes[a.key]
			if a.hasVal { // noanswer=... makes the party random
				d, err := parseDuration(a)
				if err != nil {
					return nil, err
				}
				party.After = d
			}
		case "talk", "hangup":
			d, err := parseDuration(a)
			if err != nil {
				return nil, err
			}
			if a.key == "talk" {
				party.Talk = d
			} else {
				party.Hangup = d
			}
		case "press":
			pr, err := parsePress(a)
			if err != nil {
				return nil, err
			}
			party.Presses = append(party.Presses, pr)
		case "say": // a random say makes the party random
			if err := parseSayInto(a, &party.Presses, nil); err != nil {
				return nil, err
			}
		case "voicemail": // voicemail=... makes the party random
			party.Voicemail = true
		case "greeting", "silent":
			if err := scriptedGreeting(party, a); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("%s: %w%s", a.word, ErrBehaviour, didYouMean(a.key, partyBehaviours))
		}
	}
	return party, nil
}

func randomParty(addr string, args []arg) (*fake.Random, error) {
	r := &fake.Random{Addr: addr}
	given := map[string]bool{}
	randoms := map[int]fake.RandomPress{} // random says, by place (speech.go)
	for _, a := range args {
		if a.key != "press" && a.key != "say" && given[a.key] {
			return nil, fmt.Errorf("%s: %w", a.key, ErrDuplicate)
		}
		given[a.key] = true
		switch a.key {
		case "answer", "talk":
			if !a.hasVal {
				return nil, fmt.Errorf("%s: missing =DIST: %w", a.key, ErrDist)
			}
			d, err := parseDist(a.val)
			if err != nil {
				return nil, fmt.Errorf("%s=%w", a.key, err)
			}
			if a.key == "answer" {
				r.Answer = d
			} else {
				r.Talk = d
			}
		case "busy", "fail", "noanswer", "reject", "voicemail":
			if !a.hasVal {
				return nil, fmt.Errorf("%s in a random party needs a probability, e.g. %s=0.1: %w", a.key, a.key, ErrProbability)
			}
			v, dist, hasDist := a.val, "", false
			if a.key == "voicemail" {
				v, dist, hasDist = strings.Cut(a.val, "@")
			}
			prob, err := parseProbability(a.key, v)
			if err != nil {
				return nil, err
			}
			switch a.key {
			case "busy":
				r.Busy = prob
			case "fail":
				r.Fail = prob
			case "noanswer":
				r.NoAnswer = prob
			case "reject":
				r.Reject = prob
			case "voicemail":
				r.Voicemail = prob
				if hasDist {
					d, err := parseDist(dist)
					if err != nil {
						return nil, fmt.Errorf("%s=%s@%w", a.key, v, err)
					}
					r.VoicemailAnswer = d
				}
			}
		case "press":
			pr, err := parsePress(a)
			if err != nil {
				return nil, err
			}
			r.Presses = append(r.Presses, pr)
		case "say":
			if err := parseSayInto(a, &r.Presses, randoms); err != nil {
				return nil, err
			}
		case "hangup":
			return nil, fmt.Errorf("%s (not available in a random party): %w", a.word, ErrBehaviour)
		case "greeting", "silent":
			if err := randomGreeting(r, a); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("%s: %w%s", a.word, ErrBehaviour, didYouMean(a.key, partyBehaviours))
		}
	}
	if !given["answer"] {
		return nil, fmt.Errorf("a random party needs answer=DIST: %w", ErrSyntax)
	}
	r.Presses, r.Inputs = drawable(r.Presses, randoms)
	return r, nil
}
