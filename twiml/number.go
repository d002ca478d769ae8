package twiml

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// numberFormatting are the characters allowed, and dropped, between the
// digits of a phone number: "(415) 555-1212", "415.555.1212".
const numberFormatting = " -.()\t"

// maxE164Digits is the most digits an E.164 number has, country code
// included (Recommendation E.164, and Twilio's warning 13223).
const maxE164Digits = 15

// minNationalDigits is the fewest digits after the country code: the
// shortest numbers in use (Niue's, +683 and four digits) have four.
const minNationalDigits = 4

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
	if code, reason := undialable(d); code != 0 {
		return "", code, reason
	}
	return "+" + d, 0, ""
}

// undialable returns why the E.164 digits d (without "+") cannot be
// dialed, with its code, or 0 and "".
func undialable(d string) (code int, reason string) {
	if len(d) > maxE164Digits {
		return CodeNumberFormat, fmt.Sprintf("an E.164 number has at most %d digits, not %d", maxE164Digits, len(d))
	}
	if d == "" {
		return CodeNumberFormat, "the number has no digits"
	}
	if d[0] == '0' {
		return CodeNotDialable, "no country code starts with 0"
	}
	cc := countryCode(d)
	if cc == "" {
		return CodeNotDialable, fmt.Sprintf("+%s starts with no country calling code in use", clip(d, 3))
	}
	if cc == "1" {
		if reason := nanp(d); reason != "" {
			return CodeNotDialable, reason
		}
		return 0, ""
	}
	if n := len(d) - len(cc); n < minNationalDigits {
		return CodeNotDialable, fmt.Sprintf("a number has at least %d digits after its country code +%s, not %d", minNationalDigits, cc, n)
	}
	return 0, ""
}

// nanp returns why the digits d of a +1 number are not a number of the
// North American Numbering Plan (+1 NPA NXX XXXX), or "". It checks the
// form of the area code, not whether it is assigned, so the +1 555
// numbers of examples everywhere are dialable.
func nanp(d string) string {
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

// IsPhoneNumber reports whether s is a phone number in the form a Number's
// Address has: "+", a country calling code in use, and at most 15 digits
// in all, without spaces or other formatting, such as "+14155551212". It
// is the test for a Dial's CallerID when a client calls a <Number>, which
// needs a phone number as caller ID (warning 13214).
func IsPhoneNumber(s string) bool {
	e164, code, _ := normalizeNumber(s)
	return code == 0 && e164 == s
}

// MaxClientLength is the longest client identity, in characters (Unicode
// code points), not bytes: Twilio's rule counts characters, so 256
// characters of "é" (512 bytes of UTF-8) are a valid identity.
const MaxClientLength = 256

// ErrClientName is the error every ValidClient error wraps; its code is
// 31105 (CodeClientName).
var ErrClientName = errors.New("invalid client name")

// ErrPhoneNumber is the error ValidAddress wraps for an address that is
// not a phone number in E.164 form.
var ErrPhoneNumber = errors.New("invalid phone number")

// ValidClient reports whether name is a valid client identity, as Twilio
// accepts in <Client> and in "client:" addresses: 1 to MaxClientLength
// characters of valid UTF-8, none of them a control character, white
// space, a delimiter (< > # % ") or an "unwise" character ({ } | \ ^ [ ]
// `) of RFC 2396. It returns nil, or an error wrapping ErrClientName that
// says what is wrong (error 31105). The name is taken as given: <Client>
// trims surrounding white space before it checks.
func ValidClient(name string) error {
	if reason := badClientName(name); reason != "" {
		return fmt.Errorf("%w %q: %s", ErrClientName, clip(name, 40), reason)
	}
	return nil
}

// ValidAddress reports whether addr is an address as the Address of a
// Number or a Client reads: a phone number for which IsPhoneNumber is true,
// or "client:" and a name ValidClient accepts. It returns nil, or an error
// wrapping ErrPhoneNumber or ErrClientName.
func ValidAddress(addr string) error {
	if name, ok := strings.CutPrefix(addr, "client:"); ok {
		return ValidClient(name)
	}
	e164, code, reason := normalizeNumber(addr)
	switch {
	case code != 0:
		return fmt.Errorf("%w %q: %s", ErrPhoneNumber, clip(addr, 30), reason)
	case e164 != addr:
		return fmt.Errorf("%w %q: write it in E.164 form, %s", ErrPhoneNumber, clip(addr, 30), e164)
	}
	return nil
}

// badClientName returns why id is not a valid client identity, or "".
func badClientName(id string) string {
	if id == "" {
		return "the client identity is empty"
	}
	if !utf8.ValidString(id) {
		return "the client identity is not valid UTF-8"
	}
	if n := utf8.RuneCountInString(id); n > MaxClientLength {
		return fmt.Sprintf("a client identity has at most %d characters, not %d", MaxClientLength, n)
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
