package webhook_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/internal/webhook"
)

func TestContentTypes(t *testing.T) {
	const audio = "ID3\x03\x00fake mp3 frames"
	tests := []struct {
		name        string
		contentType string // "-" for no header at all
		body        string
		want        string // the document, "" for a failure
		wantNote    bool
		wantFail    failure
	}{
		{name: "text/xml", contentType: "text/xml", body: twiml, want: twiml},
		{name: "application/xml", contentType: "application/xml", body: twiml, want: twiml},
		{name: "text/html", contentType: "text/html; charset=utf-8", body: twiml, want: twiml},
		{name: "text/html, not TwiML, is for the parser", contentType: "text/html", body: "<html>hi</html>", want: "<html>hi</html>"},
		{name: "text/plain holding TwiML", contentType: "text/plain", body: twiml, want: twiml},
		{
			name: "text/plain holding TwiML after a declaration and a comment", contentType: "text/plain; charset=utf-8",
			body: "<?xml version=\"1.0\"?>\n<!-- menu -->\n" + twiml,
			want: "<?xml version=\"1.0\"?>\n<!-- menu -->\n" + twiml,
		},
		{
			name: "text/plain holding broken TwiML is TwiML", contentType: "text/plain",
			body: "<Response><Say>", want: "<Response><Say>",
		},
		{
			name: "text/plain is read aloud", contentType: "text/plain; charset=utf-8",
			body:     "  Thanks for calling & goodbye <3\n",
			want:     "<Response><Say>Thanks for calling &amp; goodbye &lt;3</Say><Hangup/></Response>",
			wantNote: true,
		},
		{
			name: "text/plain with another root is read aloud", contentType: "text/plain",
			body:     "<Reply>hi</Reply>",
			want:     "<Response><Say>&lt;Reply&gt;hi&lt;/Reply&gt;</Say><Hangup/></Response>",
			wantNote: true,
		},
		{
			name: "audio/mpeg is played", contentType: "audio/mpeg", body: audio,
			want: "<Response><Play>BASE/voice?x=1&amp;y=2</Play><Hangup/></Response>", wantNote: true,
		},
		{
			name: "audio/x-wav is played", contentType: "audio/x-wav", body: audio,
			want: "<Response><Play>BASE/voice?x=1&amp;y=2</Play><Hangup/></Response>", wantNote: true,
		},
		{
			name: "audio/ogg is played", contentType: "Audio/Ogg; codecs=opus", body: audio,
			want: "<Response><Play>BASE/voice?x=1&amp;y=2</Play><Hangup/></Response>", wantNote: true,
		},
		{
			name: "audio larger than the TwiML limit", contentType: "audio/wav", body: string(make([]byte, 300)),
			want: "<Response><Play>BASE/voice?x=1&amp;y=2</Play><Hangup/></Response>", wantNote: true,
		},
		{name: "empty audio", contentType: "audio/mpeg", wantFail: failure{Code: 11770, Status: 200}},
		{name: "empty text", contentType: "text/plain", body: " \n", wantFail: failure{Code: 11770, Status: 200}},
		{name: "JSON", contentType: "application/json", body: `{}`, wantFail: failure{Code: 12300, Status: 200}},
		{name: "video", contentType: "video/mp4", body: audio, wantFail: failure{Code: 12300, Status: 200}},
		{name: "no Content-Type", contentType: "-", body: twiml, wantFail: failure{Code: 12300, Status: 200}},
		{name: "malformed Content-Type", contentType: "text/xml; charset", body: twiml, wantFail: failure{Code: 12300, Status: 200}},
		// Charsets.
		{
			name: "ISO-8859-1 by the Content-Type", contentType: "text/xml; charset=ISO-8859-1",
			body: "<Response><Say>Ol\xe9</Say></Response>",
			want: "<Response><Say>Olé</Say></Response>",
		},
		{
			name: "the Content-Type's charset wins over the declaration", contentType: "text/xml; charset=iso-8859-1",
			body: "<?xml version='1.0' encoding='windows-1252'?><Response><Say>Ol\xe9</Say></Response>",
			want: "<?xml version='1.0' encoding=\"UTF-8\"?><Response><Say>Olé</Say></Response>",
		},
		{
			name: "UTF-8 by the Content-Type over an ISO-8859-1 declaration", contentType: "text/html; charset=utf-8",
			body: `<?xml version="1.0" encoding="ISO-8859-1"?><Response><Say>Olé</Say></Response>`,
			want: `<?xml version="1.0" encoding="UTF-8"?><Response><Say>Olé</Say></Response>`,
		},
		{
			name: "no charset: the declaration is left for the parser", contentType: "text/xml",
			body: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Response><Say>Ol\xe9</Say></Response>",
			want: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Response><Say>Ol\xe9</Say></Response>",
		},
		{
			name: "ISO-8859-1 text read aloud", contentType: "text/plain; charset=latin1",
			body: "Gr\xfc\xdfe", want: "<Response><Say>Grüße</Say><Hangup/></Response>", wantNote: true,
		},
		{
			name: "US-ASCII", contentType: "text/xml; charset=us-ascii", body: twiml, want: twiml,
		},
		{
			name: "a charset dialsim cannot decode", contentType: "text/xml; charset=shift_jis",
			body: twiml, wantFail: failure{Code: 12300, Status: 200},
		},
	}
	for _, rt := range routes {
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				base, cfg := rt.start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if tt.contentType == "-" {
						w.Header()["Content-Type"] = nil
					} else {
						w.Header().Set("Content-Type", tt.contentType)
					}
					io.WriteString(w, tt.body)
				}))
				cfg.MaxBody = 200
				resp, err := webhook.New(cfg).Do(context.Background(), webhook.Request{URL: base + "/voice?x=1&y=2"})
				if diff := cmp.Diff(tt.wantFail, failureOf(err)); diff != "" {
					t.Fatalf("Do: %v (-want +got):\n%s", err, diff)
				}
				if err != nil {
					return
				}
				want := replaceBase(tt.want, base)
				if diff := cmp.Diff(want, resp.Document()); diff != "" {
					t.Errorf("document (-want +got):\n%s", diff)
				}
				if got := resp.Note != ""; got != tt.wantNote {
					t.Errorf("Note = %q, want a note: %v", resp.Note, tt.wantNote)
				}
			})
		}
	}
}

