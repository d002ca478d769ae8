package webhook

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// maxCookies is how many cookies one jar keeps: past it, the expired go
// first, then the oldest. A browser keeps at least 50 a domain (RFC 6265,
// section 6.1); a call talks to one application.
const maxCookies = 50

// jarKey names a jar: the call SID of the requests (Request.Jar) and
// whether they are status callbacks, whose cookies Twilio keeps apart
// from the TwiML requests' of the same call.
type jarKey struct {
	name     string
	callback bool
}

// jar keeps the cookies of one call's requests of one kind as a browser
// does (RFC 6265, sections 5.3 and 5.4), without a public suffix list, and
// counts their expiry against the instants the requests give, so that a
// Max-Age runs in the call's virtual time. It is safe for concurrent use.
type jar struct {
	mu      sync.Mutex
	entries []cookie
	seq     uint64 // creation order of the next cookie
}

// cookie is one stored cookie.
type cookie struct {
	name, value string
	quoted      bool
	domain      string // lower case, without a leading dot
	hostOnly    bool   // sent to domain alone, not to its subdomains
	path        string
	secure      bool
	expires     time.Time // zero: kept for the whole call
	seq         uint64
}

// expired reports whether c has expired at now.
func (c *cookie) expired(now time.Time) bool {
	return !c.expires.IsZero() && !c.expires.After(now)
}

// set stores the cookies an answer from u set at now.
func (j *jar) set(u *url.URL, cookies []*http.Cookie, now time.Time) {
	host := canonicalHost(u.Hostname())
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, hc := range cookies {
		if hc.Name == "" {
			continue
		}
		domain, hostOnly, ok := cookieDomain(host, hc.Domain)
		if !ok {
			continue // a domain the host cannot set: ignored, as browsers do
		}
		c := cookie{
			name: hc.Name, value: hc.Value, quoted: hc.Quoted,
			domain: domain, hostOnly: hostOnly, path: hc.Path, secure: hc.Secure,
		}
		if c.path == "" || c.path[0] != '/' {
			c.path = defaultPath(u.Path)
		}
		remove := false
		switch {
		case hc.MaxAge < 0: // Max-Age=0 or negative
			remove = true
		case hc.MaxAge > 0: // Max-Age takes precedence over Expires
			c.expires = now.Add(time.Duration(hc.MaxAge) * time.Second)
		case !hc.Expires.IsZero():
			c.expires = hc.Expires
			remove = c.expired(now)
		}
		i := slices.IndexFunc(j.entries, func(e cookie) bool {
			return e.name == c.name && e.domain == c.domain && e.path == c.path
		})
		switch {
		case i >= 0 && remove:
			j.entries = slices.Delete(j.entries, i, i+1)
		case i >= 0:
			c.seq = j.entries[i].seq // a replaced cookie keeps its creation time
			j.entries[i] = c
		case !remove:
			c.seq = j.seq
			j.seq++
			j.entries = append(j.entries, c)
			j.evict(now)
		}
	}
}

// evict drops cookies past maxCookies: the expired, then the oldest.
func (j *jar) evict(now time.Time) {
	if len(j.entries) <= maxCookies {
		return
	}
	j.entries = slices.DeleteFunc(j.entries, func(c cookie) bool { return c.expired(now) })
	if extra := len(j.entries) - maxCookies; extra > 0 {
		slices.SortStableFunc(j.entries, func(a, b cookie) int { return compareSeq(a.seq, b.seq) })
		j.entries = slices.Delete(j.entries, 0, extra)
	}
}

// cookies returns the cookies to send with a request to u at now: those
// whose domain, path and scheme match, longer paths first, then older
// first.
func (j *jar) cookies(u *url.URL, now time.Time) []*http.Cookie {
	host := canonicalHost(u.Hostname())
	path := u.Path
	if path == "" {
		path = "/"
	}
	https := u.Scheme == "https"
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = slices.DeleteFunc(j.entries, func(c cookie) bool { return c.expired(now) })
	var match []cookie
	for _, c := range j.entries {
		if (c.secure && !https) || !pathMatch(path, c.path) {
			continue
		}
		if c.hostOnly && host != c.domain || !c.hostOnly && !domainMatch(host, c.domain) {
			continue
		}
		match = append(match, c)
	}
	slices.SortStableFunc(match, func(a, b cookie) int {
		if len(a.path) != len(b.path) {
			return len(b.path) - len(a.path)
		}
		return compareSeq(a.seq, b.seq)
	})
	out := make([]*http.Cookie, len(match))
	for i, c := range match {
		out[i] = &http.Cookie{Name: c.name, Value: c.value, Quoted: c.quoted}
	}
	return out
}

func compareSeq(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// canonicalHost returns a host name as cookies compare it.
func canonicalHost(host string) string {
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// cookieDomain returns the domain a cookie set by host with the Domain
// attribute attr belongs to, whether it is for host alone, and whether
// host may set it at all. Without a public suffix list, a domain must
// have a dot in it (no "com"); an IP address sets host cookies only.
func cookieDomain(host, attr string) (domain string, hostOnly, ok bool) {
	if attr == "" {
		return host, true, true
	}
	domain = canonicalHost(strings.TrimPrefix(attr, "."))
	if net.ParseIP(host) != nil {
		return host, true, domain == host
	}
	if domain == host {
		return domain, false, true
	}
	if !strings.Contains(domain, ".") || !domainMatch(host, domain) {
		return "", false, false
	}
	return domain, false, true
}

// domainMatch reports whether host is domain or one of its subdomains.
func domainMatch(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, "."+domain) && net.ParseIP(host) == nil
}

// pathMatch reports whether a request path is within a cookie's path
// (RFC 6265, section 5.1.4).
func pathMatch(path, cookiePath string) bool {
	if path == cookiePath {
		return true
	}
	if !strings.HasPrefix(path, cookiePath) {
		return false
	}
	return strings.HasSuffix(cookiePath, "/") || path[len(cookiePath)] == '/'
}

// defaultPath is the path of a cookie set without one by an answer to a
// request for path: its directory (RFC 6265, section 5.1.4).
func defaultPath(path string) string {
	i := strings.LastIndexByte(path, '/')
	if i <= 0 {
		return "/"
	}
	return path[:i]
}
