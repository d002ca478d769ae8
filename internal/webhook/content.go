package webhook

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"
)

// media is how Twilio reads an answer, by its Content-Type (TwiML's
// "Your Response" page).
type media int

const (
	mediaInvalid media = iota // 12300
	mediaTwiML                // text/xml, application/xml, text/html
	mediaText                 // text/plain: TwiML if its root is <Response>, else read aloud
	mediaAudio                // audio/*: played
)

// mediaOf returns how an answer with Content-Type contentType is read,
// and the charset it declares ("" for none), or why it cannot be read.
func mediaOf(contentType string) (media, string, error) {
	if contentType == "" {
		return mediaInvalid, "", fmt.Errorf("no Content-Type header")
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return mediaInvalid, "", fmt.Errorf("content type %q: %w", contentType, err)
	}
	switch {
	case mt == "text/xml" || mt == "application/xml" || mt == "text/html":
		return mediaTwiML, params["charset"], nil
	case mt == "text/plain":
		return mediaText, params["charset"], nil
	case strings.HasPrefix(mt, "audio/"):
		return mediaAudio, "", nil
	}
	return mediaInvalid, "", fmt.Errorf("content type %q is neither TwiML (text/xml, application/xml, text/html), text/plain nor audio", contentType)
}

// toUTF8 returns body, whose Content-Type declared charset, in UTF-8. The
// charset of the Content-Type wins over the XML declaration's encoding
// (RFC 7303, section 8.1), so when there is one, the declaration's
// encoding becomes UTF-8 too; with none, the declaration (or UTF-8) says
// how the TwiML parser reads the body. ok is false for a charset dialsim
// cannot decode.
func toUTF8(body []byte, charset string) (_ []byte, ok bool) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "":
		return body, true
	case "utf-8", "utf8", "us-ascii", "ascii":
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1":
		body = latin1ToUTF8(body)
	default:
		return nil, false
	}
	return declareUTF8(body), true
}

// latin1ToUTF8 converts ISO-8859-1 to UTF-8: each byte is its code point.
func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// xmlEncoding is the encoding pseudo-attribute of an XML declaration.
var xmlEncoding = regexp.MustCompile(`encoding\s*=\s*("[^"]*"|'[^']*')`)

// declareUTF8 rewrites the encoding of body's XML declaration, if it has
// one, to UTF-8.
func declareUTF8(body []byte) []byte {
	if !bytes.HasPrefix(body, []byte("<?xml")) {
		return body
	}
	end := bytes.Index(body, []byte("?>"))
	if end < 0 {
		return body
	}
	decl := xmlEncoding.ReplaceAll(body[:end], []byte(`encoding="UTF-8"`))
	if bytes.Equal(decl, body[:end]) {
		return body
	}
	return append(decl, body[end:]...)
}

// rootIsResponse reports whether body is an XML document whose root
// element is <Response>: what makes a text/plain answer TwiML. A document
// broken after its root's start tag is still TwiML, for the parser to
// report.
func rootIsResponse(body []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF"))))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // names are ASCII
	for {
		tok, err := d.RawToken()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t.Name.Space == "" && t.Name.Local == "Response"
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return false
			}
		}
	}
}

// spoken returns the TwiML Twilio runs for a text/plain answer that is
// not TwiML: the text read aloud, then a hang-up.
func spoken(text []byte) []byte {
	var b bytes.Buffer
	b.WriteString("<Response><Say>")
	xml.EscapeText(&b, bytes.TrimSpace(text))
	b.WriteString("</Say><Hangup/></Response>")
	return b.Bytes()
}

// played returns the TwiML Twilio runs for an audio answer from rawURL:
// the file played, then a hang-up.
func played(rawURL string) []byte {
	var b bytes.Buffer
	b.WriteString("<Response><Play>")
	xml.EscapeText(&b, []byte(rawURL))
	b.WriteString("</Play><Hangup/></Response>")
	return b.Bytes()
}
