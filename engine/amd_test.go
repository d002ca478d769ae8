package engine_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/twiml"

	"github.com/google/go-cmp/cmp"
)

// TestDetect checks the model of answering-machine detection, rule by
// rule, at and around each threshold.
func TestDetect(t *testing.T) {
	const ms = time.Millisecond
	defaults := engine.MachineDetection{Mode: "Enable", Timeout: 30 * time.Second,
		SpeechThreshold: 2400 * ms, SpeechEndThreshold: 1200 * ms, SilenceTimeout: 5000 * ms}
	end := defaults
	end.Mode = "DetectMessageEnd"
	with := func(m engine.MachineDetection, f func(*engine.MachineDetection)) engine.MachineDetection {
		f(&m)
		return m
	}
	person := fake.Party{Outcome: fake.Answer}
	voicemail := fake.Party{Outcome: fake.Answer, Voicemail: true}
	greeting := func(p fake.Party, d time.Duration) fake.Party {
		p.Greeting = d
		return p
	}
	for _, tt := range []struct {
		name string
		m    engine.MachineDetection
		p    fake.Party
		want engine.Detection
	}{
		{"person", defaults, person, engine.Detection{AnsweredBy: "human", Duration: 2200 * ms}},
		{"person, message end", end, person, engine.Detection{AnsweredBy: "human", Duration: 2200 * ms}},
		{"voicemail", defaults, voicemail, engine.Detection{AnsweredBy: "machine_start", Duration: 2400 * ms}},
		{"voicemail, message end", end, voicemail, engine.Detection{AnsweredBy: "machine_end_beep", Duration: 10 * time.Second}},
		{"short voicemail passes for a person", defaults, greeting(voicemail, 2399*ms), engine.Detection{AnsweredBy: "human", Duration: 3599 * ms}},
		{"speech at the threshold is a machine", defaults, greeting(person, 2400*ms), engine.Detection{AnsweredBy: "machine_start", Duration: 2400 * ms}},
		{"long-winded person, message end", end, greeting(person, 4*time.Second), engine.Detection{AnsweredBy: "machine_end_silence", Duration: 5200 * ms}},
		{"message outlasts the timeout", end, greeting(voicemail, 40*time.Second), engine.Detection{AnsweredBy: "machine_end_other", Duration: 30 * time.Second}},
		{"message ends at the timeout", end, greeting(voicemail, 30*time.Second), engine.Detection{AnsweredBy: "machine_end_beep", Duration: 30 * time.Second}},
		{"silent", defaults, fake.Party{Outcome: fake.Answer, Silent: true}, engine.Detection{AnsweredBy: "unknown", Duration: 5 * time.Second}},
		{"silent, short timeout", with(defaults, func(m *engine.MachineDetection) { m.Timeout = 3 * time.Second }),
			fake.Party{Outcome: fake.Answer, Silent: true}, engine.Detection{AnsweredBy: "unknown", Duration: 3 * time.Second}},
		{"threshold beyond the timeout", with(defaults, func(m *engine.MachineDetection) { m.Timeout, m.SpeechThreshold = 3*time.Second, 6*time.Second }),
			voicemail, engine.Detection{AnsweredBy: "unknown", Duration: 3 * time.Second}},
		{"threshold beyond the timeout, message end", with(end, func(m *engine.MachineDetection) { m.Timeout, m.SpeechThreshold = 3*time.Second, 6*time.Second }),
			voicemail, engine.Detection{AnsweredBy: "unknown", Duration: 3 * time.Second}},
		{"human after the timeout", with(defaults, func(m *engine.MachineDetection) { m.Timeout, m.SpeechEndThreshold = 3*time.Second, 5*time.Second }),
			person, engine.Detection{AnsweredBy: "unknown", Duration: 3 * time.Second}},
		{"short end threshold", with(defaults, func(m *engine.MachineDetection) { m.SpeechEndThreshold = 500 * ms }),
			person, engine.Detection{AnsweredBy: "human", Duration: 1500 * ms}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.m.Detect(tt.p)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Detect (-want +got):\n%s", diff)
			}
			if got.Machine() != strings.HasPrefix(tt.want.AnsweredBy, "machine_") {
				t.Errorf("Machine() = %v for %s", got.Machine(), got.AnsweredBy)
			}
		})
	}
}

