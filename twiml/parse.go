package twiml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxDocumentSize is the largest TwiML document Twilio reads, 64 KiB: a
// longer answer to a TwiML request is error 11750 and is never parsed. It
// is the one definition of that limit for dialsim's webhook client and
// its check command; Parse itself reads documents of any size.
const MaxDocumentSize = 64 << 10

// Default limits of Options.
const (
	// DefaultMaxDepth is the deepest element nesting Parse accepts. TwiML
	// needs four levels (Response, Dial, Client, Parameter) plus SSML inside
	// Say.
	DefaultMaxDepth = 64
	// DefaultMaxNodes is the most elements and attributes, counted
	// together, that Parse accepts in a document. A document of
	// MaxDocumentSize holds a few thousand real ones.
	DefaultMaxNodes = 20000
)

// Options configures Parse. The zero value parses a call's main document
// with the default limits.
type Options struct {
	// Whisper parses the document as whisper TwiML: the document named by a
	// Number's, Client's or Sip's URL (or the action of a Gather in it),
	// which runs on the dialed party's leg before the bridge. There <Dial> is
	// error 13201, and verbs other than Say, Play, Pause, Gather, Hangup and
	// Reject are schema errors (12200, level Error).
	Whisper bool
	// File names the document in diagnostics, such as a path or URL; ""
	// leaves the name out.
	File string
	// MaxDepth is the deepest element nesting accepted; 0 means
	// DefaultMaxDepth. Deeper nesting is error 12100.
	MaxDepth int
	// MaxNodes is the most elements and attributes accepted, counted
	// together; 0 means DefaultMaxNodes. More is error 12100.
	MaxNodes int
}

// Parse parses and validates a TwiML voice document.
//
// If the document can run, Parse returns it with a nil error; any warnings,
// and the errors that only drop one Dial noun (13224, 31105), are in
// Response.Warnings. If it cannot (any other diagnostic of level Error),
// Parse returns a nil Response and a Diagnostics error listing that error
// and the diagnostics found before it: use errors.As with a Diagnostics to get them
// all, or with a Diagnostic to get the error. Parse never returns other
// errors.
//
// Parse reads at most MaxNodes elements and attributes, nested at most
// MaxDepth deep, so its time and memory are linear in len(data) whatever
// the input.
func Parse(data []byte, opts Options) (*Response, error) {
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	if opts.MaxNodes <= 0 {
		opts.MaxNodes = DefaultMaxNodes
	}
	p := &parser{opts: opts}
	resp, ok := p.parse(data)
	if !ok {
		return nil, p.diags
	}
	resp.Warnings = p.diags
	return resp, nil
}

// node is an element of the document tree built before validation.
type node struct {
	name  xml.Name
	attrs []xml.Attr
	line  int
	// body is the element's content in order: elements, and text pieces as
	// nodes with an empty name (adjacent text is merged).
	body []*node
	text []byte // for text nodes
}

func (n *node) isText() bool { return n.name.Local == "" }

// directText returns the element's own text, without its children's.
func (n *node) directText() string {
	var b strings.Builder
	for _, c := range n.body {
		if c.isText() {
			b.Write(c.text)
		}
	}
	return b.String()
}

// allText returns the element's text and all its descendants', in order.
func (n *node) allText(b *strings.Builder) {
	for _, c := range n.body {
		if c.isText() {
			b.Write(c.text)
		} else {
			c.allText(b)
		}
	}
}

// elements returns the child elements.
func (n *node) elements() []*node {
	var els []*node
	for _, c := range n.body {
		if !c.isText() {
			els = append(els, c)
		}
	}
	return els
}

// parser holds the state of one Parse call.
type parser struct {
	opts    Options
	diags   Diagnostics
	whisper bool
}

// stop is panicked by report when a diagnostic is an error, and recovered
// by parse: errors stop the parse.
type stop struct{}

// report records a diagnostic; an Error stops the parse.
func (p *parser) report(level Level, code, line int, element, format string, args ...any) {
	if line < 1 {
		line = 1
	}
	p.diags = append(p.diags, Diagnostic{
		File:    p.opts.File,
		Line:    line,
		Code:    code,
		Level:   level,
		Element: element,
		Message: fmt.Sprintf(format, args...),
	})
	if level == Error {
		panic(stop{})
	}
}

func (p *parser) warn(code, line int, element, format string, args ...any) {
	p.report(Warning, code, line, element, format, args...)
}

func (p *parser) fail(code, line int, element, format string, args ...any) {
	p.report(Error, code, line, element, format, args...)
}

// dropNoun records an error about one Dial noun (13224, 31105): Twilio
// logs it as an error, the noun is not dialed, and the document goes on.
func (p *parser) dropNoun(code, line int, element, format string, args ...any) {
	if line < 1 {
		line = 1
	}
	p.diags = append(p.diags, Diagnostic{
		File:    p.opts.File,
		Line:    line,
		Code:    code,
		Level:   Error,
		Element: element,
		Message: fmt.Sprintf(format, args...),
	})
}

