package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/dialsim/dialsim/internal/weburl"
)

// Error is a failed request to the application, with the Twilio error
// code Twilio would log for it. The codes are:
//
//	11100  the URL is not an absolute http or https URL
//	11200  any other retrieval failure: malformed response, connection
//	       closed mid-body, a status that is neither 2xx, a followed
//	       redirect, 4xx nor 5xx, a redirect to an unusable Location
//	11205  connection failure: nobody listening, or no complete answer
//	       within the timeout
//	11210  bad host name: the name does not resolve
//	11215  more than ten redirects
//	11217  the application answered 4xx or 5xx
//	11750  the TwiML body is larger than the limit
//	11770  the TwiML body is empty
//	12300  the TwiML answer's Content-Type is none of those Twilio reads
//	       (TwiML, text/plain, audio), or names a charset dialsim
//	       cannot decode
type Error struct {
	// Code is Twilio's error code.
	Code int
	// URL is the URL being requested when the failure happened: after
	// redirects, the last one.
	URL string
	// Status is the HTTP status of the application's answer, or 0 if
	// there was none.
	Status int
	// Err is the underlying cause, or nil if Code and Status say it all.
	Err error
}

// Error returns a message such as
// "11217 HTTP error response code: http://app.test/voice answered 500 Internal Server Error".
// It never shows the URL's user information (a password or a token), and
// names a failure of the network by what failed ("connect: connection
// refused"), not by the addresses of the two ends.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(e.Code))
	if title := titles[e.Code]; title != "" {
		b.WriteString(" ")
		b.WriteString(title)
	}
	b.WriteString(": ")
	b.WriteString(weburl.Redact(e.URL))
	if e.Status != 0 {
		fmt.Fprintf(&b, " answered %d", e.Status)
		if text := http.StatusText(e.Status); text != "" {
			b.WriteString(" ")
			b.WriteString(text)
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(weburl.Redact(causeText(e.Err)))
	}
	return b.String()
}

// causeText describes err without the wrappers of net/http and net that
// name the URL again and the addresses of the connection: a *url.Error's
// cause, a *net.OpError's, an *os.SyscallError's name and cause (such as
// "connect: connection refused"), and a *net.DNSError's cause.
func causeText(err error) string {
	for {
		switch x := err.(type) {
		case *url.Error:
			err = x.Err
			continue
		case *net.OpError:
			if x.Err == nil {
				return x.Op
			}
			err = x.Err
			continue
		case *os.SyscallError:
			return x.Syscall + ": " + x.Err.Error()
		case *net.DNSError:
			return x.Err
		}
		return err.Error()
	}
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// titles are the names of the codes in Twilio's error dictionary.
var titles = map[int]string{
	11100: "Invalid URL format",
	11200: "HTTP retrieval failure",
	11205: "HTTP connection failure",
	11210: "HTTP bad host name",
	11215: "HTTP too many redirects",
	11217: "HTTP error response code",
	11750: "TwiML response body too large",
	11770: "Empty response body",
	12300: "Invalid Content-Type",
}

// errTimeout is the cause of a request's context when its time is up.
var errTimeout = errors.New("webhook: request timed out")

// transportError turns the failure of a request or of reading its body
// into the error Do and Notify return. ctx is the request's context. If
// the caller's own context ended, the result is not an *Error but wraps
// the context's cause, so the caller can tell its cancellation from the
// application's failures.
func (f *Fetcher) transportError(ctx context.Context, rawURL string, err error) error {
	cause := context.Cause(ctx)
	if ctx.Err() != nil && cause != errTimeout {
		return fmt.Errorf("webhook: request to %s abandoned: %w", weburl.Redact(rawURL), cause)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return &Error{Code: 11210, URL: rawURL, Err: err}
	}
	if cause == errTimeout {
		return &Error{Code: 11205, URL: rawURL, Err: fmt.Errorf("no complete answer within %v", f.timeout)}
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return &Error{Code: 11205, URL: rawURL, Err: err}
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return &Error{Code: 11205, URL: rawURL, Err: err}
	}
	return &Error{Code: 11200, URL: rawURL, Err: err}
}
