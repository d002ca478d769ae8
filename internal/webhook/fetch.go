package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/weburl"
	"github.com/dialsim/dialsim/signature"
	"github.com/dialsim/dialsim/twiml"
)

// Limits Twilio applies to requests, the defaults of [Config].
const (
	// DefaultTimeout is how long Twilio waits for a complete answer.
	DefaultTimeout = 15 * time.Second
	// DefaultMaxBody is Twilio's size limit for a TwiML document, 64 KiB.
	DefaultMaxBody = twiml.MaxDocumentSize
	// MaxRedirects is how many HTTP redirects one request follows.
	MaxRedirects = 10
)

// userAgent is the User-Agent of Twilio's webhook requests.
const userAgent = "TwilioProxy/1.1"

// Request is one request to the application.
type Request struct {
	// Method is "GET" or "POST", in any case; empty means POST.
	Method string
	// URL is the absolute http or https URL to request, such as
	// "http://app.test/voice?x=1".
	URL string
	// Params are Twilio's parameters. POST sends them as an
	// application/x-www-form-urlencoded body; GET appends them to the
	// URL's query, after any query the URL already has.
	Params url.Values
	// Jar names the cookie jar of the request: the SID of the call (or
	// dialed leg) it belongs to, as Twilio keeps cookies per call SID.
	// Do and Notify keep separate jars under one name, as Twilio keeps
	// a call's TwiML requests and its status callbacks apart. Empty is a
	// name like any other: requests that all leave it empty share
	// cookies, as the requests of one call.
	Jar string
	// Time is the instant of the request in the call's time, against
	// which cookies' Max-Age and Expires count. Zero means the jars'
	// epoch, fake.Epoch (the instant a virtual clock starts at), never
	// the real time: requests that all leave it zero are at one instant,
	// so a cookie's Max-Age never runs out between them, and an Expires
	// counts against that fixed date. The engine always sets it.
	Time time.Time
}

// Response is the application's answer to [Fetcher.Do].
type Response struct {
	// URL is the URL that answered: the request's URL, with the
	// parameters in its query for GET, or the last redirect's target.
	// Relative URLs in the TwiML resolve against it.
	URL string
	// Status is the HTTP status, always 2xx.
	Status int
	// Body is the TwiML document, never empty; in UTF-8 when the
	// Content-Type named a charset; at most the size limit as received
	// (Note says when it is instead the TwiML for a text or audio
	// answer); nil when the document came from Config.Documents, which
	// Text holds.
	Body []byte
	// Text is the document Config.Documents returned; empty for a
	// document that was served. Document returns the document either way.
	Text string
	// Note, if not empty, says how the answer was read when it was not a
	// TwiML document: a text/plain answer read aloud, or an audio file
	// played, as Twilio does; Body then holds the TwiML that does it.
	Note string
}

// Document returns the TwiML document: Text, or Body as a string.
func (r *Response) Document() string {
	if r.Body == nil {
		return r.Text
	}
	return string(r.Body)
}

// Config configures a [Fetcher]. The zero value sends every request over
// the network with a default client, unsigned, with Twilio's limits.
type Config struct {
	// Handler, if non-nil, serves every request in-process, whatever the
	// URL's host; nothing touches the network. ServeHTTP runs on the
	// calling goroutine and must return: a handler that outlives the
	// timeout should watch its request's context, which is done when
	// the time is up, as a server's is when its client goes away. The
	// response is recorded as net/http's server would send it (headers
	// fixed by WriteHeader, Content-Type sniffed when unset), and writes
	// past the size limit fail. A panic in the handler is a broken
	// connection (11200).
	Handler http.Handler
	// Documents, with a Handler, answers for it: the Handler must serve
	// exactly what Documents returns, whatever the method, query, headers
	// and body (for a path it knows, 200 with the text/xml document, no
	// other header and no cookie; for any other, 404), as engine.Documents
	// does. The Fetcher then looks each document up by the request URL's
	// decoded path instead of building, signing and serving the request,
	// which nothing would see, and checks it as it would the served
	// answer, with the same results.
	Documents func(path string) (string, bool)
	// Expired, when not nil, also ends a request's time as if Timeout had
	// passed, the moment a value is received from it (one value, one
	// request): tests use it to make an application that never answers
	// time out without waiting out real time. The Timeout still applies.
	Expired <-chan struct{}
	// Targets, with Documents, caches the URLs of POST requests as the
	// handler would see them, for the Fetchers that share it; nil means
	// each is parsed.
	Targets *Targets
	// Client sends the requests when Handler is nil; nil means a client
	// with http.DefaultTransport. Its Jar and CheckRedirect are not used:
	// the Fetcher keeps its own cookies and follows redirects itself.
	// POST requests are marked idempotent (an Idempotency-Key header
	// with no value, which is not sent), so that an *http.Transport
	// resends one, once, when the application closed the kept-alive
	// connection the request went out on.
	// Hosts in the .invalid domain fail as unresolvable (11210) without
	// reaching the client, as RFC 6761 asks of resolvers.
	Client *http.Client
	// AuthToken signs every request with an X-Twilio-Signature header
	// (see [Sign]). Empty means requests carry no signature header.
	AuthToken string
	// Timeout limits, in real time, one call of Do or Notify: connecting,
	// every redirect, and reading the whole answer. Zero or negative
	// means DefaultTimeout.
	Timeout time.Duration
	// MaxBody is the largest TwiML body Do accepts, in bytes; Do never
	// reads more than one byte past it, and Notify reads at most MaxBody
	// bytes of an answer it then ignores. Zero or negative means
	// DefaultMaxBody.
	MaxBody int64
}