// parse runs both phases; ok is false if an error stopped it.
func (p *parser) parse(data []byte) (resp *Response, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, isStop := r.(stop); !isStop {
				panic(r)
			}
			resp, ok = nil, false
		}
	}()
	root := p.tree(data)
	return p.response(root), true
}

// tree reads the document into a tree, checking that it is well-formed XML
// within the limits. Problems are error 12100 (or 12102 for a wrong root).
func (p *parser) tree(data []byte) *node {
	// A UTF-8 byte order mark may precede the XML declaration.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if len(bytes.TrimSpace(data)) == 0 {
		p.fail(CodeDocument, 1, "", "the document is empty; a TwiML document needs a <Response> element")
	}
	// The decoder reads up to the element that breaks the node limit.
	cut, cutLine := cutAtNodes(data, p.opts.MaxNodes)
	overLimit := func() {
		if cut < len(data) {
			p.fail(CodeDocument, cutLine, "", "the document has more than %d elements and attributes", p.opts.MaxNodes)
		}
	}
	d := xml.NewDecoder(bytes.NewReader(data[:cut]))
	d.Strict = true
	d.CharsetReader = charsetReader

	var (
		root     *node
		stack    []*node
		first    = true
		rootDone bool
	)
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if d.InputOffset() >= int64(cut) {
				overLimit()
			}
			p.syntaxError(err, line)
		}
		isFirst := first
		first = false
		switch t := tok.(type) {
		case xml.ProcInst:
			if t.Target == "xml" && !isFirst {
				p.fail(CodeDocument, line, "", "the XML declaration <?xml ...?> must come first in the document, with nothing (not even white space) before it")
			}
			if !utf8.Valid(t.Inst) {
				p.fail(CodeDocument, line, "", "invalid UTF-8 in a processing instruction")
			}
		case xml.Directive:
			p.fail(CodeDocument, line, "", "<!%s> is not allowed: TwiML documents may not have a DOCTYPE or declare entities", firstWord(t))
		case xml.Comment:
			if !utf8.Valid(t) {
				p.fail(CodeDocument, line, "", "invalid UTF-8 in a comment")
			}
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					where := "before"
					if rootDone {
						where = "after"
					}
					p.fail(CodeDocument, textLine(line, t), "", "text %s the root element: %q", where, clip(string(bytes.TrimSpace(t)), 20))
				}
				continue
			}
			top := stack[len(stack)-1]
			if n := len(top.body); n > 0 && top.body[n-1].isText() {
				top.body[n-1].text = append(top.body[n-1].text, t...)
			} else {
				top.body = append(top.body, &node{text: bytes.Clone(t), line: line})
			}
		case xml.StartElement:
			if len(stack) >= p.opts.MaxDepth {
				p.fail(CodeDocument, line, "", "elements are nested more than %d deep", p.opts.MaxDepth)
			}
			if rootDone {
				p.fail(CodeDocument, line, "", "a second root element <%s>: a document has one <Response>", t.Name.Local)
			}
			if dup := duplicateAttr(t.Attr); dup != "" {
				p.fail(CodeDocument, line, "", "attribute %s appears twice on <%s>", dup, t.Name.Local)
			}
			n := &node{name: t.Name, attrs: t.Attr, line: line}
			if len(stack) == 0 {
				root = n
			} else {
				top := stack[len(stack)-1]
				top.body = append(top.body, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				rootDone = true
			}
		}
	}
	overLimit()
	if root == nil {
		p.fail(CodeDocument, 1, "", "the document has no root element; it needs a <Response>")
	}
	return root
}

// syntaxError reports an error of the XML decoder as 12100.
func (p *parser) syntaxError(err error, line int) {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := strings.TrimPrefix(se.Msg, "xml: ")
		if msg == "unexpected EOF" {
			msg = "unexpected end of document: an element is not closed"
		}
		p.fail(CodeDocument, se.Line, "", "not well-formed XML: %s", msg)
	}
	p.fail(CodeDocument, line, "", "not well-formed XML: %s", strings.TrimPrefix(err.Error(), "xml: "))
}

// textLine returns the line of the first non-space character of text that
// starts at line.
func textLine(line int, text []byte) int {
	lead := len(text) - len(bytes.TrimLeft(text, " \t\r\n"))
	return line + bytes.Count(text[:lead], []byte("\n"))
}

// duplicateAttr returns the name of an attribute given twice, or "".
func duplicateAttr(attrs []xml.Attr) string {
	if len(attrs) < 2 {
		return ""
	}
	seen := make(map[xml.Name]bool, len(attrs))
	for _, a := range attrs {
		if seen[a.Name] {
			return qualified(a.Name)
		}
		seen[a.Name] = true
	}
	return ""
}

func qualified(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// firstWord returns the first word of a directive, such as "DOCTYPE".
func firstWord(b []byte) string {
	f := bytes.Fields(b)
	if len(f) == 0 {
		return ""
	}
	return clip(string(f[0]), 20)
}

// clip shortens s to at most n runes for a message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "..."
}
