package twiml

import (
	"errors"
	"strconv"
	"strings"
)

// Level is the severity of a Diagnostic, as Twilio logs it.
type Level int

const (
	// Warning means the element or attribute was skipped or its default was
	// used, and the document can still run.
	Warning Level = iota
	// Error means the document must not run: Twilio ends the call (or, for
	// whisper TwiML, the leg declines) instead of executing it. The
	// exception is an error about one Dial noun (13224 for a number that
	// cannot be dialed, 31105 for an invalid client name): that noun is not
	// dialed, the document runs, and the error is in Response.Warnings.
	Error
)

// String returns "WARNING" or "ERROR", the way Twilio's debugger writes levels.
func (l Level) String() string {
	switch l {
	case Warning:
		return "WARNING"
	case Error:
		return "ERROR"
	}
	return "Level(" + strconv.Itoa(int(l)) + ")"
}

// Codes of the diagnostics that are not about one attribute's value. They
// are Twilio's codes; the package documentation lists every code Parse uses.
const (
	CodeDocument      = 12100 // not well-formed XML, or over a limit
	CodeVersion       = 12101 // invalid version on <Response>
	CodeRoot          = 12102 // the root element is not <Response>
	CodeSchema        = 12200 // unknown element or attribute, bad nesting
	CodeDialInWhisper = 13201 // <Dial> in TwiML run on a dialed leg
	CodeNumberFormat  = 13223 // a phone number Twilio cannot read
	CodeNotDialable   = 13224 // a well-formed number that cannot be dialed
	CodeClientName    = 31105 // an invalid <Client> identity
)

// Diagnostic is one problem found in a TwiML document: its Twilio code,
// its level, and where it is. A Diagnostic is an error, so it can be returned,
// wrapped and found with errors.As.
type Diagnostic struct {
	// File names the document, as given in Options.File; empty if unknown.
	File string
	// Line is the 1-based line of the element (or attribute's element) the
	// diagnostic is about.
	Line int
	// Code is Twilio's error or warning code, such as 13223.
	Code int
	// Level says whether the document can still run.
	Level Level
	// Element names the element concerned the way Twilio's error dictionary
	// does: "Dial", or "Dial->Number" for a noun or prompt inside a verb. It is
	// empty for problems with the document as a whole.
	Element string
	// Message says what is wrong and what was done about it, in words a
	// person can act on, without the element or code.
	Message string
}

// Error formats the diagnostic as "file:line: code Element: message", for
// example `voice.xml:7: 13223 Dial: invalid phone number format "85-98"`;
// the file and element parts are left out when empty.
func (d Diagnostic) Error() string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		b.WriteByte(':')
	}
	b.WriteString(strconv.Itoa(d.Line))
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(d.Code))
	b.WriteByte(' ')
	b.WriteString(d.Text())
	return b.String()
}

// Text returns "Element: message", or just the message when Element is empty.
func (d Diagnostic) Text() string {
	if d.Element == "" {
		return d.Message
	}
	return d.Element + ": " + d.Message
}

// Diagnostics is the list of problems found in one document, in document
// order. Parse returns it as its error when the list holds an Error; a list of
// only warnings is Response.Warnings.
type Diagnostics []Diagnostic

// Error joins the diagnostics' Error strings, one a line.
func (ds Diagnostics) Error() string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns the error-level diagnostics, last first, so that
// errors.As(err, &d) with a Diagnostic d finds the error that stopped the
// document rather than an earlier one that only dropped a Dial noun.
func (ds Diagnostics) Unwrap() []error {
	var errs []error
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].Level == Error {
			errs = append(errs, ds[i])
		}
	}
	return errs
}

// HasErrors reports whether any diagnostic is an Error: the document must
// not run, or (for 13224 and 31105, see Level) one of its Dial nouns is not
// dialed.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Level == Error {
			return true
		}
	}
	return false
}

// DiagnosticsOf returns the diagnostics carried by err if err is, or wraps,
// a Diagnostics or a Diagnostic; otherwise it returns nil.
func DiagnosticsOf(err error) Diagnostics {
	var ds Diagnostics
	if errors.As(err, &ds) {
		return ds
	}
	var d Diagnostic
	if errors.As(err, &d) {
		return Diagnostics{d}
	}
	return nil
}
