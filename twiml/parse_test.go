package twiml_test

import (
	"errors"
	"testing"

	"github.com/dialsim/dialsim/twiml"

	"github.com/google/go-cmp/cmp"
)

// dialDefaults returns a Dial with every default applied.
func dialDefaults(line int, nouns ...twiml.Noun) *twiml.Dial {
	return &twiml.Dial{
		Line:                          line,
		Method:                        "POST",
		Timeout:                       30,
		TimeLimit:                     14400,
		Record:                        "do-not-record",
		Trim:                          "do-not-trim",
		RecordingStatusCallbackMethod: "POST",
		RecordingStatusCallbackEvent:  []string{"completed"},
		RecordingTrack:                "both",
		ReferMethod:                   "POST",
		Nouns:                         nouns,
	}
}

func number(line int, e164 string) *twiml.Number {
	return &twiml.Number{
		Line:                               line,
		Number:                             e164,
		Method:                             "POST",
		StatusCallbackMethod:               "POST",
		AMDStatusCallbackMethod:            "POST",
		MachineDetectionTimeout:            30,
		MachineDetectionSpeechThreshold:    2400,
		MachineDetectionSpeechEndThreshold: 1200,
		MachineDetectionSilenceTimeout:     5000,
	}
}

func client(line int, identity string) *twiml.Client {
	return &twiml.Client{Line: line, Identity: identity, Method: "POST", StatusCallbackMethod: "POST"}
}

func gatherDefaults(line int, prompts ...twiml.Verb) *twiml.Gather {
	return &twiml.Gather{
		Line:                        line,
		Method:                      "POST",
		Timeout:                     5,
		FinishOnKey:                 "#",
		Input:                       []string{"dtmf"},
		Language:                    "en-US",
		ProfanityFilter:             true,
		PartialResultCallbackMethod: "POST",
		BargeIn:                     true,
		MaxSpeechTime:               60,
		Prompts:                     prompts,
	}
}

// diag is the part of a Diagnostic the tables check: not the message.
type diag struct {
	Line  int
	Code  int
	Level twiml.Level
}

func diags(ds twiml.Diagnostics) []diag {
	var out []diag
	for _, d := range ds {
		out = append(out, diag{d.Line, d.Code, d.Level})
	}
	return out
}

// parse returns the response and all diagnostics, warnings or errors.
func parse(t *testing.T, doc string, opts twiml.Options) (*twiml.Response, twiml.Diagnostics) {
	t.Helper()
	resp, err := twiml.Parse([]byte(doc), opts)
	if err != nil {
		var ds twiml.Diagnostics
		if !errors.As(err, &ds) {
			t.Fatalf("Parse error %v (%T) is not Diagnostics", err, err)
		}
		if resp != nil {
			t.Errorf("Parse returned a Response with error %v", err)
		}
		return nil, ds
	}
	return resp, resp.Warnings
}

