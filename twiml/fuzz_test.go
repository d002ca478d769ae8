package twiml_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dialsim/dialsim/twiml"
)

var fuzzSeeds = []string{
	`<?xml version="1.0" encoding="UTF-8"?><Response><Dial callerId="+1888XXXXXXX"><Number>858-987-6543</Number><Client>jenny</Client><Client>tommy</Client></Dial></Response>`,
	`<Response><Say voice="alice" loop="2">Hi <prosody rate="slow">there</prosody></Say><Play digits="1w2">a.mp3</Play><Pause length="2"/></Response>`,
	`<Response><Gather action="/g" numDigits="1" finishOnKey="*" timeout="3" input="dtmf speech"><Say>Press 1</Say><Dial>+14155551212</Dial></Gather><Redirect method="GET">/x</Redirect></Response>`,
	`<Response><Dial timeout="20" answerOnBridge="true" sequential="true"><Client url="/w"><Identity>a</Identity><Parameter name="n" value="v"/></Client><Sip>sip:a@b.c</Sip><Conference>r</Conference></Dial></Response>`,
	`<Response><Reject reason="busy"/><Hangup/><Record/><Enqueue><Task>{}</Task></Enqueue><Leave/><Connect><Stream url="x"/></Connect></Response>`,
	`<!DOCTYPE r [<!ENTITY a "b">]><Response>&a;</Response>`,
	"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Response><Say>caf\xe9</Say></Response>",
	"<Response><Say>\xff</Say></Response>",
	`<response><say>x</say></response>`,
	`<Response version="1"><Dial><Number>85-98</Number></Dial></Response>`,
	`<Response><Dial><Number>+19005551212</Number></Dial></Response>`,
	`<Response><Dial><Client>a b</Client></Dial></Response>`,
	`<Response><Dial callerId="client:x"><Number>+6931234567</Number><Client>a b</Client><Number>+4420794609581234</Number><Number>+14155551212</Number></Dial></Response>`,
	`<Response><Gather speechTimeout="auto" speechModel="default" actionOnEmptyResult="x"/><Play digits="1A#w">x</Play><Enqueue waitUrl="ftp://x">q</Enqueue></Response>`,
	`<Response><Say a="1" a="2">x</Say><!-- c --><![CDATA[y]]></Response>`,
	`<Response xmlns="urn:x" xmlns:amazon="urn:a"><Say><amazon:effect name="w">x</amazon:effect></Say></Response>`,
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), false)
	}
	f.Add([]byte(`<Response><Gather><Say>x</Say></Gather><Dial>+14155551212</Dial></Response>`), true)
	f.Fuzz(func(t *testing.T, data []byte, whisper bool) {
		opts := twiml.Options{Whisper: whisper, MaxNodes: 2000}
		resp, err := twiml.Parse(data, opts)
		if err != nil {
			if resp != nil {
				t.Fatalf("Parse returned both a Response and error %v", err)
			}
			var ds twiml.Diagnostics
			if !errors.As(err, &ds) || len(ds) == 0 {
				t.Fatalf("Parse error %v (%T) is not a non-empty Diagnostics", err, err)
			}
			for i, d := range ds {
				checkDiagnostic(t, d)
				last := i == len(ds)-1
				if last && d.Level != twiml.Error || !last && d.Level == twiml.Error && !nounError(d) {
					t.Fatalf("diagnostic %d of %d has level %v:\n%v", i, len(ds), d.Level, ds)
				}
			}
			return
		}
		if resp == nil {
			t.Fatal("Parse returned neither a Response nor an error")
		}
		for _, d := range resp.Warnings {
			checkDiagnostic(t, d)
			if d.Level != twiml.Warning && !nounError(d) {
				t.Fatalf("Response.Warnings holds %v", d)
			}
		}
		checkVerbs(t, resp.Verbs, whisper)
	})
}

// nounError reports whether d is an error that drops one Dial noun and lets
// the document run.
func nounError(d twiml.Diagnostic) bool {
	return d.Level == twiml.Error && (d.Code == twiml.CodeNotDialable || d.Code == twiml.CodeClientName)
}

func checkDiagnostic(t *testing.T, d twiml.Diagnostic) {
	t.Helper()
	if d.Line < 1 || d.Code == 0 || d.Message == "" {
		t.Fatalf("incomplete diagnostic %#v", d)
	}
}

func checkVerbs(t *testing.T, verbs []twiml.Verb, whisper bool) {
	t.Helper()
	for _, v := range verbs {
		if v == nil || v.SourceLine() < 1 || v.Element() == "" {
			t.Fatalf("bad verb %#v", v)
		}
		switch v := v.(type) {
		case *twiml.Dial:
			if whisper {
				t.Fatalf("whisper document with a Dial at line %d", v.Line)
			}
			if len(v.Nouns) > 10 {
				t.Fatalf("Dial with %d nouns", len(v.Nouns))
			}
			for _, n := range v.Nouns {
				if n == nil || n.Address() == "" || n.SourceLine() < 1 {
					t.Fatalf("bad noun %#v", n)
				}
				if num, ok := n.(*twiml.Number); ok && !strings.HasPrefix(num.Number, "+") {
					t.Fatalf("number %q is not E.164", num.Number)
				}
			}
		case *twiml.Gather:
			for _, p := range v.Prompts {
				switch p.(type) {
				case *twiml.Say, *twiml.Play, *twiml.Pause:
				default:
					t.Fatalf("Gather prompt %T", p)
				}
			}
			checkVerbs(t, v.Prompts, whisper)
		case *twiml.Say:
			// A Say without words is kept (it delays the answer); its
			// text, if any, has its white space collapsed.
			if v.Text != strings.Join(strings.Fields(v.Text), " ") {
				t.Fatalf("Say text %q at line %d is not collapsed", v.Text, v.Line)
			}
		}
	}
}
