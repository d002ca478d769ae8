package webhook_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/internal/webhook"
)

// keepAliveCloser is a loopback server that answers the first request on
// each connection, keeping it alive, and closes the connection on the
// next request without answering it: what a server whose keep-alive
// timeout fell just as the request arrived does, deterministically.
type keepAliveCloser struct {
	ln  net.Listener
	wg  sync.WaitGroup
	mu  sync.Mutex
	log []string // "conn N: METHOD PATH BODY idempotency-key=..."
}

func newKeepAliveCloser(t *testing.T) *keepAliveCloser {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &keepAliveCloser{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for n := 1; ; n++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(n, c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *keepAliveCloser) serve(n int, c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for i := 0; ; i++ {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		body, _ := io.ReadAll(req.Body)
		_, key := req.Header["Idempotency-Key"]
		s.mu.Lock()
		s.log = append(s.log, fmt.Sprintf("conn %d: %s %s %s idempotency-key=%v", n, req.Method, req.URL.Path, body, key))
		s.mu.Unlock()
		if i > 0 {
			return // closed under the client's feet
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: "+fmt.Sprint(len(twiml))+"\r\n\r\n"+twiml)
	}
}

func (s *keepAliveCloser) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

func TestPostRetriedOnClosedKeepAlive(t *testing.T) {
	tests := []struct {
		name   string
		notify bool
		method string
	}{
		{"status callbacks", true, "POST"},
		{"TwiML requests", false, "POST"},
		{"GET", false, "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newKeepAliveCloser(t)
			transport := &http.Transport{}
			t.Cleanup(transport.CloseIdleConnections)
			f := webhook.New(webhook.Config{Client: &http.Client{Transport: transport}, AuthToken: token})
			for _, status := range []string{"ringing", "completed"} {
				req := webhook.Request{
					Method: tt.method,
					URL:    "http://" + srv.ln.Addr().String() + "/status",
					Params: url.Values{"CallStatus": {status}},
				}
				var err error
				if tt.notify {
					err = f.Notify(context.Background(), req)
				} else {
					_, err = f.Do(context.Background(), req)
				}
				if err != nil {
					t.Fatalf("request with CallStatus=%s: %v", status, err)
				}
			}
			want := []string{
				"conn 1: POST /status CallStatus=ringing idempotency-key=false",
				"conn 1: POST /status CallStatus=completed idempotency-key=false",
				"conn 2: POST /status CallStatus=completed idempotency-key=false",
			}
			if tt.method == "GET" {
				want = []string{
					"conn 1: GET /status  idempotency-key=false",
					"conn 1: GET /status  idempotency-key=false",
					"conn 2: GET /status  idempotency-key=false",
				}
			}
			if diff := cmp.Diff(want, srv.seen()); diff != "" {
				t.Errorf("server saw (-want +got):\n%s", diff)
			}
		})
	}
}
