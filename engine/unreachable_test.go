package engine_test

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/dialsim/dialsim/engine"
)

// TestUnreachable checks that only a first request that cannot connect is
// an error of Call: later ones, and first ones that connect, are the
// application's behaviour, in the transcript.
func TestUnreachable(t *testing.T) {
	live := httptest.NewServer(engine.Documents{
		"/voice":    `<Response><Redirect>http://down.example.invalid/next</Redirect></Response>`,
		"/fallback": `<Response><Say>sorry</Say></Response>`,
	})
	defer live.Close()
	dead := deadServer(t)
	tests := []struct {
		name     string
		base     string
		in       engine.Inbound
		wantCode int // the UnreachableError's; 0 means no error
		wantURL  string
	}{
		{"refused", dead, engine.Inbound{URL: "/voice"}, 11205, dead + "/voice"},
		{"no such host", "http://ivr.example.invalid", engine.Inbound{URL: "/voice"}, 11210, "http://ivr.example.invalid/voice"},
		{"refused, with a fallback that answers", dead, engine.Inbound{URL: "/voice", Fallback: live.URL + "/fallback"}, 11205, dead + "/voice"},
		{"a later request that cannot connect", live.URL, engine.Inbound{URL: "/voice"}, 0, ""},
		{"a 404 at the first request", live.URL, engine.Inbound{URL: "/nope"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.From, tt.in.To = "+15550001111", "+15550002222"
			e := &engine.Engine{BaseURL: tt.base}
			res, err := e.Call(t.Context(), tt.in)
			if res == nil || len(res.Events) == 0 || res.Events[len(res.Events)-1].Kind != engine.KindCallEnd {
				t.Fatalf("Call: %v; want the whole transcript, up to call.end", err)
			}
			if tt.wantCode == 0 {
				if err != nil {
					t.Fatalf("Call: %v, want no error", err)
				}
				return
			}
			var ue *engine.UnreachableError
			if !errors.As(err, &ue) || !errors.Is(err, engine.ErrUnreachable) {
				t.Fatalf("Call: %v, want an UnreachableError", err)
			}
			if ue.Code != tt.wantCode || ue.URL != tt.wantURL {
				t.Errorf("UnreachableError{Code: %d, URL: %s}, want %d, %s", ue.Code, ue.URL, tt.wantCode, tt.wantURL)
			}
		})
	}
}