// replaceBase puts the server's URL prefix in place of BASE.
func replaceBase(s, base string) string { return strings.ReplaceAll(s, "BASE", base) }

// Status callbacks accept any 2xx answer, whatever its type or lack of one.
func TestNotifyIgnoresContentType(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
	}{
		{"204", 204, "", ""},
		{"200 JSON", 200, "application/json", `{"ok":true}`},
		{"202 no type", 202, "-", "accepted"},
		{"200 unknown charset", 200, "text/xml; charset=shift_jis", twiml},
	}
	for _, rt := range routes {
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				base, cfg := rt.start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					switch tt.contentType {
					case "-":
						w.Header()["Content-Type"] = nil
					case "":
					default:
						w.Header().Set("Content-Type", tt.contentType)
					}
					w.WriteHeader(tt.status)
					io.WriteString(w, tt.body)
				}))
				if err := webhook.New(cfg).Notify(context.Background(), webhook.Request{URL: base + "/status"}); err != nil {
					t.Errorf("Notify: %v, want success", err)
				}
			})
		}
	}
}

// An endless audio answer is played; the Fetcher reads a bounded part of it.
func TestEndlessAudio(t *testing.T) {
	for _, rt := range routes {
		t.Run(rt.name, func(t *testing.T) {
			base, cfg := rt.start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "audio/mpeg")
				chunk := make([]byte, 4096)
				for {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			}))
			cfg.MaxBody = 1000
			resp, err := webhook.New(cfg).Do(context.Background(), webhook.Request{URL: base + "/hold.mp3"})
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			want := "<Response><Play>" + base + "/hold.mp3</Play><Hangup/></Response>"
			if diff := cmp.Diff(want, resp.Document()); diff != "" {
				t.Errorf("document (-want +got):\n%s", diff)
			}
		})
	}
}