// The two examples of Twilio's "TwiML Voice: <Client>" page,
// https://www.twilio.com/docs/voice/twiml/client.
func TestParseClientDocExamples(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		want  *twiml.Response
		diags []diag
	}{{
		name: "dialing to a client",
		doc: `<?xml version="1.0" encoding="UTF-8"?>
<Response>
    <Dial>
        <Client>jenny</Client>
    </Dial>
</Response>
`,
		want: &twiml.Response{Line: 2, Verbs: []twiml.Verb{
			dialDefaults(3, client(4, "jenny")),
		}},
	}, {
		name: "simultaneous dialing",
		doc: `<?xml version="1.0" encoding="UTF-8"?>
<Response>
    <Dial callerId="+1888XXXXXXX">
        <Number>858-987-6543</Number>
        <Client>jenny</Client>
        <Client>tommy</Client>
    </Dial>
</Response>
`,
		want: &twiml.Response{Line: 2, Verbs: []twiml.Verb{
			dialDefaults(3, number(4, "+18589876543"), client(5, "jenny"), client(6, "tommy")),
		}},
		diags: []diag{{Line: 3, Code: 13214, Level: twiml.Warning}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ds := parse(t, tt.doc, twiml.Options{})
			if diff := cmp.Diff(tt.diags, diags(ds)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			if got != nil {
				got.Warnings = nil
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseVerbs(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []twiml.Verb
	}{{
		name: "defaults",
		doc: `<Response>
<Say>Hello</Say>
<Play>https://example.com/a.mp3</Play>
<Pause/>
<Gather/>
<Hangup/>
<Reject/>
<Redirect>/next</Redirect>
<Leave/>
</Response>`,
		want: []twiml.Verb{
			&twiml.Say{Line: 2, Text: "Hello", Language: "en-US", Loop: 1},
			&twiml.Play{Line: 3, URL: "https://example.com/a.mp3", Loop: 1},
			&twiml.Pause{Line: 4, Length: 1},
			gatherDefaults(5),
			&twiml.Hangup{Line: 6},
			&twiml.Reject{Line: 7, Reason: "rejected"},
			&twiml.Redirect{Line: 8, URL: "/next", Method: "POST"},
			&twiml.Leave{Line: 9},
		},
	}, {
		name: "attributes",
		doc: `<Response>
  <Say voice="Polly.Joanna" language="fr-FR" loop="0">
    Bonjour   <prosody rate="slow">tout</prosody> le <amazon:effect name="whispered">monde</amazon:effect>
  </Say>
  <Play loop="3" digits="1w2#"/>
  <Pause length="7"/>
  <Reject reason="busy"><Parameter name="why" value="closed"/></Reject>
  <Redirect method="get">https://example.com/x</Redirect>
</Response>`,
		want: []twiml.Verb{
			&twiml.Say{Line: 2, Text: "Bonjour tout le monde", Voice: "Polly.Joanna", Language: "fr-FR", Loop: 0},
			&twiml.Play{Line: 5, Loop: 3, Digits: "1w2#"},
			&twiml.Pause{Line: 6, Length: 7},
			&twiml.Reject{Line: 7, Reason: "busy", Parameters: []twiml.Parameter{{Name: "why", Value: "closed"}}},
			&twiml.Redirect{Line: 8, URL: "https://example.com/x", Method: "GET"},
		},
	}, {
		name: "gather with prompts",
		doc: `<Response>
  <Gather action="/menu" method="GET" timeout="10" finishOnKey="" numDigits="1" input="dtmf speech" actionOnEmptyResult="true">
    <Say>Press one</Say>
    <Pause length="2"/>
    <Play>beep.wav</Play>
  </Gather>
</Response>`,
		want: []twiml.Verb{func() twiml.Verb {
			g := gatherDefaults(2,
				&twiml.Say{Line: 3, Text: "Press one", Language: "en-US", Loop: 1},
				&twiml.Pause{Line: 4, Length: 2},
				&twiml.Play{Line: 5, URL: "beep.wav", Loop: 1},
			)
			g.Action, g.Method, g.Timeout, g.FinishOnKey, g.NumDigits = "/menu", "GET", 10, "", 1
			g.Input = []string{"dtmf", "speech"}
			g.ActionOnEmptyResult = true
			return g
		}()},
	}, {
		name: "dial attributes and nouns in document order",
		doc: `<Response>
  <Dial action="/done" timeout="20" timeLimit="60" hangupOnStar="true" callerId="(415) 555-1212"
        answerOnBridge="TRUE" sequential="true" record="record-from-answer" ringTone="uk">
    <Client url="/whisper" method="GET">
      <Identity>alice</Identity>
      <Parameter name="FirstName" value="Alice"/>
    </Client>
    <Number sendDigits="ww1234#" url="/screen" statusCallback="/status" statusCallbackEvent="initiated ringing answered completed">+44 20 7946 0958</Number>
    <Sip username="u" password="p">sip:jack@example.com</Sip>
  </Dial>
  <Say>Goodbye</Say>
</Response>`,
		want: []twiml.Verb{
			func() twiml.Verb {
				c := client(4, "alice")
				c.URL, c.Method = "/whisper", "GET"
				c.Parameters = []twiml.Parameter{{Name: "FirstName", Value: "Alice"}}
				n := number(8, "+442079460958")
				n.SendDigits, n.URL, n.StatusCallback = "ww1234#", "/screen", "/status"
				n.StatusCallbackEvent = []string{"initiated", "ringing", "answered", "completed"}
				s := &twiml.Sip{
					Line: 9, URI: "sip:jack@example.com", Username: "u", Password: "p",
					Method: "POST", StatusCallbackMethod: "POST", AMDStatusCallbackMethod: "POST",
					MachineDetectionTimeout: 30, MachineDetectionSpeechThreshold: 2400,
					MachineDetectionSpeechEndThreshold: 1200, MachineDetectionSilenceTimeout: 5000,
				}
				d := dialDefaults(2, c, n, s)
				d.Action, d.Timeout, d.TimeLimit, d.HangupOnStar = "/done", 20, 60, true
				d.CallerID, d.AnswerOnBridge, d.Sequential = "+14155551212", true, true
				d.Record, d.RingTone = "record-from-answer", "uk"
				return d
			}(),
			&twiml.Say{Line: 11, Text: "Goodbye", Language: "en-US", Loop: 1},
		},
	}, {
		name: "bare number in dial text",
		doc:  `<Response><Dial callerId="(415) 555-0100">415.123.4567</Dial></Response>`,
		want: []twiml.Verb{func() twiml.Verb {
			d := dialDefaults(1, number(1, "+14151234567"))
			d.CallerID = "+14155550100"
			return d
		}()},
	}, {
		name: "not simulated yet",
		doc: `<Response>
<Record maxLength="20" playBeep="false"/>
<Enqueue waitUrl="/wait">support</Enqueue>
<Dial><Conference beep="false">room</Conference></Dial>
<Dial><Queue url="/about">support</Queue></Dial>
<Connect action="/x"><Stream url="wss://example.com"/></Connect>
</Response>`,
		want: []twiml.Verb{
			&twiml.Record{
				Line: 2, Method: "POST", Timeout: 5, FinishOnKey: "1234567890*#", MaxLength: 20,
				PlayBeep: false, Trim: "trim-silence", RecordingStatusCallbackMethod: "POST",
				RecordingStatusCallbackEvent: []string{"completed"},
			},
			&twiml.Enqueue{Line: 3, Name: "support", Method: "POST", WaitURL: "/wait", WaitURLMethod: "POST"},
			dialDefaults(4, &twiml.Conference{
				Line: 4, Name: "room", Beep: "false", StartConferenceOnEnter: true, WaitMethod: "POST",
				MaxParticipants: 250, Record: "do-not-record", Trim: "trim-silence", StatusCallbackMethod: "POST",
				RecordingStatusCallbackMethod: "POST", RecordingStatusCallbackEvent: []string{"completed"},
				JitterBufferSize: "large",
			}),
			dialDefaults(5, &twiml.Queue{Line: 5, Name: "support", URL: "/about", Method: "POST"}),
			&twiml.Unsupported{Line: 6, Name: "Connect", Attrs: map[string]string{"action": "/x"}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ds := parse(t, tt.doc, twiml.Options{})
			if len(ds) > 0 {
				t.Errorf("unexpected diagnostics:\n%v", ds)
			}
			if got == nil {
				return
			}
			if diff := cmp.Diff(tt.want, got.Verbs); diff != "" {
				t.Errorf("Verbs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNounAddress(t *testing.T) {
	resp, err := twiml.Parse([]byte(`<Response><Dial>
<Number>858-987-6543</Number><Client>jenny</Client><Sip>sip:jack@example.com</Sip>
</Dial></Response>`), twiml.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range resp.Verbs[0].(*twiml.Dial).Nouns {
		got = append(got, n.Address())
	}
	want := []string{"+18589876543", "client:jenny", "sip:jack@example.com"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
}

// Documents as Twilio's helper libraries write them (twilio-python's
// VoiceResponse, twilio-node's VoiceResponse): they must give no diagnostic.
func TestParseBuilderOutput(t *testing.T) {
	docs := []string{
		`<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello, world!</Say></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Dial>415-123-4567</Dial><Say>Goodbye</Say></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-US" loop="2" voice="Polly.Joanna">Hi</Say><Play digits="wwww3"/><Pause length="5"/></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Gather action="/process_gather.php" method="GET" input="speech dtmf" numDigits="1" timeout="3" speechTimeout="auto" hints="yes, no" partialResultCallback="/partial" language="en-GB" bargeIn="false" actionOnEmptyResult="true" profanityFilter="false" enhanced="true" speechModel="phone_call"><Say>Please enter your account number, followed by the pound sign</Say></Gather><Say>We didn't receive any input. Goodbye!</Say></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Dial action="/handleDialCallStatus" method="GET" timeout="10" hangupOnStar="true" timeLimit="30" callerId="+15551112222" record="record-from-ringing-dual" trim="trim-silence" recordingStatusCallback="/rsc" recordingStatusCallbackMethod="GET" recordingStatusCallbackEvent="in-progress completed absent" answerOnBridge="true" ringTone="us" recordingTrack="inbound" sequential="false" referUrl="/refer" referMethod="POST"><Number sendDigits="wwww1928" statusCallbackEvent="initiated ringing answered completed" statusCallback="https://myapp.com/calls/events" statusCallbackMethod="POST" url="/screen" method="GET" machineDetection="Enable" amdStatusCallback="/amd" amdStatusCallbackMethod="POST" machineDetectionTimeout="15" machineDetectionSpeechThreshold="2400" machineDetectionSpeechEndThreshold="1200" machineDetectionSilenceTimeout="5000" byoc="BYxxx">+14155555555</Number></Dial></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Client statusCallbackEvent="initiated ringing answered completed" statusCallback="https://myapp.com/calls/events" statusCallbackMethod="POST" url="/whisper" method="POST"><Identity>user_jane</Identity><Parameter name="FirstName" value="Jane"/><Parameter name="LastName" value="Doe"/></Client></Dial></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Sip username="admin" password="1234" url="/w" method="POST" statusCallbackEvent="initiated completed" statusCallback="/s" statusCallbackMethod="GET">sip:kate@example.com?mycustomheader=foo</Sip></Dial></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Reject reason="busy"/><Hangup/><Redirect method="POST">http://pigeons.com/twiml.xml</Redirect></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Say>Please leave a message at the beep.</Say><Record action="/handleRecording" method="GET" maxLength="20" finishOnKey="*" timeout="10" playBeep="true" trim="do-not-trim" transcribe="true" transcribeCallback="/t" recordingStatusCallback="/r" recordingStatusCallbackMethod="POST" recordingStatusCallbackEvent="completed"/><Say>I did not receive a recording</Say></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Enqueue action="/a" method="POST" waitUrl="/wait" waitUrlMethod="GET" maxQueueSize="10">support</Enqueue><Leave/></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Enqueue workflowSid="WW0123456789abcdef0123456789abcdef"><Task priority="5" timeout="200">{"selected_language":"es"}</Task></Enqueue></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Conference muted="true" beep="onEnter" startConferenceOnEnter="false" endConferenceOnExit="true" waitUrl="/hold" waitMethod="GET" maxParticipants="10" record="record-from-start" region="ie1" trim="do-not-trim" statusCallbackEvent="start end join leave mute hold" statusCallback="/c" statusCallbackMethod="POST" recordingStatusCallback="/r" recordingStatusCallbackMethod="GET" recordingStatusCallbackEvent="in-progress completed" eventCallbackUrl="/e" jitterBufferSize="small" participantLabel="customer">Room 1234</Conference></Dial></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hi <break strength="x-weak" time="100ms"/><emphasis level="moderate">there</emphasis> <lang xml:lang="fr-FR">Bonjour</lang><p>P</p><phoneme alphabet="ipa" ph="t&#601;&#712;me&#618;to&#650;">tomato</phoneme><prosody pitch="-10%" rate="85%" volume="-6dB">slow</prosody><s>S</s><say-as interpret-as="spell-out">ABC</say-as><sub alias="World Wide Web">WWW</sub><w role="amazon:VBD">read</w></Say></Response>`,
		`<?xml version="1.0" encoding="UTF-8"?><Response><Start><Stream name="s" url="wss://example.com/audio"/></Start><Connect><Stream url="wss://example.com/x"><Parameter name="a" value="b"/></Stream></Connect><Stop><Stream name="s"/></Stop></Response>`,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n  <Dial callerId=\"client:agent_007\">\n    <Client>agent_008</Client>\n  </Dial>\n</Response>\n",
		`<Response version="2010-04-01"/>`,
		"\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>",
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Response><Say>Caf\xe9</Say></Response>",
	}
	for _, doc := range docs {
		_, ds := parse(t, doc, twiml.Options{})
		if len(ds) > 0 {
			t.Errorf("Parse(%.60q...) gave diagnostics:\n%v", doc, ds)
		}
	}
}

func TestParseLatin1(t *testing.T) {
	resp, err := twiml.Parse([]byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Response><Say>Caf\xe9</Say></Response>"), twiml.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []twiml.Verb{&twiml.Say{Line: 1, Text: "Café", Language: "en-US", Loop: 1}}
	if diff := cmp.Diff(want, resp.Verbs); diff != "" {
		t.Errorf("Verbs (-want +got):\n%s", diff)
	}
}

func TestParseErrorsAs(t *testing.T) {
	doc := `<Response>
<Pause length="x"/>
<Dial><Number>+6931234567</Number></Dial>
<Record recordingStatusCallbackEvent="done"/>
</Response>`
	_, err := twiml.Parse([]byte(doc), twiml.Options{File: "voice.xml"})
	var ds twiml.Diagnostics
	if !errors.As(err, &ds) {
		t.Fatalf("errors.As(%v, Diagnostics) failed", err)
	}
	if !ds.HasErrors() {
		t.Errorf("HasErrors() = false, want true")
	}
	wantAll := []diag{{2, 13910, twiml.Warning}, {3, 13224, twiml.Error}, {4, 13621, twiml.Error}}
	if diff := cmp.Diff(wantAll, diags(ds)); diff != "" {
		t.Errorf("Diagnostics (-want +got):\n%s", diff)
	}
	var d twiml.Diagnostic
	if !errors.As(err, &d) {
		t.Fatalf("errors.As(%v, Diagnostic) failed", err)
	}
	// errors.As finds the error that stopped the document, not the
	// 13224 before it, which only dropped a noun.
	want := twiml.Diagnostic{File: "voice.xml", Line: 4, Code: 13621, Level: twiml.Error, Element: "Record"}
	if diff := cmp.Diff(want, d, cmpIgnoreMessage); diff != "" {
		t.Errorf("the error (-want +got):\n%s", diff)
	}
	if d.Message == "" {
		t.Errorf("the error has no message")
	}
	if diff := cmp.Diff(ds, twiml.DiagnosticsOf(err)); diff != "" {
		t.Errorf("DiagnosticsOf (-want +got):\n%s", diff)
	}
}

var cmpIgnoreMessage = cmp.FilterPath(func(p cmp.Path) bool {
	return p.Last().String() == ".Message"
}, cmp.Ignore())

func TestDiagnosticError(t *testing.T) {
	tests := []struct {
		d    twiml.Diagnostic
		want string
	}{
		{twiml.Diagnostic{File: "voice.xml", Line: 7, Code: 13223, Element: "Dial", Message: `invalid phone number format "85-98"`},
			`voice.xml:7: 13223 Dial: invalid phone number format "85-98"`},
		{twiml.Diagnostic{Line: 7, Code: 13223, Element: "Dial", Message: `invalid phone number format "85-98"`},
			`7: 13223 Dial: invalid phone number format "85-98"`},
		{twiml.Diagnostic{Line: 1, Code: 12100, Level: twiml.Error, Message: "not well-formed XML"},
			`1: 12100 not well-formed XML`},
	}
	for _, tt := range tests {
		if got := tt.d.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	if got := twiml.Warning.String() + " " + twiml.Error.String(); got != "WARNING ERROR" {
		t.Errorf("Level strings = %q", got)
	}
}
