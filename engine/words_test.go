package engine_test

import (
	"context"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/dialsim/dialsim/engine"
)

// A Say lasts SayWordTime for each of the words strings.Fields finds in
// its text, whatever the spaces between them.
func TestSayWords(t *testing.T) {
	for _, text := range []string{"one", " two  words ", "tab\tnew\nline", "a\u00a0b\u2003c", "\u0085x\u0085"} {
		var esc strings.Builder
		xml.EscapeText(&esc, []byte(text))
		e := &engine.Engine{Handler: engine.Documents{"/voice": "<Response><Say>" + esc.String() + "</Say></Response>"}}
		res, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"})
		if err != nil {
			t.Fatal(err)
		}
		want := (engine.SayWordTime * time.Duration(len(strings.Fields(text)))).Seconds()
		found := false
		for _, ev := range res.Events {
			if ev.Kind == engine.KindSay {
				found = true
				if got := ev.Get("Duration"); got != want {
					t.Errorf("Say %q: Duration %v, want %v", text, got, want)
				}
			}
		}
		if !found {
			t.Errorf("Say %q: no say event", text)
		}
	}
}
