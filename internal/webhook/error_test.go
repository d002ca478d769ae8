package webhook_test

import (
	"errors"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/dialsim/dialsim/internal/webhook"
)

// TestErrorMessage: an Error's message never shows the URL's user
// information, nor the addresses of a failed connection.
func TestErrorMessage(t *testing.T) {
	refused := &url.Error{Op: "Post", URL: "http://AC1:***@127.0.0.1:5555/voice", Err: &net.OpError{
		Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5555},
		Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	for _, tt := range []struct {
		err  *webhook.Error
		want string
	}{
		{&webhook.Error{Code: 11205, URL: "/voice", Err: refused}, "11205 HTTP connection failure: /voice: connect: connection refused"},
		{&webhook.Error{Code: 11217, URL: "http://AC1:tok@app.test/voice", Status: 500}, "11217 HTTP error response code: http://app.test/voice answered 500 Internal Server Error"},
		{&webhook.Error{Code: 11200, URL: "https://u:p@a.test/x", Status: 302, Err: errors.New(`redirect to "http://u:p@b.test/": bad`)},
			`11200 HTTP retrieval failure: https://a.test/x answered 302 Found: redirect to "http://b.test/": bad`},
		{&webhook.Error{Code: 11210, URL: "http://no.such.test/v", Err: &net.DNSError{Err: "no such host", Name: "no.such.test"}}, "11210 HTTP bad host name: http://no.such.test/v: no such host"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q\nwant      %q", got, tt.want)
		}
	}
}
