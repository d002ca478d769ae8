package twiml_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/dialsim/dialsim/twiml"

	"github.com/google/go-cmp/cmp"
)

var (
	warn = twiml.Warning
	fail = twiml.Error
)

func TestParseDiagnostics(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		whisper bool
		want    []diag
	}{
		// 12100: the document is not XML.
		{"not xml", "Hello, world", false, []diag{{1, 12100, fail}}},
		{"empty", "  \n", false, []diag{{1, 12100, fail}}},
		{"text before prolog", "oops<?xml version=\"1.0\"?>\n<Response/>", false, []diag{{1, 12100, fail}}},
		{"space before prolog", "\n\n <?xml version=\"1.0\"?><Response/>", false, []diag{{3, 12100, fail}}},
		{"unclosed element", "<Response>\n<Say>hi\n</Response>", false, []diag{{3, 12100, fail}}},
		{"unclosed root", "<Response>\n<Say>hi</Say>\n", false, []diag{{3, 12100, fail}}},
		{"text after root", "<Response/>\nthanks", false, []diag{{2, 12100, fail}}},
		{"second root", "<Response/>\n<Response/>", false, []diag{{2, 12100, fail}}},
		{"doctype", "<!DOCTYPE Response [<!ENTITY a \"b\">]>\n<Response>&a;</Response>", false, []diag{{1, 12100, fail}}},
		{"undefined entity", "<Response>\n<Say>&nbsp;</Say></Response>", false, []diag{{2, 12100, fail}}},
		{"invalid utf-8", "<Response>\n<Say>\xff\xfe</Say></Response>", false, []diag{{2, 12100, fail}}},
		{"invalid utf-8 in comment", "<Response>\n<!-- \xff --></Response>", false, []diag{{2, 12100, fail}}},
		{"unknown encoding", "<?xml version=\"1.0\" encoding=\"EBCDIC\"?><Response/>", false, []diag{{1, 12100, fail}}},
		{"repeated attribute", "<Response>\n<Pause length=\"1\" length=\"2\"/></Response>", false, []diag{{2, 12100, fail}}},

		// 12101, 12102.
		{"bad version", "<Response version=\"2.0\"/>", false, []diag{{1, 12101, fail}}},
		{"root not Response", "<?xml version=\"1.0\"?>\n<Document><Say>hi</Say></Document>", false, []diag{{2, 12102, fail}}},
		{"root wrong case", "<response><Say>hi</Say></response>", false, []diag{{1, 12102, fail}}},

		// 12200 warnings: the element or attribute is skipped.
		{"unknown verb", "<Response>\n<Speak>hi</Speak>\n<Say>hi</Say></Response>", false, []diag{{2, 12200, warn}}},
		{"wrong case verb", "<Response>\n<say>hi</say></Response>", false, []diag{{2, 12200, warn}}},
		{"unknown attribute", "<Response>\n<Say colour=\"red\">hi</Say></Response>", false, []diag{{2, 12200, warn}}},
		{"wrong case attribute", "<Response>\n<Dial callerid=\"+14155551212\">+14155551212</Dial></Response>", false, []diag{{2, 12200, warn}}},
		{"noun outside dial", "<Response>\n<Number>+14155551212</Number></Response>", false, []diag{{2, 12200, warn}}},
		{"verb inside dial", "<Response><Dial>\n<Say>hi</Say><Number>+14155551212</Number></Dial></Response>", false, []diag{{2, 12200, warn}}},
		{"text in response", "<Response>\nHello there<Say>hi</Say></Response>", false, []diag{{2, 12200, warn}}},
		{"child of number", "<Response><Dial><Number>\n<Say>x</Say>+14155551212</Number></Dial></Response>", false, []diag{{2, 12200, warn}}},
		{"play without url", "<Response>\n<Play/></Response>", false, []diag{{2, 12200, warn}}},
		{"bad reject reason", "<Response>\n<Reject reason=\"go away\"/></Response>", false, []diag{{2, 12200, warn}}},
		{"parameter without name", "<Response><Dial><Client>\n<Identity>a</Identity><Parameter value=\"x\"/></Client></Dial></Response>", false, []diag{{2, 12200, warn}}},
		{"empty dial", "<Response>\n<Dial/></Response>", false, []diag{{2, 12200, warn}}},
		{"bad sip uri", "<Response><Dial>\n<Sip>jack@example.com</Sip></Dial></Response>", false, []diag{{2, 13243, warn}}},
		{"sip method", "<Response><Dial>\n<Sip method=\"PUT\">sip:jack@example.com</Sip></Dial></Response>", false, []diag{{2, 13241, warn}}},
		// More than ten nouns is an error naming the limit.
		{"eleven nouns", "<Response><Dial>" + strings.Repeat("<Client>a</Client>\n", 10) + "<Number>+14155551212</Number></Dial></Response>", false, []diag{{11, 12200, fail}}},
		{"ten nouns", "<Response><Dial>" + strings.Repeat("<Client>a</Client>\n", 10) + "</Dial></Response>", false, nil},

		// 13000: Conference with other nouns.
		{"conference and number", "<Response><Dial><Number>+14155551212</Number>\n<Conference>r</Conference></Dial></Response>", false, []diag{{2, 13000, warn}}},

		// Dial 132xx warnings.
		{"dial method", "<Response>\n<Dial method=\"PUT\">+14155551212</Dial></Response>", false, []diag{{2, 13210, warn}}},
		{"dial timeout low", "<Response>\n<Dial timeout=\"4\">+14155551212</Dial></Response>", false, []diag{{2, 13212, warn}}},
		{"dial timeout high", "<Response>\n<Dial timeout=\"601\">+14155551212</Dial></Response>", false, []diag{{2, 13212, warn}}},
		{"dial timeout text", "<Response>\n<Dial timeout=\"30s\">+14155551212</Dial></Response>", false, []diag{{2, 13212, warn}}},
		{"dial hangupOnStar", "<Response>\n<Dial hangupOnStar=\"yes\">+14155551212</Dial></Response>", false, []diag{{2, 13213, warn}}},
		{"dial callerId", "<Response>\n<Dial callerId=\"+1888XXXXXXX\">+14155551212</Dial></Response>", false, []diag{{2, 13214, warn}}},
		{"dial callerId client", "<Response>\n<Dial callerId=\"client:a b\">+14155551212</Dial></Response>", false, []diag{{2, 13214, warn}}},
		{"dial callerId client to number", "<Response>\n<Dial callerId=\"client:alice\"><Client>bob</Client><Number>+14155551212</Number></Dial></Response>", false, []diag{{2, 13214, warn}}},
		{"dial callerId client to sip", "<Response>\n<Dial callerId=\"client:alice\"><Sip>sip:bob@example.com</Sip></Dial></Response>", false, []diag{{2, 13214, warn}}},
		{"dial callerId client to clients", "<Response>\n<Dial callerId=\"client:alice\"><Client>bob</Client><Client>carol</Client></Dial></Response>", false, nil},
		{"dial ringTone", "<Response>\n<Dial ringTone=\"xx\">+14155551212</Dial></Response>", false, []diag{{2, 13220, warn}}},
		{"dial documented attributes", "<Response>\n<Dial callReason=\"Your order\" recordingConfigurationId=\"RC123\" referUrl=\"/refer\" referMethod=\"GET\" ringTone=\"uk\" recordingTrack=\"inbound\">+14155551212</Dial></Response>", false, nil},
		{"number documented attributes", "<Response><Dial>\n<Number byoc=\"BY123\" machineDetection=\"DetectMessageEnd\" machineDetectionTimeout=\"10\" machineDetectionSpeechThreshold=\"2000\" machineDetectionSpeechEndThreshold=\"1000\" machineDetectionSilenceTimeout=\"3000\" amdStatusCallback=\"/amd\" amdStatusCallbackMethod=\"GET\">+14155551212</Number></Dial></Response>", false, nil},
		{"dial timeLimit", "<Response>\n<Dial timeLimit=\"0\">+14155551212</Dial></Response>", false, []diag{{2, 13216, warn}}},
		{"dial record", "<Response>\n<Dial record=\"always\">+14155551212</Dial></Response>", false, []diag{{2, 13217, warn}}},
		{"dial sequential", "<Response>\n<Dial sequential=\"1\">+14155551212</Dial></Response>", false, []diag{{2, 13218, warn}}},
		{"dial answerOnBridge", "<Response>\n<Dial answerOnBridge=\"on\">+14155551212</Dial></Response>", false, []diag{{2, 13219, warn}}},
		{"number method", "<Response><Dial>\n<Number method=\"PATCH\">+14155551212</Number></Dial></Response>", false, []diag{{2, 13221, warn}}},
		{"number sendDigits", "<Response><Dial>\n<Number sendDigits=\"12x\">+14155551212</Number></Dial></Response>", false, []diag{{2, 13222, warn}}},

		// Numbers, client names.
		{"number format", "<Response><Dial>\n<Number>85-98</Number>\n<Client>a</Client></Dial></Response>", false, []diag{{2, 13223, warn}}},
		{"bare number format", "<Response>\n<Dial>call me</Dial></Response>", false, []diag{{2, 13223, warn}}},
		{"number not dialable", "<Response><Dial>\n<Number>+1 900 555 1212</Number></Dial></Response>", false, []diag{{2, 13224, fail}}},
		{"number too short", "<Response><Dial>\n<Number>+123456</Number></Dial></Response>", false, []diag{{2, 13224, fail}}},
		{"number too long", "<Response><Dial>\n<Number>+4420794609581234</Number></Dial></Response>", false, []diag{{2, 13223, warn}}},
		{"number no country code", "<Response><Dial>\n<Number>+6931234567</Number></Dial></Response>", false, []diag{{2, 13224, fail}}},
		// One bad noun drops that noun only: the errors do not stop the
		// document, whose later problems are reported too.
		{"bad nouns then more", "<Response><Dial>\n<Number>+6931234567</Number>\n<Client>a b</Client>\n<Number>+4420794609581234</Number>\n<Client>jenny</Client></Dial>\n<Pause length=\"x\"/></Response>",
			false, []diag{{2, 13224, fail}, {3, 31105, fail}, {4, 13223, warn}, {6, 13910, warn}}},
		{"client name", "<Response><Dial>\n<Client>jenny smith</Client></Dial></Response>", false, []diag{{2, 31105, fail}}},
		{"client identity", "<Response><Dial><Client>\n<Identity>a{b}</Identity></Client></Dial></Response>", false, []diag{{2, 31105, fail}}},
		{"client empty", "<Response><Dial>\n<Client/></Dial></Response>", false, []diag{{2, 31105, fail}}},
		{"client too long", "<Response><Dial>\n<Client>" + strings.Repeat("a", 257) + "</Client></Dial></Response>", false, []diag{{2, 31105, fail}}},

		// Gather 133xx.
		{"gather finishOnKey", "<Response>\n<Gather finishOnKey=\"x\"/></Response>", false, []diag{{2, 13310, warn}}},
		{"gather finishOnKey two keys", "<Response>\n<Gather finishOnKey=\"#*\"/></Response>", false, []diag{{2, 13310, warn}}},
		{"gather method", "<Response>\n<Gather method=\"DELETE\"/></Response>", false, []diag{{2, 13312, warn}}},
		{"gather timeout", "<Response>\n<Gather timeout=\"-1\"/></Response>", false, []diag{{2, 13313, warn}}},
		{"gather numDigits", "<Response>\n<Gather numDigits=\"many\"/></Response>", false, []diag{{2, 13314, warn}}},
		{"gather nested verb", "<Response><Gather>\n<Dial>+14155551212</Dial></Gather></Response>", false, []diag{{2, 13320, warn}}},
		{"gather nested say loop", "<Response><Gather>\n<Say loop=\"x\">hi</Say></Gather></Response>", false, []diag{{2, 13322, warn}}},
		{"gather speechTimeout", "<Response>\n<Gather speechTimeout=\"soon\"/></Response>", false, []diag{{2, 13327, warn}}},
		{"gather speechTimeout auto with model default", "<Response>\n<Gather input=\"speech\" speechTimeout=\"auto\" speechModel=\"default\"/></Response>", false, []diag{{2, 13335, warn}}},
		{"gather speechTimeout auto with phone_call", "<Response>\n<Gather input=\"speech\" speechTimeout=\"auto\" speechModel=\"phone_call\"/></Response>", false, nil},
		{"gather maxSpeechTime", "<Response>\n<Gather maxSpeechTime=\"0\"/></Response>", false, []diag{{2, 13328, warn}}},
		{"gather bargeIn", "<Response>\n<Gather bargeIn=\"no\"/></Response>", false, []diag{{2, 13332, warn}}},
		{"gather profanityFilter", "<Response>\n<Gather profanityFilter=\"no\"/></Response>", false, []diag{{2, 13333, warn}}},
		{"gather enhanced", "<Response>\n<Gather enhanced=\"no\"/></Response>", false, []diag{{2, 13339, warn}}},
		{"gather actionOnEmptyResult", "<Response>\n<Gather actionOnEmptyResult=\"no\"/></Response>", false, []diag{{2, 13338, fail}}},
		{"gather input", "<Response>\n<Gather input=\"voice\"/></Response>", false, []diag{{2, 12200, warn}}},
		{"gather speech attributes", "<Response>\n<Gather input=\"dtmf speech\" language=\"fr-FR\" hints=\"yes, no\" speechTimeout=\"auto\" speechModel=\"phone_call\" profanityFilter=\"false\" partialResultCallback=\"/partial\" partialResultCallbackMethod=\"GET\" bargeIn=\"false\" enhanced=\"true\" maxSpeechTime=\"30\" actionOnEmptyResult=\"true\" debug=\"true\"/></Response>", false, nil},

		// Other verbs.
		{"say loop", "<Response>\n<Say loop=\"1001\">hi</Say></Response>", false, []diag{{2, 13510, warn}}},
		{"play loop", "<Response>\n<Play loop=\"-2\">a.mp3</Play></Response>", false, []diag{{2, 13410, warn}}},
		{"play digits", "<Response>\n<Play digits=\"12E\">a.mp3</Play></Response>", false, []diag{{2, 13430, warn}}},
		{"play digits A-D", "<Response>\n<Play digits=\"wW0123456789ABCD*#\"/></Response>", false, nil},
		{"record timeout", "<Response>\n<Record timeout=\"x\"/></Response>", false, []diag{{2, 13611, warn}}},
		{"record finishOnKey", "<Response>\n<Record finishOnKey=\"x\"/></Response>", false, []diag{{2, 13613, warn}}},
		{"record recordingStatusCallbackEvent", "<Response>\n<Record recordingStatusCallbackEvent=\"done\"/></Response>", false, []diag{{2, 13621, fail}}},
		{"enqueue waitUrl", "<Response>\n<Enqueue waitUrl=\"ftp://example.com/hold\">support</Enqueue></Response>", false, []diag{{2, 14202, fail}}},
		{"enqueue relative waitUrl", "<Response>\n<Enqueue waitUrl=\"/hold\">support</Enqueue></Response>", false, nil},
		{"enqueue waitUrlMethod", "<Response>\n<Enqueue waitUrlMethod=\"PUT\">support</Enqueue></Response>", false, []diag{{2, 14206, fail}}},
		{"redirect method", "<Response>\n<Redirect method=\"PUT\">/x</Redirect></Response>", false, []diag{{2, 13710, warn}}},
		{"pause length", "<Response>\n<Pause length=\"0\"/></Response>", false, []diag{{2, 13910, warn}}},
		{"pause length text", "<Response>\n<Pause length=\"two\"/></Response>", false, []diag{{2, 13910, warn}}},

		// Whisper TwiML.
		{"whisper dial", "<Response><Say>hi</Say>\n<Dial>+14155551212</Dial></Response>", true, []diag{{2, 13201, fail}}},
		{"whisper redirect", "<Response>\n<Redirect>/x</Redirect></Response>", true, []diag{{2, 12200, fail}}},
		{"whisper record", "<Response>\n<Record/></Response>", true, []diag{{2, 12200, fail}}},
		{"whisper ok", "<Response><Gather numDigits=\"1\" action=\"/accept\"><Say>Press 1</Say></Gather><Hangup/><Reject/><Pause/><Play>a</Play></Response>", true, nil},
		{"dial outside whisper", "<Response>\n<Dial>+14155551212</Dial></Response>", false, nil},

		// Warnings go on; the first error stops.
		{"warnings then error", "<Response>\n<Pause length=\"x\"/>\n<say>a</say>\n<Dial><Client>a b</Client></Dial>\n<Record recordingStatusCallbackEvent=\"x\"/>\n<Pause length=\"y\"/></Response>",
			false, []diag{{2, 13910, warn}, {3, 12200, warn}, {4, 31105, fail}, {5, 13621, fail}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := parse(t, tt.doc, twiml.Options{Whisper: tt.whisper})
			if diff := cmp.Diff(tt.want, diags(ds)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%v", diff, ds)
			}
			for _, d := range ds {
				if d.Message == "" {
					t.Errorf("diagnostic %d at line %d has no message", d.Code, d.Line)
				}
			}
		})
	}
}

