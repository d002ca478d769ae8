package engine

import (
	"errors"
	"net"

	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/internal/weburl"
)

// ErrUnreachable is in the chain of the error Call returns when the
// application cannot be reached at all: see UnreachableError.
var ErrUnreachable = errors.New("the application cannot be reached")

// UnreachableError is the error Call returns when the call's first
// request, the voice URL's, could not connect: nothing listens at its
// address (connection refused) or its host name does not resolve. The
// call has still run as Twilio's would (a diagnostic 11205 or 11210, then
// the fallback, if any) and the Result holds its whole transcript; the
// error says that the run, not the application, went wrong: an
// application that is not running is not behaviour worth recording.
//
// Only the first request counts. A first request that connects and then
// fails (a timeout, a 500, a broken answer) shows the application's
// behaviour, and so does any later request that cannot connect (an
// action URL on a host that is down): those are diagnostics in the
// transcript only, as Twilio logs them.
type UnreachableError struct {
	// URL is the URL requested, without any user information.
	URL string
	// Code is the diagnostic's Twilio code: 11205 (connection failure)
	// or 11210 (bad host name).
	Code int
	// Err is the failure of the request.
	Err error
}

// Error returns a message naming the URL and the failure.
func (e *UnreachableError) Error() string {
	return "cannot reach the application at " + e.URL + ": " + e.Err.Error()
}

// Unwrap returns ErrUnreachable and the failure, so that errors.Is finds
// either.
func (e *UnreachableError) Unwrap() []error { return []error{ErrUnreachable, e.Err} }

// unreachable returns the UnreachableError of a request to rawURL that
// failed with err, or nil if the request reached the application: a
// failure to connect (a dial error, not a timeout) or to resolve the host.
func unreachable(rawURL string, err error) *UnreachableError {
	rawURL = weburl.Redact(rawURL) // the error is printed: no password in it
	var we *webhook.Error
	if !errors.As(err, &we) {
		return nil
	}
	switch we.Code {
	case 11210:
		return &UnreachableError{URL: rawURL, Code: we.Code, Err: err}
	case 11205:
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" && !op.Timeout() {
			return &UnreachableError{URL: rawURL, Code: we.Code, Err: err}
		}
	}
	return nil
}