// Fetcher makes the requests of one simulated call. Like Twilio within a
// call, it keeps the cookies the application sets and sends them back on
// the call's later requests, one jar for each Request.Jar (a call SID)
// and kind of request, so each call needs its own Fetcher. Use New to
// make one; it is safe for concurrent use.
type Fetcher struct {
	handler   http.Handler
	client    *http.Client
	token     string
	timeout   time.Duration
	maxBody   int64
	documents func(path string) (string, bool) // Config.Documents
	targets   *Targets                         // Config.Targets
	mu        sync.Mutex
	jars      map[jarKey]*jar // made with their first cookie
	// withTimeout bounds one call of Do or Notify: the timeout in real
	// time, or what a test puts in its place.
	withTimeout func(ctx context.Context) (context.Context, context.CancelFunc)
}

// New returns a Fetcher with no cookies yet.
func New(cfg Config) *Fetcher {
	f := &Fetcher{
		handler: cfg.Handler,
		token:   cfg.AuthToken,
		timeout: cfg.Timeout,
		maxBody: cfg.MaxBody,
	}
	if f.timeout <= 0 {
		f.timeout = DefaultTimeout
	}
	f.withTimeout = func(ctx context.Context) (context.Context, context.CancelFunc) {
		return context.WithTimeoutCause(ctx, f.timeout, errTimeout)
	}
	if expired := cfg.Expired; expired != nil {
		f.withTimeout = func(ctx context.Context) (context.Context, context.CancelFunc) {
			ctx, stop := context.WithTimeoutCause(ctx, f.timeout, errTimeout)
			ctx, cancel := context.WithCancelCause(ctx)
			go func() { // ends with the request: cancel below, or the timeout
				select {
				case <-expired:
					cancel(errTimeout)
				case <-ctx.Done():
				}
			}()
			return ctx, func() { cancel(context.Canceled); stop() }
		}
	}
	if f.maxBody <= 0 {
		f.maxBody = DefaultMaxBody
	}
	// Leave room for reading one byte past the limit.
	f.maxBody = min(f.maxBody, math.MaxInt64-1)
	if cfg.Handler != nil {
		f.documents, f.targets = cfg.Documents, cfg.Targets
	}
	if cfg.Handler != nil {
		return f // no client: nothing goes over the network
	}
	client := &http.Client{}
	if cfg.Client != nil {
		*client = *cfg.Client
	}
	client.Jar = nil
	client.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	f.client = client
	return f
}

