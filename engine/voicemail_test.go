package engine_test

import (
	"testing"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

// TestVoicemailWon checks DialResult.VoicemailWon: a voicemail that wins
// the race counts whether or not its whisper then declines.
func TestVoicemailWon(t *testing.T) {
	screened := engine.Documents{
		"/voice":  `<Response><Dial><Number url="/screen">+14155550100</Number><Client url="/screen">jenny</Client></Dial></Response>`,
		"/screen": `<Response><Gather numDigits="1" timeout="3"><Say>Press 1</Say></Gather><Hangup/></Response>`,
	}
	open := engine.Documents{"/voice": `<Response><Dial><Number>+14155550100</Number><Client>jenny</Client></Dial></Response>`}
	parties := engine.Parties{
		{Addr: "+14155550100", Outcome: fake.Answer, After: 2 * time.Second, Voicemail: true},
		{Addr: "client:jenny", Outcome: fake.Answer, After: 4 * time.Second, Presses: []fake.Press{{Keys: "1", After: time.Second}}},
	}
	tests := []struct {
		name                 string
		docs                 engine.Documents
		policy               engine.Policy
		wantWon, wantBridged bool
	}{
		{"first-answer, screened: wins, then declines", screened, engine.FirstAnswer, true, false},
		{"first-accept, screened: jenny wins", screened, engine.FirstAccept, false, false},
		{"first-answer, no whisper: wins and is bridged", open, engine.FirstAnswer, true, true},
		{"first-accept, no whisper: accepts at once and is bridged", open, engine.FirstAccept, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &engine.Engine{Handler: tt.docs, Parties: parties, Policy: tt.policy}
			res, err := e.Call(t.Context(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Dials) != 1 {
				t.Fatalf("%d Dials, want 1", len(res.Dials))
			}
			d := res.Dials[0]
			if d.VoicemailWon != tt.wantWon || d.Voicemail != tt.wantBridged {
				t.Errorf("VoicemailWon %v, Voicemail %v; want %v, %v", d.VoicemailWon, d.Voicemail, tt.wantWon, tt.wantBridged)
			}
		})
	}
}
