package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"io"
	"net/url"
	"slices"
	"strings"
)

// Sign returns the X-Twilio-Signature header value Twilio sends with a
// request to fullURL carrying params, for the account whose auth token is
// authToken.
//
// The signed text is fullURL followed, for each parameter name in byte
// order, by the name and its value (once per value, in order, for a
// repeated name), with no separators; the signature is the base64 (standard
// encoding) HMAC-SHA1 of that text keyed with authToken. For an https URL
// the port and any user:password are removed from the URL first, as Twilio
// does for HTTPS voice requests.
//
// For a POST request pass the form parameters; for a GET request pass the
// URL with its query string, parameters included, and nil params.
func Sign(authToken, fullURL string, params url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	io.WriteString(mac, signedURL(fullURL))
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, value := range params[name] {
			io.WriteString(mac, name)
			io.WriteString(mac, value)
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Valid reports whether signature is the X-Twilio-Signature of a request
// to fullURL carrying params, as computed by [Sign]. It compares in
// constant time, so applications can use it to authenticate requests.
func Valid(authToken, fullURL string, params url.Values, signature string) bool {
	want := Sign(authToken, fullURL, params)
	return hmac.Equal([]byte(want), []byte(signature))
}

// signedURL returns the URL as Twilio signs it: https URLs lose their port
// and user information; every other URL is signed exactly as given. It
// works on the text, so the rest of the URL keeps its exact spelling.
func signedURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || !strings.EqualFold(scheme, "https") {
		return raw
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		authority = authority[i+1:]
	}
	return scheme + "://" + withoutPort(authority) + tail
}

// withoutPort returns host[:port] without the port, keeping an IPv6
// literal's brackets.
func withoutPort(hostport string) string {
	if strings.HasPrefix(hostport, "[") {
		if i := strings.IndexByte(hostport, ']'); i >= 0 {
			return hostport[:i+1]
		}
		return hostport
	}
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
		return hostport[:i]
	}
	return hostport
}