// TestMachineDetectionOf checks that a Number's attributes, in seconds
// and milliseconds, become durations, with Twilio's defaults.
func TestMachineDetectionOf(t *testing.T) {
	r, err := twiml.Parse([]byte(`<Response><Dial><Number machineDetection="DetectMessageEnd" machineDetectionTimeout="10" machineDetectionSilenceTimeout="2000">+14155550100</Number></Dial></Response>`), twiml.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := r.Verbs[0].(*twiml.Dial).Nouns[0].(*twiml.Number)
	want := engine.MachineDetection{Mode: "DetectMessageEnd", Timeout: 10 * time.Second,
		SpeechThreshold: 2400 * time.Millisecond, SpeechEndThreshold: 1200 * time.Millisecond, SilenceTimeout: 2 * time.Second}
	if diff := cmp.Diff(want, engine.MachineDetectionOf(n)); diff != "" {
		t.Errorf("MachineDetectionOf (-want +got):\n%s", diff)
	}
}

// ExampleMachineDetection_Detect shows what synchronous detection with
// Twilio's defaults concludes about a person and about a voicemail, and
// when.
func ExampleMachineDetection_Detect() {
	m := engine.MachineDetection{Mode: "Enable", Timeout: 30 * time.Second, SpeechThreshold: 2400 * time.Millisecond,
		SpeechEndThreshold: 1200 * time.Millisecond, SilenceTimeout: 5 * time.Second}
	for _, p := range []fake.Party{{Outcome: fake.Answer}, {Outcome: fake.Answer, Voicemail: true}} {
		d := m.Detect(p)
		fmt.Println(d.AnsweredBy, d.Duration)
	}
	// Output:
	// human 2.2s
	// machine_start 2.4s
}

// TestMachineDetectionRequests checks what an application on HTTP
// receives: synchronous detection's AnsweredBy on the url request, and
// the asynchronous callback's AnsweredBy and MachineDetectionDuration.
func TestMachineDetectionRequests(t *testing.T) {
	for _, tt := range []struct {
		name   string
		number string
		want   []string // path and the AMD parameters of each request on the leg
	}{{
		name:   "synchronous",
		number: `<Number machineDetection="Enable" url="/screen">+15550003333</Number>`,
		want:   []string{"/screen AnsweredBy=machine_start MachineDetectionDuration="},
	}, {
		name:   "asynchronous",
		number: `<Number machineDetection="DetectMessageEnd" amdStatusCallback="/amd" url="/screen">+15550003333</Number>`,
		want:   []string{"/screen AnsweredBy= MachineDetectionDuration=", "/amd AnsweredBy=machine_end_beep MachineDetectionDuration=10000"},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			docs := engine.Documents{
				"/voice":  `<Response><Dial>` + tt.number + `</Dial></Response>`,
				"/screen": `<Response/>`,
				"/amd":    `<Response/>`,
			}
			var mu sync.Mutex
			var got []string
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if err := r.ParseForm(); err != nil {
					t.Error(err)
				}
				if r.Form.Get("ParentCallSid") != "" {
					mu.Lock()
					got = append(got, r.URL.Path+" AnsweredBy="+r.Form.Get("AnsweredBy")+" MachineDetectionDuration="+r.Form.Get("MachineDetectionDuration"))
					mu.Unlock()
				}
				docs.ServeHTTP(w, r)
			})
			srv := serve(t, h)
			e := &engine.Engine{BaseURL: srv.URL, Client: srv.Client(), Parties: engine.Parties{
				{Addr: "+15550003333", Outcome: fake.Answer, After: time.Second, Talk: 15 * time.Second, Voicemail: true}}}
			res, err := e.Call(t.Context(), engine.Inbound{From: caller, To: called, URL: "/voice"})
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("requests (-want +got):\n%s\n%q", diff, lines(res.Events))
			}
			if n := res.Dials[0].Machines; n != 1 {
				t.Errorf("Machines = %d, want 1", n)
			}
		})
	}
}
