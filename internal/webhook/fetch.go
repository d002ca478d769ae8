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
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Limits Twilio applies to requests, the defaults of [Config].
const (
	// DefaultTimeout is how long Twilio waits for a complete answer.
	DefaultTimeout = 15 * time.Second
	// DefaultMaxBody is Twilio's size limit for a TwiML document, 64 KiB.
	DefaultMaxBody = 64 << 10
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
}

// Response is the application's answer to [Fetcher.Do].
type Response struct {
	// URL is the URL that answered: the request's URL, with the
	// parameters in its query for GET, or the last redirect's target.
	// Relative URLs in the TwiML resolve against it.
	URL string
	// Status is the HTTP status, always 2xx.
	Status int
	// Body is the TwiML document, never empty and at most the size limit;
	// nil when the document came from Config.Documents, which Text holds.
	Body []byte
	// Text is the document Config.Documents returned; empty for a
	// document that was served. Document returns the document either way.
	Text string
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
	// Targets, with Documents, caches the URLs of POST requests as the
	// handler would see them, for the Fetchers that share it; nil means
	// each is parsed.
	Targets *Targets
	// Client sends the requests when Handler is nil; nil means a client
	// with http.DefaultTransport. Its Jar and CheckRedirect are not used:
	// the Fetcher keeps its own cookies and follows redirects itself.
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
// the call's later requests, so each call needs its own Fetcher. Use New
// to make one; it is safe for concurrent use.
type Fetcher struct {
	handler   http.Handler
	client    *http.Client
	token     string
	timeout   time.Duration
	maxBody   int64
	documents func(path string) (string, bool) // Config.Documents
	targets   *Targets                         // Config.Targets
	jarOnce   sync.Once
	jar       *cookiejar.Jar // made with the first cookie
	// cookies is set once the jar has been given a cookie: until then
	// there is nothing to look up.
	cookies atomic.Bool
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
// answer whose Content-Type is text/xml or application/xml (parameters
// such as charset allowed) and whose body is neither larger than the
// limit nor empty (whitespace only counts as empty). The checks run in
// that order: status, Content-Type, size, emptiness. Whether the body is
// XML is left to the TwiML parser.
//
// A failure is an *[Error] with Twilio's code. If ctx ends first, Do
// returns an error wrapping ctx's cause instead.
func (f *Fetcher) Do(ctx context.Context, req Request) (*Response, error) {
	return f.fetch(ctx, req, true)
}

// Notify sends a status callback. Any 2xx answer, 204 included, is
// success: the Content-Type does not matter, and the body is read up to
// the size limit and discarded, its read errors ignored. Other failures
// are reported as by Do.
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
	target, err := requestURL(req.URL)
	if err != nil {
		return nil, &Error{Code: 11100, URL: req.URL, Err: err}
	}
	var form url.Values
	if method == http.MethodGet {
		if enc := req.Params.Encode(); enc != "" {
			if target.RawQuery != "" {
				target.RawQuery += "&" + enc
			} else {
				target.RawQuery = enc
			}
		}
	} else {
		form = req.Params
	}

	ctx, cancel := context.WithTimeoutCause(ctx, f.timeout, errTimeout)
	defer cancel()
	for redirects := 0; ; redirects++ {
		full := target.String()
		ans, err := f.send(ctx, method, target, full, form)
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
			err = checkURL(next)
		}
		if err != nil {
			return nil, &Error{Code: 11200, URL: full, Status: ans.status,
				Err: fmt.Errorf("redirect to %q: %w", loc, err)}
		}
		next.Fragment, next.RawFragment = "", ""
		switch ans.status {
		case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther:
			// As browsers and net/http do: the next request is a GET
			// without a body. 307 and 308 repeat the request as it was.
			method, form = http.MethodGet, nil
		}
		target = next
	}
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
	if ct := ans.header.Get("Content-Type"); !isXML(ct) {
		err := errors.New("no Content-Type header")
		if ct != "" {
			err = fmt.Errorf("content type %q is not text/xml or application/xml", ct)
		}
		return nil, &Error{Code: 12300, URL: rawURL, Status: ans.status, Err: err}
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
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, &Error{Code: 11770, URL: rawURL, Status: ans.status, Err: errors.New("empty body")}
	}
	return &Response{URL: rawURL, Status: ans.status, Body: body}, nil
}

// errBodyTooLarge is the reason of an 11750: the body is over max bytes.
func errBodyTooLarge(max int64) error {
	return fmt.Errorf("body larger than %d bytes", max)
}

// send makes one HTTP request to target, whose text is full, signed and
// with the call's cookies, and stores the cookies of the answer.
func (f *Fetcher) send(ctx context.Context, method string, target *url.URL, full string, form url.Values) (*answer, error) {
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
	if method == http.MethodPost {
		body = form.Encode()
		add("Content-Type", "application/x-www-form-urlencoded")
	}
	if f.token != "" {
		add("X-Twilio-Signature", Sign(f.token, full, form))
	}

	var ans *answer
	var err error
	if f.handler != nil {
		ans, err = f.serve(ctx, method, target, header, body)
	} else {
		ans, err = f.roundTrip(ctx, method, target, full, header, body)
	}
	if err != nil {
		return nil, err
	}
	if len(ans.header["Set-Cookie"]) > 0 {
		resp := http.Response{Header: ans.header}
		if cookies := resp.Cookies(); len(cookies) > 0 {
			f.jarOnce.Do(func() { f.jar, _ = cookiejar.New(nil) }) // fails only on bad options
			f.jar.SetCookies(target, cookies)
			f.cookies.Store(true)
		}
	}
	return ans, nil
}

// authorize adds to r, whose URL may lack them, the basic authentication
// of target's user information and the call's cookies for target.
func (f *Fetcher) authorize(r *http.Request, target *url.URL) {
	if u := target.User; u != nil {
		password, _ := u.Password()
		r.SetBasicAuth(u.Username(), password)
	}
	if f.cookies.Load() {
		for _, c := range f.jar.Cookies(target) {
			r.AddCookie(c)
		}
	}
}

// roundTrip sends the request over the network.
func (f *Fetcher) roundTrip(ctx context.Context, method string, target *url.URL, full string, header http.Header, body string) (*answer, error) {
	r, err := http.NewRequestWithContext(ctx, method, full, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	if method == http.MethodGet {
		r.Body, r.GetBody, r.ContentLength = http.NoBody, nil, 0
	}
	r.Header = header
	f.authorize(r, target)
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

// requestURL parses a Request's URL, which must be absolute http or https.
func requestURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if err := checkURL(u); err != nil {
		return nil, err
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// checkURL reports whether u can be requested.
func checkURL(u *url.URL) error {
	switch u.Scheme {
	case "http", "https":
	default:
		return fmt.Errorf("scheme %q is not http or https", u.Scheme)
	}
	if u.Hostname() == "" {
		return errors.New("no host")
	}
	return nil
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

// isXML reports whether a Content-Type names TwiML's media types.
func isXML(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "text/xml" || mt == "application/xml")
}

// discard reads and drops at most n bytes of body, ignoring errors, and
// closes it.
func discard(body io.ReadCloser, n int64) {
	io.Copy(io.Discard, io.LimitReader(body, n))
	body.Close()
}
