package twiml_test

import (
	"errors"
	"fmt"

	"github.com/dialsim/dialsim/twiml"
)

func Example() {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<Response>
    <Dial callerId="+1888XXXXXXX" timeout="20">
        <Number url="/screen">858-987-6543</Number>
        <Client>jenny</Client>
    </Dial>
</Response>`
	resp, err := twiml.Parse([]byte(doc), twiml.Options{File: "voice.xml"})
	if err != nil {
		fmt.Println("cannot run:", err)
		return
	}
	for _, w := range resp.Warnings {
		fmt.Println(w)
	}
	for _, v := range resp.Verbs {
		if d, ok := v.(*twiml.Dial); ok {
			for _, n := range d.Nouns {
				fmt.Printf("line %d: ring %s for %d s\n", n.SourceLine(), n.Address(), d.Timeout)
			}
		}
	}

	// The TwiML a noun's url names runs on the answering leg: it may not Dial.
	_, err = twiml.Parse([]byte(`<Response><Dial>+14155551212</Dial></Response>`),
		twiml.Options{File: "/screen", Whisper: true})
	var d twiml.Diagnostic
	if errors.As(err, &d) && d.Code == twiml.CodeDialInWhisper {
		fmt.Println(d.Level, d.Code, "at line", d.Line)
	}
	// Output:
	// voice.xml:3: 13214 Dial: invalid callerId value "+1888XXXXXXX": it must be a phone number (E.164, or a US number such as 415-555-1212) or "client:" and a client name; using the caller's number
	// line 4: ring +18589876543 for 20 s
	// line 5: ring client:jenny for 20 s
	// ERROR 13201 at line 1
}

// A scenario, a test or the engine checks an address with the rule that
// <Number> and <Client> follow.
func ExampleValidAddress() {
	for _, addr := range []string{"+14155551212", "client:jenny", "client:jenny smith", "+6931234567", "415-555-1212"} {
		fmt.Printf("%s: %v\n", addr, twiml.ValidAddress(addr))
	}
	// Output:
	// +14155551212: <nil>
	// client:jenny: <nil>
	// client:jenny smith: invalid client name "jenny smith": spaces are not allowed
	// +6931234567: invalid phone number "+6931234567": +693... starts with no country calling code in use
	// 415-555-1212: invalid phone number "415-555-1212": write it in E.164 form, +14155551212
}

// A client caller that dials a <Number> needs a phone number as its caller
// ID (warning 13214): the Dial's normalised CallerID tells.
func ExampleIsPhoneNumber() {
	resp, _ := twiml.Parse([]byte(`<Response><Dial callerId="(415) 555-0100"><Number>+14155551212</Number></Dial></Response>`), twiml.Options{})
	d := resp.Verbs[0].(*twiml.Dial)
	fmt.Println(d.CallerID, twiml.IsPhoneNumber(d.CallerID))
	fmt.Println(twiml.IsPhoneNumber("client:support"))
	// Output:
	// +14155550100 true
	// false
}
