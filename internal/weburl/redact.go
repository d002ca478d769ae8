package weburl

import "strings"

// Redact returns s with the user information of every URL in it removed:
// "app http://user:secret@host/voice" gives "app http://host/voice". s may
// be a URL, a message holding URLs, or a URL that does not parse: a URL is
// any "://" and the characters after it up to a '/', '?', '#', a space, a
// quote or a bracket, and its user information is all of them up to the
// last '@'. Passwords and tokens in URLs go no further than the request
// itself: not into transcripts, diagnostics or messages.
func Redact(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			break
		}
		i += len("://")
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexAny(s, "/?#\\ \t\r\n\"'`<>()[]{}")
		if end < 0 {
			end = len(s)
		}
		if at := strings.LastIndexByte(s[:end], '@'); at >= 0 {
			s = s[at+1:]
		}
	}
	b.WriteString(s)
	return b.String()
}
