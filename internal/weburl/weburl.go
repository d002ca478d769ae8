// Package weburl holds dialsim's rules for the URLs of an application,
// written once for the packages that read them: the webhook client that
// requests documents, the engine that resolves a document's URLs against
// its own, twiml, which checks the URL attributes it has codes for, and
// the scenario files.
//
// A URL dialsim requests is absolute, http or https, with a host. A URL
// written in TwiML may be relative: it is resolved against the URL of the
// document that holds it, as Twilio does, and the result must be such a
// URL.
package weburl

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Check reports whether u can be requested: an http or https URL with a
// host. It returns nil or an error saying what is missing.
func Check(u *url.URL) error {
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

// Parse parses raw as a URL to request, which Check must accept. The
// fragment, which is never sent, is dropped.
func Parse(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if err := Check(u); err != nil {
		return nil, err
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// IsAbsolute reports whether raw is a URL that Parse accepts.
func IsAbsolute(raw string) bool {
	_, err := Parse(raw)
	return err == nil
}

// CheckRef reports whether ref, a URL as written in TwiML (surrounding
// white space ignored), can be requested once resolved against a
// document's http or https URL: a relative reference, or an absolute URL
// that Check accepts. Relative references are checked against the URL
// "https://example.com/", the host of which no reference can remove.
func CheckRef(ref string) error {
	base := &url.URL{Scheme: "https", Host: "example.com", Path: "/"}
	_, err := Resolve(base, ref)
	return err
}

// Resolve returns ref (surrounding white space ignored) resolved against
// base, or an error unless the result is a URL that Check accepts.
func Resolve(base *url.URL, ref string) (*url.URL, error) {
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return nil, err
	}
	u := base.ResolveReference(r)
	if err := Check(u); err != nil {
		return nil, err
	}
	return u, nil
}

// IsPath reports whether v is the path of a document of the application
// itself: it starts with a single "/" (not "//", which would name a host)
// and parses as a URL without a host, as "/voice" or "/menu?lang=en" do.
func IsPath(v string) bool {
	if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") {
		return false
	}
	u, err := url.Parse(v)
	return err == nil && u.Host == ""
}
