package timeline_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/internal/diff"
	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/timeline"
)

var update = flag.Bool("update", false, "rewrite the golden SVG files with the pictures the showcase scenarios give")

// build runs a scenario and returns its timeline.
func build(t *testing.T, text string) *timeline.Timeline {
	t.Helper()
	s, err := scenarios.Parse("test.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return timeline.New(res.Events)
}

const callLine = "call from=+15550001111 to=+15550002222 url=/voice\n"

func TestNew(t *testing.T) {
	const (
		ringing   = timeline.Ringing
		answered  = timeline.Answered
		screening = timeline.Screening
		bridged   = timeline.Bridged
	)
	s := time.Second
	seg := func(st timeline.State, from, to time.Duration) timeline.Segment {
		return timeline.Segment{State: st, From: from, To: to}
	}
	tests := []struct {
		name     string
		scenario string
		want     []timeline.Lane
	}{
		{
			name: "simultaneous ring",
			scenario: callLine + `party client:jenny answer=3s talk=45s
party client:tommy busy
party +18589876543 answer=8s
-- /voice --
<Response><Dial><Number>+18589876543</Number><Client>jenny</Client><Client>tommy</Client></Dial></Response>
`,
			want: []timeline.Lane{
				{Label: "+15550001111", Segments: []timeline.Segment{seg(answered, 0, 3*s), seg(bridged, 3*s, 48*s)}, Status: "completed", End: 48 * s},
				{Label: "+18589876543", Segments: []timeline.Segment{seg(ringing, 0, 3*s)}, Status: "canceled", End: 3 * s},
				{Label: "client:jenny", Segments: []timeline.Segment{seg(ringing, 0, 3*s), seg(bridged, 3*s, 48*s)}, Status: "completed", End: 48 * s},
				{Label: "client:tommy", Status: "busy"},
			},
		},
		{
			name: "whisper declines, then the app speaks",
			scenario: callLine + `party client:jenny answer=2s
-- /voice --
<Response><Dial><Client url="/w">jenny</Client></Dial><Say>Sorry</Say></Response>
-- /w --
<Response><Pause length="3"/><Hangup/></Response>
`,
			want: []timeline.Lane{
				{Label: "+15550001111", Segments: []timeline.Segment{seg(answered, 0, 5400*time.Millisecond)}, Status: "completed", End: 5400 * time.Millisecond},
				{Label: "client:jenny", Segments: []timeline.Segment{seg(ringing, 0, 2*s), seg(screening, 2*s, 5*s)}, Status: "declined", End: 5 * s},
			},
		},
		{
			name: "answerOnBridge: the caller rings until the bridge",
			scenario: callLine + `party client:jenny answer=4s talk=6s
-- /voice --
<Response><Dial answerOnBridge="true"><Client>jenny</Client></Dial></Response>
`,
			want: []timeline.Lane{
				{Label: "+15550001111", Segments: []timeline.Segment{seg(ringing, 0, 4*s), seg(bridged, 4*s, 10*s)}, Status: "completed", End: 10 * s},
				{Label: "client:jenny", Segments: []timeline.Segment{seg(ringing, 0, 4*s), seg(bridged, 4*s, 10*s)}, Status: "completed", End: 10 * s},
			},
		},
		{
			name: "the caller hangs up while an answerOnBridge Dial rings",
			scenario: callLine + `caller hangup=5s
-- /voice --
<Response><Dial answerOnBridge="true"><Client>jenny</Client></Dial></Response>
`,
			want: []timeline.Lane{
				{Label: "+15550001111", Segments: []timeline.Segment{seg(ringing, 0, 5*s)}, Status: "no-answer", End: 5 * s},
				{Label: "client:jenny", Segments: []timeline.Segment{seg(ringing, 0, 5*s)}, Status: "canceled", End: 5 * s},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := build(t, tt.scenario).Lanes
			if diff := cmp.Diff(tt.want, got, cmp.FilterPath(func(p cmp.Path) bool {
				return p.Last().String() == ".SID"
			}, cmp.Ignore())); diff != "" {
				t.Errorf("lanes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNewUnfinished builds the timeline of a transcript that stops
// before the call ends: the lanes run to the last event, without an end.
func TestNewUnfinished(t *testing.T) {
	events := []engine.Event{
		{T: 0, Kind: engine.KindCallStart, Attrs: []engine.Attr{engine.StringAttr("From", "+15550001111")}},
		{T: 0, Kind: engine.KindCallAnswered},
		{T: time.Second, Kind: engine.KindLegInitiated, Leg: "client:jenny"},
		{T: 3 * time.Second, Kind: engine.KindLegAnswered, Leg: "client:jenny"},
		{T: 4 * time.Second, Kind: engine.KindSay, Leg: "client:jenny"},
	}
	want := &timeline.Timeline{
		End: 4 * time.Second,
		Lanes: []timeline.Lane{
			{Label: "+15550001111", Segments: []timeline.Segment{{State: timeline.Answered, From: 0, To: 4 * time.Second}}, End: 4 * time.Second},
			{Label: "client:jenny", Segments: []timeline.Segment{
				{State: timeline.Ringing, From: time.Second, To: 3 * time.Second},
				{State: timeline.Screening, From: 3 * time.Second, To: 4 * time.Second},
			}, End: 4 * time.Second},
		},
	}
	if diff := cmp.Diff(want, timeline.New(events)); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
}

func TestTimelineWriteText(t *testing.T) {
	tests := []struct {
		name     string
		scenario string
		want     string
	}{
		{
			name: "simultaneous ring",
			scenario: callLine + `party client:jenny answer=3s talk=45s
party client:tommy busy
party +18589876543 answer=8s
-- /voice --
<Response><Dial><Number>+18589876543</Number><Client>jenny</Client><Client>tommy</Client></Dial></Response>
`,
			want: `+15550001111  |---=============================================C|
+18589876543  |rrrX                                             |
client:jenny  |rrr=============================================C|
client:tommy  |B                                                |
               0s        10s       20s       30s       40s
one column = 1s; r ringing, - answered, W screening (whisper), = bridged
ends: C completed, B busy, F failed, N no-answer, X canceled, D declined
`,
		},
		{
			// The Record's default action is its own document, whose
			// second Record hears silence: empty, so the Say runs.
			name: "a message after a busy Dial, then the same document again",
			scenario: callLine + `caller record=talk(6s)+press(#)
party client:jenny busy
-- /voice --
<Response><Dial action="/vm"><Client>jenny</Client></Dial></Response>
-- /vm --
<Response><Record/><Say>never</Say></Response>
`,
			want: `+15550001111  |----RRRRRRRRRRRRRRRRRRRRRRRR----RRRRRRRRRRRRRRRRRRRR-C|
client:jenny  |B                                                     |
               0s        2.5s      5s        7.5s      10s       12.5s
one column = 0.25s; r ringing, - answered, W screening (whisper), = bridged, R recording
ends: C completed, B busy, F failed, N no-answer, X canceled, D declined
`,
		},
		{
			name: "a short screening, in tenths of a second",
			scenario: callLine + `party client:jenny answer=2s
-- /voice --
<Response><Dial><Client url="/w">jenny</Client></Dial></Response>
-- /w --
<Response><Say>No thanks</Say><Hangup/></Response>
`,
			want: `+15550001111  |----------------------------C|
client:jenny  |rrrrrrrrrrrrrrrrrrrrWWWWWWWWD|
               0s        1s        2s
one column = 0.1s; r ringing, - answered, W screening (whisper), = bridged
ends: C completed, B busy, F failed, N no-answer, X canceled, D declined
`,
		},
		{
			name: "nothing happens over time",
			scenario: callLine + `-- /voice --
<Response><Reject reason="busy"/></Response>
`,
			want: `+15550001111  |B|
               0s
one column = 0.1s; r ringing, - answered, W screening (whisper), = bridged
ends: C completed, B busy, F failed, N no-answer, X canceled, D declined
`,
		},
		{
			name: "an hour on hold, in two-minute columns",
			scenario: callLine + `-- /voice --
<Response><Play loop="720">https://example.com/hold.mp3</Play></Response>
`,
			want: `+15550001111  |------------------------------C|
               0s        1200s     2400s     3600s
one column = 120s; r ringing, - answered, W screening (whisper), = bridged
ends: C completed, B busy, F failed, N no-answer, X canceled, D declined
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := build(t, tt.scenario).WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, b.String()); diff != "" {
				t.Errorf("text timeline (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTimelineWriteSVG compares the SVG pictures of the showcase scenarios
// of package scenarios with testdata/golden/NAME.svg (rewritten by
// -update), and checks that each is well-formed XML and the same on every
// run.
func TestTimelineWriteSVG(t *testing.T) {
	for _, name := range []string{"simulring", "screening", "sequential", "voicemail"} {
		t.Run(name, func(t *testing.T) {
			s, err := scenarios.ParseFile(filepath.Join("..", "scenarios", name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			svg := func() []byte {
				res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{})
				if err != nil {
					t.Fatal(err)
				}
				tl := timeline.New(res.Events)
				tl.Title = name
				var b bytes.Buffer
				if err := tl.WriteSVG(&b); err != nil {
					t.Fatal(err)
				}
				return b.Bytes()
			}
			got := svg()
			if again := svg(); !bytes.Equal(got, again) {
				t.Fatalf("two runs give different pictures:\n%s", diff.Unified("first", got, "second", again))
			}
			checkXML(t, got)
			golden := filepath.Join("testdata", "golden", name+".svg")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o777); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff.Unified(golden, want, "got", got); d != "" {
				t.Errorf("SVG differs (-want +got); -update rewrites it:\n%s", d)
			}
		})
	}
}

// TestTimelineWriteSVGEmpty draws a timeline with no lanes.
func TestTimelineWriteSVGEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := (&timeline.Timeline{Title: "nothing <here>"}).WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	checkXML(t, b.Bytes())
}

// checkXML fails the test if data is not well-formed XML with an <svg> root.
func checkXML(t *testing.T, data []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("root element %q, want svg", root)
	}
}

func TestStateString(t *testing.T) {
	tests := []struct {
		state timeline.State
		want  string
	}{
		{timeline.Ringing, "ringing"},
		{timeline.Answered, "answered"},
		{timeline.Screening, "screening"},
		{timeline.Bridged, "bridged"},
		{timeline.State(9), "State(9)"},
	}
	for _, tt := range tests {
		if got := tt.state.String(); got != tt.want {
			t.Errorf("State(%d).String() = %q, want %q", int(tt.state), got, tt.want)
		}
	}
}
