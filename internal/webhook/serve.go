package webhook

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// remoteAddr is the client address in-process handlers see: TEST-NET-1,
// as in httptest.NewRequest.
const remoteAddr = "192.0.2.1:1234"

// errBodyLimit is what a handler's Write returns once it has written
// more than the Fetcher reads: the other side has hung up.
var errBodyLimit = errors.New("webhook: client stopped reading after the size limit")

// serve answers the request with the in-process handler, as net/http's
// server would present the request and send the answer.
func (f *Fetcher) serve(ctx context.Context, x *exchange, target *url.URL, header http.Header, body string) (*answer, error) {
	sr, err := f.serverRequest(ctx, x, target, header, body)
	if err != nil {
		return nil, err
	}
	w := &recorder{ctx: ctx, header: http.Header{}, limit: f.maxBody + 1}
	if err := serveHTTP(f.handler, w, sr); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		// The handler took longer than the time allowed: the answer,
		// complete or not, came too late.
		return nil, err
	}
	w.WriteHeader(http.StatusOK)
	w.commit()
	return &answer{status: w.status, header: w.sent, length: -1, data: w.body}, nil
}

// serveHTTP runs the handler, turning a panic into the broken connection
// a client of a real server would see.
func serveHTTP(h http.Handler, w http.ResponseWriter, r *http.Request) (err error) {
	defer func() {
		switch p := recover(); p {
		case nil:
		case http.ErrAbortHandler:
			err = errors.New("connection closed by the handler")
		default:
			err = fmt.Errorf("connection closed: handler panicked: %v", p)
		}
	}()
	h.ServeHTTP(w, r)
	return nil
}

// serverRequest returns the request a server would hand its handler when
// a client sent x's method to target with header (which it takes) and body.
func (f *Fetcher) serverRequest(ctx context.Context, x *exchange, target *url.URL, header http.Header, body string) (*http.Request, error) {
	uri := target.RequestURI()
	u, err := url.ParseRequestURI(uri)
	if err != nil {
		return nil, err
	}
	sr := http.Request{
		Method:     x.method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     header,
		Body:       http.NoBody,
		Host:       removeEmptyPort(target.Host),
		RemoteAddr: remoteAddr,
		RequestURI: uri,
	}
	if body != "" {
		sr.Body = io.NopCloser(strings.NewReader(body))
		sr.ContentLength = int64(len(body))
	}
	f.authorize(&sr, x, target)
	if target.Scheme == "https" {
		sr.TLS = &tls.ConnectionState{
			Version:           tls.VersionTLS13,
			HandshakeComplete: true,
			ServerName:        target.Hostname(),
		}
	}
	return sr.WithContext(ctx), nil
}

// removeEmptyPort strips a trailing colon with no port after it from a
// host, as http.NewRequest does.
func removeEmptyPort(host string) string {
	if strings.LastIndexByte(host, ':') > strings.LastIndexByte(host, ']') {
		return strings.TrimSuffix(host, ":")
	}
	return host
}

// recorder is the http.ResponseWriter of in-process handlers. It keeps at
// most limit bytes of body and refuses writes once ctx is done.
type recorder struct {
	ctx       context.Context
	header    http.Header // the handler's, from Header
	sent      http.Header // as sent: fixed at WriteHeader
	status    int
	body      []byte
	limit     int64
	committed bool
}

// Header returns the header map the handler fills in.
func (w *recorder) Header() http.Header { return w.header }

// WriteHeader fixes the status and the headers, as the server does;
// informational statuses are ignored, later calls have no effect.
func (w *recorder) WriteHeader(code int) {
	if w.status != 0 || (code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols) {
		return
	}
	w.status = code
	w.sent = w.header.Clone()
}

// Write adds to the body, up to the limit.
func (w *recorder) Write(p []byte) (int, error) {
	if err := w.ctx.Err(); err != nil {
		return 0, err
	}
	w.WriteHeader(http.StatusOK)
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	if room := w.limit - int64(len(w.body)); int64(len(p)) > room {
		w.body = append(w.body, p[:room]...)
		return int(room), errBodyLimit
	}
	w.body = append(w.body, p...)
	return len(p), nil
}

// Flush sends the headers, as the server's Flush does.
func (w *recorder) Flush() {
	w.WriteHeader(http.StatusOK)
	w.commit()
}

// commit completes the headers when they would go on the wire: like the
// server, it sniffs a Content-Type the handler did not set (not even to
// nil) from the start of the body, if there is any.
func (w *recorder) commit() {
	if w.committed {
		return
	}
	w.committed = true
	if _, ok := w.sent["Content-Type"]; !ok && len(w.body) > 0 && bodyAllowed(w.status) {
		w.sent.Set("Content-Type", http.DetectContentType(w.body))
	}
}

// bodyAllowed reports whether an answer with status may have a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
