package signature

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"io"
	"net/url"
	"slices"
	"strings"
)

// Header is the name of the HTTP header that carries the signature.
const Header = "X-Twilio-Signature"

// The errors of [Check] and [Request]. They are outcomes to test with
// errors.Is; a request that could not be read is reported with its own
// error, wrapped.
var (
	// ErrNoToken means the auth token to check against is empty: an
	// application whose token is not configured would otherwise accept
	// the requests of anyone who signs with an empty key.
	ErrNoToken = errors.New("signature: empty auth token")
	// ErrMissing means the request carries no signature.
	ErrMissing = errors.New("signature: no " + Header + " header")
	// ErrMismatch means the signature is not that of the request for
	// the auth token: another token signed it, or the URL or the
	// parameters were changed on the way.
	ErrMismatch = errors.New("signature: " + Header + " does not match the request")
)

// Sign returns the X-Twilio-Signature header value Twilio sends with a
// request to fullURL carrying params, for the account whose auth token is
// authToken.
//
// The signed text is fullURL followed, for each parameter name in byte
// order, by the name and its value (once per value, in order, for a
// repeated name), with no separators. For an https URL the port and any
// user:password are removed first; every other URL is signed exactly as
// written.
//
// For a POST request pass the form parameters; for a GET request pass the
// URL with its query string, parameters included, and nil params.
func Sign(authToken, fullURL string, params url.Values) string {
	return sign(authToken, signedURL(fullURL), params)
}

// Check reports whether sig is the X-Twilio-Signature of a request to
// fullURL carrying params, signed with authToken: nil if it is, else
// [ErrNoToken], [ErrMissing] (sig is empty) or [ErrMismatch]. It compares
// in constant time.
//
// Like Twilio's own validators, Check also accepts the signature of the
// URL with its port: the port fullURL names, or the scheme's default
// port (443, 80) when it names none. So an application validates the
// same way whether the URL it was configured with names the port or not.
func Check(authToken, fullURL string, params url.Values, sig string) error {
	switch {
	case authToken == "":
		return ErrNoToken
	case sig == "":
		return ErrMissing
	}
	got := []byte(sig)
	for _, u := range candidates(fullURL) {
		if hmac.Equal([]byte(sign(authToken, u, params)), got) {
			return nil
		}
	}
	return ErrMismatch
}

// sign computes the signature of u, taken as written, and params.
func sign(authToken, u string, params url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	io.WriteString(mac, u)
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

// parts splits a URL's text into its scheme, its authority without user
// information, and the rest (path, query, fragment), keeping each exact
// spelling. ok is false for text with no "scheme://".
func parts(raw string) (scheme, authority, tail string, ok bool) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "", "", "", false
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail = rest[:end], rest[end:]
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		authority = authority[i+1:]
	}
	return scheme, authority, tail, true
}

// signedURL returns the URL as Twilio signs it: https URLs lose their port
// and user information; every other URL is signed exactly as given. It
// works on the text, so the rest of the URL keeps its exact spelling.
func signedURL(raw string) string {
	scheme, authority, tail, ok := parts(raw)
	if !ok || !strings.EqualFold(scheme, "https") {
		return raw
	}
	host, _ := splitPort(authority)
	return scheme + "://" + host + tail
}

// candidates returns the spellings of raw whose signatures Check accepts:
// as Twilio signs it, without its port, and with its port (the scheme's
// default when it names none).
func candidates(raw string) []string {
	list := []string{signedURL(raw)}
	scheme, authority, tail, ok := parts(raw)
	if !ok {
		return list
	}
	host, port := splitPort(authority)
	if port == "" {
		switch strings.ToLower(scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	add := func(u string) {
		if !slices.Contains(list, u) {
			list = append(list, u)
		}
	}
	add(scheme + "://" + host + tail)
	if port != "" {
		add(scheme + "://" + host + ":" + port + tail)
	}
	return list
}

// splitPort splits host[:port], keeping an IPv6 literal's brackets.
func splitPort(hostport string) (host, port string) {
	if strings.HasPrefix(hostport, "[") {
		i := strings.IndexByte(hostport, ']')
		if i < 0 {
			return hostport, ""
		}
		host, rest := hostport[:i+1], hostport[i+1:]
		if p, ok := strings.CutPrefix(rest, ":"); ok {
			return host, p
		}
		return host, ""
	}
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
		return hostport[:i], hostport[i+1:]
	}
	return hostport, ""
}
