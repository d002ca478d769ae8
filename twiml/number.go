package twiml

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// numberFormatting are the characters allowed, and dropped, between the
// digits of a phone number: "(415) 555-1212", "415.555.1212".
const numberFormatting = " -.()\t"

// normalizeNumber returns the E.164 form of a phone number as written in
// TwiML. When it cannot, code is CodeNumberFormat or CodeNotDialable and
// reason says why. The rules are in the package documentation.
func normalizeNumber(s string) (e164 string, code int, reason string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", CodeNumberFormat, "the number is empty"
	}
	plus := strings.HasPrefix(s, "+")
	var digits strings.Builder
	for _, r := range strings.TrimPrefix(s, "+") {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case strings.ContainsRune(numberFormatting, r):
		default:
			return "", CodeNumberFormat, "use E.164 (+14155551212) or a 10-digit US number"
		}
	}
	d := digits.String()
	if !plus {
		switch {
		case len(d) == 10:
			d = "1" + d
		case len(d) == 11 && d[0] == '1':
		default:
			return "", CodeNumberFormat, "a number without + must be a 10-digit US number; write other numbers in E.164 (+442079460958)"
		}
	}
	if reason := undialable(d); reason != "" {
		return "", CodeNotDialable, reason
	}
	return "+" + d, 0, ""
}

// undialable returns why the E.164 digits d (without "+") cannot be
// dialed, or "".
func undialable(d string) string {
	switch {
	case len(d) < 8 || len(d) > 15:
		return fmt.Sprintf("an E.164 number has 8 to 15 digits, not %d", len(d))
	case d[0] == '0':
		return "no country code starts with 0"
	case d[0] != '1':
		return ""
	}
	// North American Numbering Plan: +1 NPA NXX XXXX.
	if len(d) != 11 {
		return fmt.Sprintf("a +1 number has 10 digits after the 1, not %d", len(d)-1)
	}
	area := d[1:4]
	switch {
	case area[0] == '0' || area[0] == '1':
		return "US area codes do not start with 0 or 1"
	case area[1:] == "11":
		return "N11 codes such as 411 and 911 are service codes, not area codes"
	case area == "900":
		return "900 numbers are premium-rate"
	}
	return ""
}

// clientNameLimit is the longest client identity, in characters.
const clientNameLimit = 256

// badClientName returns why id is not a valid client identity, or "".
func badClientName(id string) string {
	if id == "" {
		return "the client identity is empty"
	}
	if n := utf8.RuneCountInString(id); n > clientNameLimit {
		return fmt.Sprintf("a client identity has at most %d characters, not %d", clientNameLimit, n)
	}
	for _, r := range id {
		switch {
		case unicode.IsControl(r):
			return fmt.Sprintf("control character %U is not allowed", r)
		case unicode.IsSpace(r):
			return "spaces are not allowed"
		case strings.ContainsRune(`<>#%"`, r):
			return fmt.Sprintf("the delimiter %q is not allowed", r)
		case strings.ContainsRune("{}|\\^[]`", r):
			return fmt.Sprintf("the character %q is not allowed (it is unsafe in URIs)", r)
		}
	}
	return ""
}

// callerID returns the normalised form of a Dial's callerId: a phone number
// in E.164, or "client:" and a valid identity; ok is false otherwise.
func callerID(v string) (id string, ok bool) {
	v = strings.TrimSpace(v)
	if name, isClient := strings.CutPrefix(v, "client:"); isClient {
		return v, badClientName(name) == ""
	}
	e164, code, _ := normalizeNumber(v)
	return e164, code == 0
}