// Do requests a TwiML document. It follows redirects, then accepts a 2xx
// answer read as Twilio reads it, by its Content-Type:
//   - text/xml, application/xml and text/html are TwiML;
//   - text/plain is TwiML if its root element is <Response>; other text
//     is read aloud, as <Response><Say>text</Say><Hangup/></Response>;
//   - audio/* is played, as <Response><Play>URL</Play><Hangup/></Response>
//     with the answer's URL; its body is not kept and may be any size;
//   - anything else, or no Content-Type, is 12300.
//
// A charset in the Content-Type is honoured: the body is converted to
// UTF-8 (from ISO-8859-1 or US-ASCII) and an XML declaration's encoding
// is rewritten to say so; another charset is 12300. Without one, the XML
// declaration's encoding (or UTF-8) applies, as the TwiML parser reads it.
// The body must be neither larger than the limit nor empty (whitespace
// only counts as empty, except for audio). The checks run in that order:
// status, Content-Type, size, emptiness. Whether the body is XML is left
// to the TwiML parser.
//
// A failure is an *[Error] with Twilio's code. If ctx ends first, Do
// returns an error wrapping ctx's cause instead.
func (f *Fetcher) Do(ctx context.Context, req Request) (*Response, error) {
	return f.fetch(ctx, req, true)
}

// Notify sends a status callback. Any 2xx answer, 204 included, is
// success: the Content-Type does not matter, and the body is read up to
// the size limit and discarded, its read errors ignored. Other failures
// are reported as by Do. Its cookies are kept apart from Do's.
func (f *Fetcher) Notify(ctx context.Context, req Request) error {
	_, err := f.fetch(ctx, req, false)
	return err
}

// answer is the application's answer to one HTTP request, from the
// network or from the in-process handler.
type answer struct {
	status int
	header http.Header
	length int64 // Content-Length, -1 if unknown
	body   io.ReadCloser
	// data is the whole body, already read, when body is nil: the
	// in-process handler's answer, at most the size limit plus one byte.
	data []byte
}

// discard drops the answer's body, reading at most n bytes of it.
func (a *answer) discard(n int64) {
	if a.body != nil {
		discard(a.body, n)
	}
}

// exchange is what the hops of one call of Do or Notify share.
type exchange struct {
	method string
	form   url.Values // the POST body's parameters, nil for GET
	jar    jarKey
	now    time.Time // for the cookies
}

// fetch makes req, following redirects, and checks the final answer: as a
// TwiML document if twiml is set, else as a status callback's.
func (f *Fetcher) fetch(ctx context.Context, req Request, twiml bool) (*Response, error) {
	method, err := requestMethod(req.Method)
	if err != nil {
		return nil, err
	}
	if f.documents != nil {
		return f.fetchStatic(ctx, method, req, twiml)
	}
	target, err := weburl.Parse(req.URL)
	if err != nil {
		return nil, &Error{Code: 11100, URL: req.URL, Err: err}
	}
	x := exchange{method: method, jar: jarKey{name: req.Jar, callback: !twiml}, now: req.Time}
	if x.now.IsZero() {
		x.now = fake.Epoch // the jars' epoch: no real time in the data path
	}
	if method == http.MethodGet {
		target.RawQuery = joinQuery(target.RawQuery, req.Params.Encode())
	} else {
		x.form = req.Params
	}
	// The query every hop keeps: the URL's own, and for GET the
	// parameters.
	initial := target.RawQuery

	ctx, cancel := f.withTimeout(ctx)
	defer cancel()
	for redirects := 0; ; redirects++ {
		full := target.String()
		ans, err := f.send(ctx, &x, target, full)
		if err != nil {
			return nil, f.transportError(ctx, full, err)
		}
		loc := ans.header.Get("Location")
		if !isRedirect(ans.status) || loc == "" {
			return f.check(ctx, full, ans, twiml)
		}
		ans.discard(4 << 10)
		if redirects == MaxRedirects {
			return nil, &Error{Code: 11215, URL: full, Status: ans.status,
				Err: fmt.Errorf("more than %d redirects", MaxRedirects)}
		}
		next, err := target.Parse(loc)
		if err == nil {
			err = weburl.Check(next)
		}
		if err != nil {
			return nil, &Error{Code: 11200, URL: full, Status: ans.status,
				Err: fmt.Errorf("redirect to %q: %w", loc, err)}
		}
		next.Fragment, next.RawFragment = "", ""
		// Every redirect, 301, 302 and 303 included, repeats the request
		// with its method and parameters, as Twilio's webhooks do, and
		// keeps the initial URL's query.
		next.RawQuery = keepQuery(next.RawQuery, initial)
		target = next
	}
}

// joinQuery appends the encoded parameters enc to the query q.
func joinQuery(q, enc string) string {
	switch {
	case enc == "":
		return q
	case q == "":
		return enc
	}
	return q + "&" + enc
}

