package scenarios_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/scenarios"
)

// TestDidYouMean checks that an unknown word of the scenario language is
// answered with the nearest known one, when one is near.
func TestDidYouMean(t *testing.T) {
	const call = "call from=+15550001111 to=+15550002222 url=/voice\n"
	const doc = "-- /voice --\n<Response/>\n"
	tests := []struct {
		name, text string
		kind       error
		want       string // the error's message
	}{
		{"directive", call + "parti client:a answer=1s\n" + doc, scenarios.ErrUnknownDirective,
			`x.txt:2: unknown directive "parti"; did you mean "party"?`},
		{"directive, transposed", "clal from=+15550001111 to=+15550002222 url=/voice\n" + doc, scenarios.ErrUnknownDirective,
			`x.txt:1: unknown directive "clal"; did you mean "call"?`},
		{"directive, nothing near", call + "dial client:a\n" + doc, scenarios.ErrUnknownDirective,
			`x.txt:2: unknown directive "dial"`},
		{"party behaviour", call + "party client:a anwser=3s\n" + doc, scenarios.ErrBehaviour,
			`x.txt:2: party client:a: anwser=3s: unknown behaviour; did you mean "answer"?`},
		{"random party behaviour", call + "party client:a answer=exp(3s) voicemial=0.2\n" + doc, scenarios.ErrBehaviour,
			`x.txt:2: party client:a: voicemial=0.2: unknown behaviour; did you mean "voicemail"?`},
		{"caller behaviour", call + "caller hangpu=3s\n" + doc, scenarios.ErrBehaviour,
			`x.txt:2: caller hangpu=3s: unknown behaviour; did you mean "hangup"?`},
		{"call argument", "call from=+15550001111 to=+15550002222 url=/voice fallbak=/f\n" + doc, scenarios.ErrSyntax,
			`x.txt:1: call: unknown argument "fallbak": syntax error; did you mean "fallback"?`},
		{"world directive", call + "arival n=2 every=10s from=+15550001111 to=+15550002222 url=/voice\n" + doc, scenarios.ErrUnknownDirective,
			`x.txt:2: unknown directive "arival"; did you mean "arrivals"?`},
		{"directive agent", call + "agnet name=a from=+15550001111 to=client:a url=/voice\n" + doc, scenarios.ErrUnknownDirective,
			`x.txt:2: unknown directive "agnet"; did you mean "agent"?`},
		{"caller record", call + "caller recrd=talk(3s)\n" + doc, scenarios.ErrBehaviour,
			`x.txt:2: caller recrd=talk(3s): unknown behaviour; did you mean "record"?`},
		{"caller say", call + "caller sya=hello\n" + doc, scenarios.ErrBehaviour,
			`x.txt:2: caller sya=hello: unknown behaviour; did you mean "say"?`},
		{"caller patience", call + "caller patince=30s\n" + doc, scenarios.ErrBehaviour,
			`x.txt:2: caller patince=30s: unknown behaviour; did you mean "patience"?`},
		{"party greeting", call + "party client:a answer=1s greting=talk(3s)\n" + doc, scenarios.ErrBehaviour,
			`x.txt:2: party client:a: greting=talk(3s): unknown behaviour; did you mean "greeting"?`},
		{"party silent", call + "party client:a answer=1s silnet=2s\n" + doc, scenarios.ErrBehaviour,
			`x.txt:2: party client:a: silnet=2s: unknown behaviour; did you mean "silent"?`},
		{"world call name", "call nmae=a from=+15550001111 to=+15550002222 url=/voice at=1s\n" + doc, scenarios.ErrSyntax,
			`x.txt:1: call: unknown argument "nmae": syntax error; did you mean "name"?`},
		{"world caller", "call name=a from=+15550001111 to=+15550002222 url=/voice at=1s\ncaller a patiense=30s\n" + doc, scenarios.ErrBehaviour,
			`x.txt:2: caller a patiense=30s: unknown behaviour; did you mean "patience"?`},
		{"arrivals argument", "arrivals n=2 evry=10s from=+15550001111 to=+15550002222 url=/voice\n" + doc, scenarios.ErrSyntax,
			`x.txt:1: arrivals: unknown argument "evry": syntax error; did you mean "every"?`},
		{"agent argument", "agent name=a from=+15550001111 to=client:a url=/voice wrpa=5s\n" + doc, scenarios.ErrSyntax,
			`x.txt:1: agent: unknown argument "wrpa": syntax error; did you mean "wrap"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenarios.Parse("x.txt", []byte(tt.text))
			if !errors.Is(err, tt.kind) {
				t.Fatalf("Parse: %v, want %v", err, tt.kind)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCallSID checks that call sid= sets the CallSid, from which the
// legs' derive.
func TestCallSID(t *testing.T) {
	const sid = "CA0123456789abcdef0123456789abcdef"
	s, err := scenarios.Parse("x.txt", []byte("call from=+15550001111 to=+15550002222 url=/voice sid="+sid+"\n-- /voice --\n<Response><Dial><Client>a</Client></Dial></Response>\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.SID != sid || !strings.Contains(string(scenarios.Transcript(res)), "CallSid="+sid+" ") {
		t.Errorf("SID %s, transcript:\n%s\nwant CallSid=%s", res.SID, scenarios.Transcript(res), sid)
	}
}
