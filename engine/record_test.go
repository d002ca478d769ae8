package engine_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"

	"github.com/google/go-cmp/cmp"
)

// recorder is an application on loopback that serves TwiML documents by
// path, answers every other path 204 (a callback), and records every
// request it receives: its path and its parameters.
type recorder struct {
	docs map[string]string
	mu   sync.Mutex
	got  []got
}

type got struct {
	Path   string
	Params map[string]string
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p := map[string]string{}
	for k, v := range r.Form {
		p[k] = strings.Join(v, ",")
	}
	rc.mu.Lock()
	rc.got = append(rc.got, got{Path: r.URL.Path, Params: p})
	rc.mu.Unlock()
	doc, ok := rc.docs[r.URL.Path]
	if !ok {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Write([]byte(doc))
}

// pick returns the requests to path, with only the parameters named.
func (rc *recorder) pick(path string, names ...string) []map[string]string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []map[string]string
	for _, g := range rc.got {
		if g.Path != path {
			continue
		}
		m := map[string]string{}
		for _, n := range names {
			if v, ok := g.Params[n]; ok {
				m[n] = v
			}
		}
		out = append(out, m)
	}
	return out
}

func (rc *recorder) paths() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for _, g := range rc.got {
		out = append(out, g.Path)
	}
	return out
}

