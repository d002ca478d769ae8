package engine_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

// TestSpeechRequests checks what an application receives from a speech
// Gather: a partialResultCallback request at the end of each word with
// the standard parameters, then the action with SpeechResult and
// Confidence and no Digits; on the caller's call and in a whisper.
func TestSpeechRequests(t *testing.T) {
	const gather = `<Response><Gather input="dtmf speech" speechTimeout="auto" partialResultCallback="/partial" action="/next"/></Response>`
	for _, tt := range []struct {
		name   string
		voice  string
		caller engine.Caller
		party  fake.Party
		sid    string // the CallSid the requests carry: "" for the caller's
	}{
		{name: "caller", voice: gather, caller: engine.Caller{Presses: []fake.Press{{Speech: "sales team", Confidence: 0.75, After: time.Second}}}},
		{
			name:  "whisper",
			voice: `<Response><Dial><Client url="/screen">jenny</Client></Dial></Response>`,
			party: fake.Party{Addr: "client:jenny", Outcome: fake.Answer, Presses: []fake.Press{{Speech: "sales team", Confidence: 0.75, After: time.Second}}},
			sid:   "leg",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			type got struct{ Path, CallSid, Stable, Unstable, Seq, Result, Confidence, Digits, Language string }
			var mu sync.Mutex
			var reqs []got
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if err := r.ParseForm(); err != nil {
					t.Error(err)
				}
				mu.Lock()
				reqs = append(reqs, got{r.URL.Path, r.PostForm.Get("CallSid"), r.PostForm.Get("StableSpeechResult"), r.PostForm.Get("UnstableSpeechResult"), r.PostForm.Get("SequenceNumber"), r.PostForm.Get("SpeechResult"), r.PostForm.Get("Confidence"), r.PostForm.Get("Digits"), r.PostForm.Get("Language")})
				mu.Unlock()
				w.Header().Set("Content-Type", "text/xml")
				switch r.URL.Path {
				case "/voice":
					w.Write([]byte(tt.voice))
				case "/screen":
					w.Write([]byte(gather))
				default:
					w.Write([]byte(`<Response/>`))
				}
			})
			e := &engine.Engine{Handler: app}
			if tt.party.Addr != "" {
				e.Parties = engine.Parties{tt.party}
			}
			res, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice", Caller: tt.caller})
			if err != nil {
				t.Fatal(err)
			}
			sid := res.SID
			if tt.sid != "" {
				sid = ""
				for _, ev := range res.Events {
					if ev.Kind == engine.KindLegAnswered {
						sid = ev.Get("CallSid").(string)
					}
				}
			}
			want := []got{
				{Path: "/partial", CallSid: sid, Stable: "", Unstable: "sales", Seq: "0", Language: "en-US"},
				{Path: "/partial", CallSid: sid, Stable: "sales", Unstable: "team", Seq: "1", Language: "en-US"},
				{Path: "/next", CallSid: sid, Result: "sales team", Confidence: "0.75"},
			}
			mu.Lock()
			defer mu.Unlock()
			var speech []got
			for _, r := range reqs {
				if r.Path == "/partial" || r.Path == "/next" {
					speech = append(speech, r)
				}
			}
			if diff := cmp.Diff(want, speech); diff != "" {
				t.Errorf("speech requests (-want +got):\n%s", diff)
			}
			if len(speech) > 0 && speech[0].CallSid == "" {
				t.Error("no CallSid on the partial result")
			}
		})
	}
}
