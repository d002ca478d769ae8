package twiml_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/dialsim/dialsim/twiml"

	"github.com/google/go-cmp/cmp"
)

// Hostile input gives a diagnostic, using memory in proportion to its size
// at most.
func TestParseHostile(t *testing.T) {
	const mb = 1 << 20
	// Parse reads text to its end, in time and memory in proportion to
	// it: -short gives it 1 MB of text, the full run 10.
	textMB := 10
	if testing.Short() {
		textMB = 1
	}
	tests := []struct {
		name string
		doc  string
		want []diag
	}{{
		name: "10 MB of verbs",
		doc:  "<Response>\n" + strings.Repeat("<Pause/>", 10*mb/8) + "</Response>",
		want: []diag{{2, 12100, twiml.Error}},
	}, {
		name: fmt.Sprintf("%d MB of text, unclosed", textMB),
		doc:  "<Response><Say>" + strings.Repeat("blah ", textMB*mb/5),
		want: []diag{{1, 12100, twiml.Error}},
	}, {
		name: "100000 nested elements",
		doc:  strings.Repeat("<Response>\n", 100000) + strings.Repeat("</Response>", 100000),
		want: []diag{{twiml.DefaultMaxDepth + 1, 12100, twiml.Error}},
	}, {
		name: "100000 nested elements, unclosed",
		doc:  "<Response>" + strings.Repeat("<Gather>", 100000),
		want: []diag{{1, 12100, twiml.Error}},
	}, {
		name: "invalid UTF-8",
		doc:  "<Response><Say>caf\xc3\x28</Say></Response>",
		want: []diag{{1, 12100, twiml.Error}},
	}, {
		name: "invalid UTF-8 in a name",
		doc:  "<Response><S\xffy>x</S\xffy></Response>",
		want: []diag{{1, 12100, twiml.Error}},
	}, {
		name: "entity expansion",
		doc: `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Response><Say>&lol3;</Say></Response>`,
		want: []diag{{2, 12100, twiml.Error}},
	}, {
		name: "external entity",
		doc:  "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Response><Say>&x;</Say></Response>",
		want: []diag{{1, 12100, twiml.Error}},
	}, {
		name: "many attributes",
		doc:  "<Response><Say " + strings.Repeat("a=\"1\" ", mb) + ">x</Say></Response>",
		want: []diag{{1, 12100, twiml.Error}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, ds := parse(t, tt.doc, twiml.Options{})
			runtime.ReadMemStats(&after)
			if diff := cmp.Diff(tt.want, diags(ds)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%v", diff, ds)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(16*len(tt.doc))+mb {
				t.Errorf("Parse allocated %d bytes for %d bytes of input", alloc, len(tt.doc))
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		opts twiml.Options
		want []diag
	}{
		// 3 elements and 2 attributes; "=" in text and quotes is not an
		// attribute.
		{"at node limit", "<Response><Play loop=\"2\">a.mp3?x=1&amp;y=2</Play><!-- a=b --><Say voice=\"x=y>\">hi<![CDATA[ <a=> ]]></Say></Response>",
			twiml.Options{MaxNodes: 5}, nil},
		{"over node limit", "<Response><Play loop=\"2\">a.mp3?x=1</Play>\n<Say voice=\"x=y>\" language=\"en-GB\">hi</Say></Response>",
			twiml.Options{MaxNodes: 5}, []diag{{2, 12100, twiml.Error}}},
		{"at depth limit", "<Response><Dial><Client><Identity>a</Identity></Client></Dial></Response>",
			twiml.Options{MaxDepth: 4}, nil},
		{"over depth limit", "<Response><Dial><Client>\n<Parameter name=\"a\"><x/></Parameter></Client></Dial></Response>",
			twiml.Options{MaxDepth: 4}, []diag{{2, 12100, twiml.Error}}},
		{"syntax error before limit", "<Response>\n<Say>x</Pause>\n<Pause/><Pause/><Pause/></Response>",
			twiml.Options{MaxNodes: 3}, []diag{{2, 12100, twiml.Error}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := parse(t, tt.doc, tt.opts)
			if diff := cmp.Diff(tt.want, diags(ds)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%v", diff, ds)
			}
		})
	}
}