// TestRecordRequests runs calls with <Record> and <Dial record> against an
// application on loopback and checks every request it receives: the
// action's recording parameters, the recording status callbacks and the
// transcription callback, with the SIDs and URLs the Result lists.
func TestRecordRequests(t *testing.T) {
	const (
		caller = "+15550001111"
		voice  = "/voice"
	)
	talk := func(d time.Duration, text string, more ...fake.Step) []fake.Message {
		return []fake.Message{{Steps: append([]fake.Step{{Kind: fake.Talk, D: d}}, more...), Transcript: text}}
	}
	actionParams := []string{"CallStatus", "Digits", "RecordingUrl", "RecordingSid", "RecordingDuration"}
	statusParams := []string{"AccountSid", "CallSid", "RecordingSid", "RecordingUrl", "RecordingStatus", "RecordingDuration",
		"RecordingChannels", "RecordingSource", "RecordingStartTime", "ErrorCode"}
	trParams := []string{"CallSid", "RecordingSid", "RecordingUrl", "TranscriptionSid", "TranscriptionText", "TranscriptionStatus", "TranscriptionUrl"}
	type want struct {
		paths  []string
		action []map[string]string
		status []map[string]string
		tr     []map[string]string
	}
	tests := []struct {
		name    string
		docs    map[string]string
		caller  engine.Caller
		parties engine.Parties
		want    func(res *engine.Result) want
	}{
		{
			name: "message then key, callbacks, transcription",
			docs: map[string]string{
				voice:    `<Response><Record action="/saved" transcribe="true" transcribeCallback="/tr" recordingStatusCallback="/rs" recordingStatusCallbackEvent="in-progress completed absent"/></Response>`,
				"/saved": `<Response><Hangup/></Response>`,
			},
			caller: engine.Caller{Messages: talk(20*time.Second, "call me back", fake.Step{Kind: fake.Key, D: time.Second, Key: "#"})},
			want: func(res *engine.Result) want {
				r := res.Recordings[0]
				return want{
					paths:  []string{voice, "/rs", "/rs", "/saved", "/tr"},
					action: []map[string]string{{"CallStatus": "in-progress", "Digits": "#", "RecordingUrl": r.URL, "RecordingSid": r.SID, "RecordingDuration": "20"}},
					status: []map[string]string{
						{"AccountSid": acct, "CallSid": res.SID, "RecordingSid": r.SID, "RecordingUrl": r.URL, "RecordingStatus": "in-progress",
							"RecordingChannels": "1", "RecordingSource": "RecordVerb", "RecordingStartTime": "Thu, 01 Jan 2026 00:00:01 +0000"},
						{"AccountSid": acct, "CallSid": res.SID, "RecordingSid": r.SID, "RecordingUrl": r.URL, "RecordingStatus": "completed", "RecordingDuration": "20",
							"RecordingChannels": "1", "RecordingSource": "RecordVerb", "RecordingStartTime": "Thu, 01 Jan 2026 00:00:01 +0000"},
					},
					tr: []map[string]string{{"CallSid": res.SID, "RecordingSid": r.SID, "RecordingUrl": r.URL, "TranscriptionSid": r.Transcription.SID,
						"TranscriptionText": "call me back", "TranscriptionStatus": "completed", "TranscriptionUrl": r.Transcription.URL}},
				}
			},
		},
		{
			name: "silence: absent, no action, the next verb",
			docs: map[string]string{
				voice:   `<Response><Record timeout="2" action="/never" recordingStatusCallback="/rs" recordingStatusCallbackEvent="absent"/><Redirect>/next</Redirect></Response>`,
				"/next": `<Response><Hangup/></Response>`,
			},
			want: func(res *engine.Result) want {
				return want{
					paths: []string{voice, "/rs", "/next"},
					status: []map[string]string{{"AccountSid": acct, "CallSid": res.SID, "RecordingSid": recordingSID(res), "RecordingUrl": recURL(recordingSID(res)),
						"RecordingStatus": "absent", "RecordingDuration": "0", "RecordingChannels": "1", "RecordingSource": "RecordVerb",
						"RecordingStartTime": "Thu, 01 Jan 2026 00:00:01 +0000", "ErrorCode": "16102"}},
				}
			},
		},
		{
			name: "hang-up: the action is still requested, Digits=hangup",
			docs: map[string]string{
				voice:    `<Response><Record action="/saved" playBeep="false" transcribe="true" transcribeCallback="/tr"/></Response>`,
				"/saved": `<Response><Say>never run</Say></Response>`,
			},
			caller: engine.Caller{Messages: talk(200*time.Second, "long", fake.Step{Kind: fake.HangUp})},
			want: func(res *engine.Result) want {
				r := res.Recordings[0]
				return want{
					paths:  []string{voice, "/saved", "/tr"},
					action: []map[string]string{{"CallStatus": "completed", "Digits": "hangup", "RecordingUrl": r.URL, "RecordingSid": r.SID, "RecordingDuration": "200"}},
					tr: []map[string]string{{"CallSid": res.SID, "RecordingSid": r.SID, "RecordingUrl": r.URL, "TranscriptionSid": r.Transcription.SID,
						"TranscriptionStatus": "failed", "TranscriptionUrl": r.Transcription.URL}},
				}
			},
		},
		{
			name: "Dial record-from-answer",
			docs: map[string]string{
				voice:    `<Response><Dial record="record-from-answer-dual" action="/after" recordingStatusCallback="/rs"><Client>jenny</Client></Dial></Response>`,
				"/after": `<Response><Hangup/></Response>`,
			},
			parties: engine.Parties{{Addr: "client:jenny", Outcome: fake.Answer, After: 3 * time.Second, Talk: 30 * time.Second}},
			want: func(res *engine.Result) want {
				r := res.Recordings[0]
				return want{
					paths:  []string{voice, "/rs", "/after"},
					action: []map[string]string{{"CallStatus": "in-progress", "RecordingUrl": r.URL, "RecordingSid": r.SID, "RecordingDuration": "30"}},
					status: []map[string]string{{"AccountSid": acct, "CallSid": res.SID, "RecordingSid": r.SID, "RecordingUrl": r.URL, "RecordingStatus": "completed",
						"RecordingDuration": "30", "RecordingChannels": "2", "RecordingSource": "DialVerb", "RecordingStartTime": "Thu, 01 Jan 2026 00:00:03 +0000"}},
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := &recorder{docs: tt.docs}
			srv := serve(t, app)
			e := &engine.Engine{BaseURL: srv.URL, Parties: tt.parties, AccountSID: acct}
			res, err := e.Call(context.Background(), engine.Inbound{From: caller, To: "+15550002222", URL: voice, Caller: tt.caller})
			if err != nil {
				t.Fatal(err)
			}
			w := tt.want(res)
			if diff := cmp.Diff(w.paths, app.paths()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			actionPath := ""
			for _, p := range w.paths[1:] {
				if p == "/saved" || p == "/after" {
					actionPath = p
				}
			}
			if actionPath != "" {
				if diff := cmp.Diff(w.action, app.pick(actionPath, actionParams...)); diff != "" {
					t.Errorf("action (-want +got):\n%s", diff)
				}
			}
			if w.status != nil {
				if diff := cmp.Diff(w.status, app.pick("/rs", statusParams...)); diff != "" {
					t.Errorf("recording status callbacks (-want +got):\n%s", diff)
				}
			}
			if w.tr != nil {
				if diff := cmp.Diff(w.tr, app.pick("/tr", trParams...)); diff != "" {
					t.Errorf("transcription callback (-want +got):\n%s", diff)
				}
			}
			for _, r := range res.Recordings {
				if !strings.HasPrefix(r.SID, "RE") || len(r.SID) != 34 || r.URL != recURL(r.SID) {
					t.Errorf("recording %+v: want an RE SID and Twilio's Recording URL", r)
				}
			}
		})
	}
}

// acct is the AccountSid of the test's calls.
const acct = "AC00000000000000000000000000000042"

// recURL is the RecordingUrl of recording sid.
func recURL(sid string) string {
	return "https://api.twilio.com/2010-04-01/Accounts/" + acct + "/Recordings/" + sid
}

// recordingSID returns the RecordingSid of the call's first record.start,
// for a recording that is empty (so not in Result.Recordings).
func recordingSID(res *engine.Result) string {
	for _, e := range res.Events {
		if e.Kind == engine.KindRecordStart {
			return e.Get("RecordingSid").(string)
		}
	}
	return ""
}
