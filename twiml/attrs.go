package twiml

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dialsim/dialsim/internal/weburl"
)

// attr is one attribute an element accepts: its name, the code reported
// for an invalid value, and how to check and store a value. The element's
// struct holds the default before the attributes are applied, so an invalid
// value simply leaves it there.
type attr struct {
	name string
	// code is reported for an invalid value; 0 means CodeSchema.
	code int
	// set stores v if it is valid and returns "", or returns what a valid
	// value looks like.
	set func(v string) (want string)
	// def describes the default for messages.
	def string
	// fatal makes an invalid value an error that stops the document
	// rather than a warning.
	fatal bool
}

// applyAttrs applies the attributes of n to the fields bound in spec,
// reporting unknown attributes and invalid values as warnings.
func (p *parser) applyAttrs(n *node, element string, spec []attr) {
	for _, a := range n.attrs {
		if ignoredAttr(a.Name) {
			continue
		}
		name := a.Name.Local
		i := -1
		if a.Name.Space == "" {
			i = slices.IndexFunc(spec, func(s attr) bool { return s.name == name })
		}
		if i < 0 {
			msg := fmt.Sprintf("unknown attribute %s; it is ignored", qualified(a.Name))
			for _, s := range spec {
				if strings.EqualFold(s.name, name) {
					msg = fmt.Sprintf("unknown attribute %s (attribute names are case-sensitive: did you mean %s?); it is ignored", name, s.name)
					break
				}
			}
			p.warn(CodeSchema, n.line, element, "%s", msg)
			continue
		}
		s := spec[i]
		if want := s.set(a.Value); want != "" {
			code := s.code
			if code == 0 {
				code = CodeSchema
			}
			if s.fatal {
				p.fail(code, n.line, element, "invalid %s value %q: %s", name, clip(a.Value, 40), want)
			}
			p.warn(code, n.line, element, "invalid %s value %q: %s; using %s", name, clip(a.Value, 40), want, s.def)
		}
	}
}

// ignoredAttr reports whether an attribute is XML machinery rather than
// TwiML: namespace declarations and xml:lang or xml:space.
func ignoredAttr(n xml.Name) bool {
	return n.Space == "xmlns" || (n.Space == "" && n.Local == "xmlns") ||
		n.Space == "xml" || n.Space == "http://www.w3.org/XML/1998/namespace"
}

// described returns a with its default described as def in messages.
func described(a attr, def string) attr {
	a.def = def
	return a
}

// str accepts any value.
func str(name string, field *string) attr {
	return attr{name: name, set: func(v string) string {
		*field = v
		return ""
	}}
}

// method accepts GET or POST, in any case, stored in upper case.
func method(name string, field *string, code int) attr {
	return attr{name: name, code: code, def: strconv.Quote(*field), set: func(v string) string {
		m := strings.ToUpper(strings.TrimSpace(v))
		if m != "GET" && m != "POST" {
			return "it must be GET or POST"
		}
		*field = m
		return ""
	}}
}

// boolean accepts true or false, in any case.
func boolean(name string, field *bool, code int) attr {
	return attr{name: name, code: code, def: strconv.FormatBool(*field), set: func(v string) string {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			*field = true
		case "false":
			*field = false
		default:
			return "it must be true or false"
		}
		return ""
	}}
}

// integer accepts a decimal integer from lo to hi.
func integer(name string, field *int, lo, hi, code int) attr {
	return attr{name: name, code: code, def: strconv.Itoa(*field), set: func(v string) string {
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < lo || i > hi {
			if hi == maxInt {
				return fmt.Sprintf("it must be a whole number of at least %d", lo)
			}
			return fmt.Sprintf("it must be a whole number from %d to %d", lo, hi)
		}
		*field = i
		return ""
	}}
}

const maxInt = int(^uint(0) >> 1)

// enum accepts one of the values given (exactly as written).
func enum(name string, field *string, code int, values ...string) attr {
	return attr{name: name, code: code, def: strconv.Quote(*field), set: func(v string) string {
		v = strings.TrimSpace(v)
		if !slices.Contains(values, v) {
			return "it must be one of " + strings.Join(values, ", ")
		}
		*field = v
		return ""
	}}
}

// list accepts a space- or comma-separated list of the values given.
func list(name string, field *[]string, code int, values ...string) attr {
	def := "none"
	if *field != nil {
		def = strconv.Quote(strings.Join(*field, " "))
	}
	return attr{name: name, code: code, def: def, set: func(v string) string {
		items := strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' || r == '\r' })
		for _, it := range items {
			if len(values) > 0 && !slices.Contains(values, it) {
				return "each item must be one of " + strings.Join(values, ", ")
			}
		}
		if len(items) == 0 {
			return "it must not be empty"
		}
		*field = items
		return ""
	}}
}

// digits accepts characters from the set given, and the empty string when
// empty is true.
func digits(name string, field *string, code int, set string, empty bool) attr {
	return attr{name: name, code: code, def: strconv.Quote(*field), set: func(v string) string {
		if v == "" && !empty {
			return "it must not be empty"
		}
		for _, r := range v {
			if !strings.ContainsRune(set, r) {
				return "it may only hold the characters " + set
			}
		}
		*field = v
		return ""
	}}
}

// fatal returns a with an invalid value reported as an error that stops
// the document, for the attributes whose code Twilio logs at level ERROR.
func fatal(a attr) attr {
	a.fatal = true
	return a
}

// urlRef accepts a URL as written in TwiML: a relative reference, resolved
// against the document's URL, or an absolute http or https URL.
func urlRef(name string, field *string, code int) attr {
	return attr{name: name, code: code, def: "none", set: func(v string) string {
		if err := weburl.CheckRef(v); err != nil {
			return "it must be a relative URL or an absolute http or https URL (" + err.Error() + ")"
		}
		*field = v
		return ""
	}}
}
