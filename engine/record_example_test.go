package engine_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

// Voicemail: nobody answers, so the Dial's action takes a message. The
// caller speaks for 20 seconds and presses #; the Result lists the
// recording, with its transcription.
func ExampleEngine_Call_record() {
	e := &engine.Engine{
		AccountSID: "AC00000000000000000000000000000001",
		Handler: engine.Documents{
			"/voice":  `<Response><Dial timeout="10" action="/missed"><Client>jenny</Client></Dial></Response>`,
			"/missed": `<Response><Say>Leave a message.</Say><Record action="/saved" transcribe="true"/></Response>`,
			"/saved":  `<Response><Hangup/></Response>`,
		},
	}
	msg := fake.Message{
		Steps:      []fake.Step{{Kind: fake.Talk, D: 20 * time.Second}, {Kind: fake.Key, D: time.Second, Key: "#"}},
		Transcript: "please call me back",
	}
	res, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice",
		Caller: engine.Caller{Messages: []fake.Message{msg}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Recordings {
		fmt.Println(r.Source, r.Duration, r.Digits, r.URL)
		fmt.Println(r.Transcription.Status, r.Transcription.Text)
	}
	fmt.Println(res.Status, res.Duration)
	// Output:
	// RecordVerb 20s # https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Recordings/RE3784804861e4a04c7807d6071281d614
	// completed please call me back
	// completed 33.2s
}