// A warning keeps the attribute's default.
func TestParseWarningDefaults(t *testing.T) {
	doc := `<Response>
<Dial timeout="3" method="PUT" timeLimit="-5" record="x" hangupOnStar="maybe" callerId="nobody">+14155551212</Dial>
<Gather timeout="0" finishOnKey="abc" numDigits="0" method="x"/>
<Pause length="-3"/>
</Response>`
	got, ds := parse(t, doc, twiml.Options{})
	if got == nil {
		t.Fatalf("Parse failed: %v", ds)
	}
	want := []twiml.Verb{
		dialDefaults(2, number(2, "+14155551212")),
		gatherDefaults(3),
		&twiml.Pause{Line: 4, Length: 1},
	}
	if diff := cmp.Diff(want, got.Verbs); diff != "" {
		t.Errorf("Verbs (-want +got):\n%s", diff)
	}
	if len(ds) != 11 {
		t.Errorf("got %d warnings, want 11:\n%v", len(ds), ds)
	}
}

func TestNumbers(t *testing.T) {
	tests := []struct {
		in   string
		want string // E.164, or "" for a diagnostic
		code int
	}{
		{"+16175551212", "+16175551212", 0},
		{"858-987-6543", "+18589876543", 0},
		{"(415) 555-1212", "+14155551212", 0},
		{"415.555.1212", "+14155551212", 0},
		{"1-415-555-1212", "+14155551212", 0},
		{"4155551212", "+14155551212", 0},
		{"  +44 20 7946 0958 ", "+442079460958", 0},
		{"+1 (415) 555-1212", "+14155551212", 0},
		{"85-98", "", 13223},
		{"555-1212", "", 13223},
		{"+1888XXXXXXX", "", 13223},
		{"1-800-FLOWERS", "", 13223},
		{"00442079460958", "", 13223},
		{"415*555*1212", "", 13223},
		{"+1415555121", "", 13224},
		{"+123456", "", 13224},
		{"+1234567890123456", "", 13223},
		{"+44 20 7946 0958 1234", "", 13223},
		{"+6931234567", "", 13224},
		{"+2101234567", "", 13224},
		{"+683 4002", "+6834002", 0},
		{"+683 400", "", 13224},
		{"+15550001111", "+15550001111", 0},
		{"+12385550100", "+12385550100", 0},
		{"+0441234567", "", 13224},
		{"+19005551212", "", 13224},
		{"+14115551212", "", 13224},
		{"0415551212", "", 13224},
	}
	for _, tt := range tests {
		doc := "<Response><Dial><Number>" + tt.in + "</Number></Dial></Response>"
		resp, ds := parse(t, doc, twiml.Options{})
		var got string
		var code int
		if len(ds) > 0 {
			code = ds[0].Code
		} else if resp != nil {
			got = resp.Verbs[0].(*twiml.Dial).Nouns[0].Address()
		}
		if got != tt.want || code != tt.code {
			t.Errorf("<Number>%s</Number>: got %q, code %d; want %q, code %d", tt.in, got, code, tt.want, tt.code)
		}
	}
}

func TestClientNames(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"jenny", true},
		{"user_jane", true},
		{"agent-7.support@example.com", true},
		{"José", true},
		{strings.Repeat("x", 256), true},
		{strings.Repeat("x", 257), false},
		{"", false},
		{"a b", false},
		{"a\tb", false},
		{"a\u0085b", false},
		{"a<b", false},
		{"a#b", false},
		{"a%b", false},
		{`a"b`, false},
		{"a{b", false},
		{"a|b", false},
		{`a\b`, false},
		{"a^b", false},
		{"a[b", false},
		{"a`b", false},
	}
	for _, tt := range tests {
		var esc strings.Builder
		if err := xml.EscapeText(&esc, []byte(tt.name)); err != nil {
			t.Fatal(err)
		}
		doc := "<Response><Dial><Client>" + esc.String() + "</Client></Dial></Response>"
		_, ds := parse(t, doc, twiml.Options{})
		if got := len(ds) == 0; got != tt.ok {
			t.Errorf("client %q: ok = %v, want %v (%v)", tt.name, got, tt.ok, ds)
		}
		if !tt.ok && (len(ds) != 1 || ds[0].Code != 31105) {
			t.Errorf("client %q: diagnostics %v, want one 31105", tt.name, ds)
		}
	}
}
