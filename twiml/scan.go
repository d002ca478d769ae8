package twiml

import "bytes"

// cutAtNodes returns the offset of the start tag at which the document
// passes max elements and attributes, counted together, and that tag's
// line; it returns len(data) and 0 if the document stays within max.
//
// It runs before the XML decoder, which builds each start tag with all its
// attributes at once: cutting the input there keeps a single tag with a
// million attributes from costing memory. It only needs to find start tags
// and their attributes; the decoder does the real parsing of what is before
// the cut.
func cutAtNodes(data []byte, max int) (cut, line int) {
	n := 0
	line = 1
	i := 0
	// skip moves i past the first end after i, counting lines; at the
	// end of the data it moves i there.
	skip := func(end string) {
		j := bytes.Index(data[i:], []byte(end))
		if j < 0 {
			j = len(data) - i
		} else {
			j += len(end)
		}
		line += bytes.Count(data[i:i+j], []byte("\n"))
		i += j
	}
	for i < len(data) {
		c := data[i]
		if c == '\n' {
			line++
		}
		if c != '<' {
			i++
			continue
		}
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			skip("-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			skip("]]>")
		case bytes.HasPrefix(rest, []byte("<?")):
			skip("?>")
		case bytes.HasPrefix(rest, []byte("<!")), bytes.HasPrefix(rest, []byte("</")):
			skip(">")
		default:
			start, startLine := i, line
			n++ // the element
			var quote byte
			for i++; i < len(data); i++ {
				c := data[i]
				if c == '\n' {
					line++
				}
				switch {
				case quote != 0:
					if c == quote {
						quote = 0
					}
					continue
				case c == '"' || c == '\'':
					quote = c
				case c == '=':
					n++ // an attribute
				}
				if n > max {
					return start, startLine
				}
				if c == '>' {
					i++
					break
				}
			}
			if n > max {
				return start, startLine
			}
		}
	}
	return len(data), 0
}
