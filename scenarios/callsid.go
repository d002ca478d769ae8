package scenarios

import "strings"

// validCallSID reports whether sid is a call SID as Twilio writes one:
// "CA" and 32 lower-case hexadecimal digits.
func validCallSID(sid string) bool {
	hex, ok := strings.CutPrefix(sid, "CA")
	if !ok || len(hex) != 32 {
		return false
	}
	for _, c := range []byte(hex) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
