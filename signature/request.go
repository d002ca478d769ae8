package signature

import (
	"errors"
	"fmt"
	"net/http"
)

// Request checks the X-Twilio-Signature of r, a request an application
// received, against authToken, as Twilio's validators do: for a POST, the
// URL and the form parameters of the body; for any other method, the URL
// alone, its query holding the parameters. It returns nil for a valid
// signature, else [ErrNoToken], [ErrMissing], [ErrMismatch], or the error
// of reading the form (wrapped), such as *http.MaxBytesError for a body
// over a limit the application set.
//
// fullURL is the URL Twilio requested, query included. Empty means the
// URL r was received at, as [URL] computes it: right for a server that
// Twilio (or dialsim) reaches directly, wrong behind a proxy that changes
// the scheme, host or port.
//
// Request parses the form (r.ParseForm), so handlers after it read
// r.PostForm and r.Form as usual.
func Request(r *http.Request, authToken, fullURL string) error {
	if authToken == "" {
		return ErrNoToken
	}
	sig := r.Header.Get(Header)
	if sig == "" {
		return ErrMissing
	}
	if fullURL == "" {
		fullURL = URL(r)
	}
	if r.Method != http.MethodPost {
		return Check(authToken, fullURL, nil, sig)
	}
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("signature: reading the form: %w", err)
	}
	return Check(authToken, fullURL, r.PostForm, sig)
}

// URL returns the full URL r was received at: https if it came over TLS,
// else http, then its Host header and its request URI, query included.
func URL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.RequestURI()
}

// Handler returns a handler that passes to next only the requests whose
// signature [Request] accepts, with the URL they were received at. It
// answers 403 Forbidden to the others, and 400 Bad Request (or 413 for a
// body over a limit set with http.MaxBytesReader) when the form cannot
// be read.
func Handler(authToken string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := Request(r, authToken, ""); err != nil {
			http.Error(w, http.StatusText(Status(err)), Status(err))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Status returns the HTTP status an application answers when [Request]
// returns err: 200 OK for nil, 403 Forbidden for a signature that is
// missing or wrong (or no token to check it with), 413 Request Entity
// Too Large for a body over its limit, and 400 Bad Request for any other
// form that could not be read.
func Status(err error) int {
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, ErrNoToken), errors.Is(err, ErrMissing), errors.Is(err, ErrMismatch):
		return http.StatusForbidden
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge
	default:
		return http.StatusBadRequest
	}
}
