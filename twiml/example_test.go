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