// keepQuery returns the query of a redirect's target, whose Location had
// the query loc, given the initial request's query: the initial
// parameters are kept, after loc's, except those whose names loc has,
// which loc's values replace.
func keepQuery(loc, initial string) string {
	if loc == "" || initial == "" {
		return loc + initial
	}
	names := map[string]bool{}
	for pair := range strings.SplitSeq(loc, "&") {
		names[queryName(pair)] = true
	}
	var kept []string
	for pair := range strings.SplitSeq(initial, "&") {
		if pair != "" && !names[queryName(pair)] {
			kept = append(kept, pair)
		}
	}
	return joinQuery(loc, strings.Join(kept, "&"))
}

// queryName returns the decoded name of a query's name=value pair.
func queryName(pair string) string {
	name, _, _ := strings.Cut(pair, "=")
	if n, err := url.QueryUnescape(name); err == nil {
		return n
	}
	return name
}

// check turns the final answer into Do's or Notify's result.
func (f *Fetcher) check(ctx context.Context, rawURL string, ans *answer, twiml bool) (*Response, error) {
	if ans.body != nil {
		defer ans.body.Close()
	}
	switch {
	case ans.status >= 400 && ans.status <= 599:
		return nil, &Error{Code: 11217, URL: rawURL, Status: ans.status}
	case ans.status < 200 || ans.status > 299:
		return nil, &Error{Code: 11200, URL: rawURL, Status: ans.status,
			Err: errors.New("not a 2xx answer")}
	}
	if !twiml {
		ans.discard(f.maxBody)
		return nil, nil
	}
	ct := ans.header.Get("Content-Type")
	kind, charset, err := mediaOf(ct)
	if err != nil {
		return nil, &Error{Code: 12300, URL: rawURL, Status: ans.status, Err: err}
	}
	if kind == mediaAudio {
		return f.audio(ctx, rawURL, ans, ct)
	}
	tooLarge := &Error{Code: 11750, URL: rawURL, Status: ans.status,
		Err: errBodyTooLarge(f.maxBody)}
	if ans.length > f.maxBody {
		return nil, tooLarge
	}
	body := ans.data
	if ans.body != nil {
		var err error
		body, err = io.ReadAll(io.LimitReader(ans.body, f.maxBody+1))
		if err != nil {
			return nil, f.transportError(ctx, rawURL, err)
		}
	}
	if int64(len(body)) > f.maxBody {
		return nil, tooLarge
	}
	body, ok := toUTF8(body, charset)
	if !ok {
		return nil, &Error{Code: 12300, URL: rawURL, Status: ans.status,
			Err: fmt.Errorf("charset %q of content type %q is not supported: use UTF-8 or ISO-8859-1", charset, ct)}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, &Error{Code: 11770, URL: rawURL, Status: ans.status, Err: errors.New("empty body")}
	}
	resp := &Response{URL: rawURL, Status: ans.status, Body: body}
	if kind == mediaText && !rootIsResponse(body) {
		resp.Body = spoken(body)
		resp.Note = "the text/plain answer is not TwiML: it is read aloud (<Say>), then the call hangs up (<Hangup>)"
	}
	return resp, nil
}

