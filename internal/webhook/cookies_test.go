package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/internal/webhook"
)

// step is one request of a call, and the Cookie header the application
// must see on it.
type step struct {
	notify bool   // a status callback, else a TwiML request
	jar    string // Request.Jar
	at     time.Duration
	zero   bool // Request.Time left zero (at is then unused)
	path   string
	want   string
}

func TestCookieJars(t *testing.T) {
	epoch := fake.Epoch
	tests := []struct {
		name  string
		steps []step
	}{
		{
			name: "a call's TwiML requests share cookies",
			steps: []step{
				{jar: "CA1", path: "/set?c=a"},
				{jar: "CA1", path: "/gather", want: "a=1"},
			},
		},
		{
			name: "a dialed leg does not see the caller's cookies, nor the caller the leg's",
			steps: []step{
				{jar: "CA1", path: "/set?c=a"},
				{jar: "CA2", path: "/whisper"},
				{jar: "CA2", path: "/set?c=b"},
				{jar: "CA2", path: "/whisper", want: "b=1"},
				{jar: "CA1", path: "/action", want: "a=1"},
			},
		},
		{
			name: "status callbacks keep their own cookies",
			steps: []step{
				{jar: "CA1", path: "/set?c=a"},
				{notify: true, jar: "CA1", path: "/status"},
				{notify: true, jar: "CA1", path: "/set?c=s"},
				{notify: true, jar: "CA1", path: "/status", want: "s=1"},
				{jar: "CA1", path: "/gather", want: "a=1"},
			},
		},
		{
			name: "no jar name is one jar",
			steps: []step{
				{path: "/set?c=a"},
				{path: "/gather", want: "a=1"},
			},
		},
		{
			name: "Max-Age counts in the call's time",
			steps: []step{
				{jar: "CA1", path: "/set?c=a&maxage=60"},
				{jar: "CA1", at: 59 * time.Second, path: "/gather", want: "a=1"},
				{jar: "CA1", at: 60 * time.Second, path: "/gather"},
			},
		},
		{
			name: "Expires counts in the call's time",
			steps: []step{
				{jar: "CA1", path: "/set?c=a&expires=30"},
				{jar: "CA1", at: 29 * time.Second, path: "/gather", want: "a=1"},
				{jar: "CA1", at: 31 * time.Second, path: "/gather"},
			},
		},
		{
			name: "a zero Time is the jars' epoch, fake.Epoch, not the real time",
			steps: []step{
				{jar: "CA1", zero: true, path: "/set?c=a&expires=30"},
				{jar: "CA1", zero: true, path: "/gather", want: "a=1"},
				{jar: "CA1", at: 31 * time.Second, path: "/gather"},
			},
		},
		{
			name: "a cookie is deleted by Max-Age=0 and by a past Expires",
			steps: []step{
				{jar: "CA1", path: "/set?c=a"},
				{jar: "CA1", path: "/set?c=b", want: "a=1"},
				{jar: "CA1", path: "/set?c=a&maxage=-1", want: "a=1; b=1"},
				{jar: "CA1", path: "/set?c=b&expires=-1", want: "b=1"},
				{jar: "CA1", path: "/gather"},
			},
		},
		{
			name: "path and replacement",
			steps: []step{
				{jar: "CA1", path: "/set?c=a"},
				{jar: "CA1", path: "/set?c=a&path=/deep&v=2", want: "a=1"},
				{jar: "CA1", path: "/deep/x", want: "a=2; a=1"},
				{jar: "CA1", path: "/deeper", want: "a=1"}, // not within /deep
				{jar: "CA1", path: "/set?c=a&v=3", want: "a=1"},
				{jar: "CA1", path: "/gather", want: "a=3"},
			},
		},
	}
	for _, rt := range routes {
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				var l visits
				base, cfg := rt.start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					l.record(r)
					q := r.URL.Query()
					if c := q.Get("c"); c != "" {
						v := q.Get("v")
						if v == "" {
							v = "1"
						}
						path := q.Get("path")
						if path == "" {
							path = "/"
						}
						hc := &http.Cookie{Name: c, Value: v, Path: path}
						switch q.Get("maxage") {
						case "60":
							hc.MaxAge = 60
						case "-1":
							hc.MaxAge = -1
						}
						switch q.Get("expires") {
						case "30":
							hc.Expires = epoch.Add(30 * time.Second)
						case "-1":
							hc.Expires = time.Unix(1, 0)
						}
						http.SetCookie(w, hc)
					}
					answer(w, twiml)
				}))
				f := webhook.New(cfg)
				var want []string
				for _, s := range tt.steps {
					req := webhook.Request{URL: base + s.path, Jar: s.jar, Time: epoch.Add(s.at)}
					if s.zero {
						req.Time = time.Time{}
					}
					var err error
					if s.notify {
						err = f.Notify(context.Background(), req)
					} else {
						_, err = f.Do(context.Background(), req)
					}
					if err != nil {
						t.Fatalf("%s: %v", s.path, err)
					}
					want = append(want, s.want)
				}
				var got []string
				for _, s := range l.all() {
					got = append(got, s.Cookie)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Cookie headers (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// A hostile application cannot make a jar grow without bound.
func TestCookieJarBounded(t *testing.T) {
	var sent int
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent = len(r.Cookies())
		if r.URL.Path == "/set" {
			for i := range 500 {
				http.SetCookie(w, &http.Cookie{Name: fmt.Sprintf("c%d", i), Value: "v", Path: "/"})
			}
		}
		answer(w, twiml)
	})
	f := webhook.New(webhook.Config{Handler: app})
	for _, path := range []string{"/set", "/count"} {
		if _, err := f.Do(context.Background(), webhook.Request{URL: "http://app.test" + path}); err != nil {
			t.Fatal(err)
		}
	}
	if sent != 50 {
		t.Errorf("cookies sent after 500 were set = %d, want 50 (the jar's bound)", sent)
	}
}

func TestCookieDomains(t *testing.T) {
	tests := []struct {
		name   string
		set    string // the Set-Cookie header of http://app.test/set
		url    string // requested next
		cookie string // what it carries
	}{
		{"host cookie, same host", "a=1", "http://app.test/x", "a=1"},
		{"host cookie, not to a subdomain", "a=1", "http://sub.app.test/x", ""},
		{"domain cookie, to a subdomain", "a=1; Domain=app.test", "http://sub.app.test/x", "a=1"},
		{"domain cookie with a leading dot", "a=1; Domain=.APP.test", "http://sub.app.test/x", "a=1"},
		{"another domain is refused", "a=1; Domain=other.test", "http://other.test/x", ""},
		{"a top-level domain is refused", "a=1; Domain=test", "http://other.test/x", ""},
		{"a subdomain of the host is refused", "a=1; Domain=sub.app.test", "http://sub.app.test/x", ""},
		{"Secure, not over http", "a=1; Secure", "http://app.test/x", ""},
		{"Secure, over https", "a=1; Secure", "https://app.test/x", "a=1"},
		{"default path is the directory", "a=1", "http://app.test/elsewhere", "a=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/set" {
					w.Header().Set("Set-Cookie", tt.set)
				}
				got = r.Header.Get("Cookie")
				answer(w, twiml)
			})
			f := webhook.New(webhook.Config{Handler: app})
			for _, u := range []string{"http://app.test/set", tt.url} {
				if _, err := f.Do(context.Background(), webhook.Request{URL: u}); err != nil {
					t.Fatal(err)
				}
			}
			if got != tt.cookie {
				t.Errorf("Cookie = %q, want %q", got, tt.cookie)
			}
		})
	}
}