// audio is check for an audio answer: it is played, however large, and
// only its emptiness is checked, reading at most the size limit.
func (f *Fetcher) audio(ctx context.Context, rawURL string, ans *answer, contentType string) (*Response, error) {
	n := int64(len(ans.data))
	if ans.body != nil {
		var err error
		n, err = io.Copy(io.Discard, io.LimitReader(ans.body, f.maxBody))
		if err != nil {
			return nil, f.transportError(ctx, rawURL, err)
		}
	}
	if n == 0 {
		return nil, &Error{Code: 11770, URL: rawURL, Status: ans.status, Err: errors.New("empty body")}
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	return &Response{URL: rawURL, Status: ans.status, Body: played(rawURL),
		Note: "the " + mt + " answer is played (<Play> of its URL), then the call hangs up (<Hangup>)"}, nil
}

// errBodyTooLarge is the reason of an 11750: the body is over max bytes.
func errBodyTooLarge(max int64) error {
	return fmt.Errorf("body larger than %d bytes", max)
}

// jar returns the jar of key, made if create is set and it has none yet;
// nil if it has none.
func (f *Fetcher) jar(key jarKey, create bool) *jar {
	f.mu.Lock()
	defer f.mu.Unlock()
	j := f.jars[key]
	if j == nil && create {
		if f.jars == nil {
			f.jars = map[jarKey]*jar{}
		}
		j = &jar{}
		f.jars[key] = j
	}
	return j
}

// send makes one HTTP request of x to target, whose text is full, signed
// and with the jar's cookies, and stores the cookies of the answer.
func (f *Fetcher) send(ctx context.Context, x *exchange, target *url.URL, full string) (*answer, error) {
	var body string
	// The header's values share one array; each has room for itself only,
	// so a handler appending to one cannot overwrite the next.
	values := make([]string, 0, 4)
	header := make(http.Header, 6)
	add := func(name, value string) {
		values = append(values, value)
		header[name] = values[len(values)-1 : len(values) : len(values)]
	}
	add("User-Agent", userAgent)
	add("Accept", "*/*")
	if x.method == http.MethodPost {
		body = x.form.Encode()
		add("Content-Type", "application/x-www-form-urlencoded")
	}
	if f.token != "" {
		add(signature.Header, signature.Sign(f.token, full, x.form))
	}

	var ans *answer
	var err error
	if f.handler != nil {
		ans, err = f.serve(ctx, x, target, header, body)
	} else {
		ans, err = f.roundTrip(ctx, x, target, full, header, body)
	}
	if err != nil {
		return nil, err
	}
	if len(ans.header["Set-Cookie"]) > 0 {
		resp := http.Response{Header: ans.header}
		if cookies := resp.Cookies(); len(cookies) > 0 {
			f.jar(x.jar, true).set(target, cookies, x.now)
		}
	}
	return ans, nil
}

// authorize adds to r, whose URL may lack them, the basic authentication
// of target's user information and the jar's cookies for target.
func (f *Fetcher) authorize(r *http.Request, x *exchange, target *url.URL) {
	if u := target.User; u != nil {
		password, _ := u.Password()
		r.SetBasicAuth(u.Username(), password)
	}
	if j := f.jar(x.jar, false); j != nil {
		for _, c := range j.cookies(target, x.now) {
			r.AddCookie(c)
		}
	}
}

// roundTrip sends the request over the network.
func (f *Fetcher) roundTrip(ctx context.Context, x *exchange, target *url.URL, full string, header http.Header, body string) (*answer, error) {
	r, err := http.NewRequestWithContext(ctx, x.method, full, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	if x.method == http.MethodGet {
		r.Body, r.GetBody, r.ContentLength = http.NoBody, nil, 0
	} else {
		// An Idempotency-Key with no value is not sent, but makes
		// http.Transport resend the POST (its GetBody is set) when the
		// kept-alive connection it went out on was closed by the server:
		// otherwise the answer would depend on the app's keep-alive
		// timing. Twilio itself retries a failed connection once.
		header["Idempotency-Key"] = nil
	}
	r.Header = header
	f.authorize(r, x, target)
	if isInvalidHost(r.URL.Hostname()) {
		return nil, &net.DNSError{Err: "no such host", Name: r.URL.Hostname(), IsNotFound: true}
	}
	resp, err := f.client.Do(r)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return nil, err
	}
	return &answer{status: resp.StatusCode, header: resp.Header, length: resp.ContentLength, body: resp.Body}, nil
}

// isInvalidHost reports whether host is in the "invalid" top-level domain,
// which RFC 6761 reserves for names that never resolve and asks resolver
// libraries to answer without a query. Answering here keeps such hosts off
// the network (and out of any proxy).
func isInvalidHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return host == "invalid" || strings.HasSuffix(host, ".invalid")
}

// requestMethod normalises a Request's Method.
func requestMethod(m string) (string, error) {
	switch strings.ToUpper(m) {
	case "", http.MethodPost:
		return http.MethodPost, nil
	case http.MethodGet:
		return http.MethodGet, nil
	}
	return "", fmt.Errorf("webhook: method %q is neither GET nor POST", m)
}

// isRedirect reports whether status is a redirect that is followed when
// the answer has a Location.
func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// discard reads and drops at most n bytes of body, ignoring errors, and
// closes it.
func discard(body io.ReadCloser, n int64) {
	io.Copy(io.Discard, io.LimitReader(body, n))
	body.Close()
}
