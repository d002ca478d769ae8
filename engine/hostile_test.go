package engine_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/internal/leakcheck"
	"github.com/dialsim/dialsim/internal/webhook"
)

// effort counts what a hostile application did: the requests it got and
// the bytes of body it managed to write.
type effort struct {
	mu       sync.Mutex
	requests int
	written  int64
	// stalled tells the engine (engine.ExpireFetches) that the app will
	// send nothing more, so that the request times out at once instead
	// of after its FetchTimeout of real time.
	stalled chan struct{}
}

// stall says that the application sends nothing more.
func (e *effort) stall() {
	select {
	case e.stalled <- struct{}{}:
	default:
	}
}

func (e *effort) request() {
	e.mu.Lock()
	e.requests++
	e.mu.Unlock()
}

func (e *effort) wrote(n int) {
	e.mu.Lock()
	e.written += int64(n)
	e.mu.Unlock()
}

func (e *effort) counts() (int, int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.requests, e.written
}

// hostileApp is an application that misbehaves at every path.
type hostileApp func(w http.ResponseWriter, r *http.Request, e *effort)

// drip sends the first bytes of a document one at a time, flushing each,
// then never sends the rest: it waits for the client to give up.
func drip(w http.ResponseWriter, r *http.Request, e *effort) {
	io.Copy(io.Discard, r.Body) // until the body is read, the server does not see the client go
	w.Header().Set("Content-Type", "text/xml")
	flush := http.NewResponseController(w)
	for _, b := range []byte("<Response>") {
		n, err := w.Write([]byte{b})
		e.wrote(n)
		if err != nil || flush.Flush() != nil {
			return
		}
	}
	e.stall()
	<-r.Context().Done()
}

// endless writes a body that never ends, until a write fails or the
// request is abandoned.
func endless(w http.ResponseWriter, r *http.Request, e *effort) {
	io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "text/xml")
	chunk := []byte("<Response><!--" + strings.Repeat("x", 32<<10))
	for r.Context().Err() == nil {
		n, err := w.Write(chunk)
		e.wrote(n)
		if err != nil {
			return
		}
		chunk = chunk[len("<Response><!--"):]
	}
}

// document answers body with the Content-Type contentType, or with no
// Content-Type at all (and no sniffing) for "".
func document(contentType, body string) hostileApp {
	return func(w http.ResponseWriter, r *http.Request, e *effort) {
		if contentType == "" {
			w.Header()["Content-Type"] = nil
		} else {
			w.Header().Set("Content-Type", contentType)
		}
		n, _ := w.Write([]byte(body))
		e.wrote(n)
	}
}

// documents serves TwiML documents by path, 404 elsewhere.
func documents(docs engine.Documents) hostileApp {
	return func(w http.ResponseWriter, r *http.Request, e *effort) {
		if doc, ok := docs[r.URL.Path]; ok {
			e.wrote(len(doc))
		}
		docs.ServeHTTP(w, r)
	}
}

// redirectSelf answers every request with a 302 to the same URL.
func redirectSelf(w http.ResponseWriter, r *http.Request, e *effort) {
	http.Redirect(w, r, r.URL.Path, http.StatusFound)
}

// pauses returns a document of n <Pause length="1"/> verbs.
func pauses(n int) string {
	return "<Response>" + strings.Repeat(`<Pause length="1"/>`, n) + "</Response>"
}

// Hostile applications on loopback, and the same handlers in process: each
// call ends with a diagnostic that says what went wrong (or, for a
// document within the limits, runs), the application's effort is bounded
// (requests, bytes it manages to write), and so is the memory the call
// allocates: at most a fixed 4 MiB plus 64 bytes per byte the
// application offers (one case more, said there), counting a body that
// never ends as the 64 KiB + 1 the engine reads of it.
func TestHostile(t *testing.T) {
	const kib = 1 << 10
	fits := 3400 // <Pause length="1"/> is 19 bytes: 3400 of them fit in 64 KB
	tests := []struct {
		name         string
		app          hostileApp
		timeout      time.Duration // FetchTimeout
		offered      int           // bytes of TwiML the application offers, for the memory bound
		allocPerByte int           // bytes the call may allocate per byte offered; 0 means 64
		long         bool          // skipped under -short: seconds under the race detector

		wantCode     int            // a diagnostic with this code ends the call; -1: none
		wantKinds    map[string]int // how many events of these kinds
		wantStatus   string
		wantDuration time.Duration
		maxRequests  int
		maxWritten   int64 // bytes of body the application may manage to write
	}{{
		name:        "slow drip: ten bytes, one at a time, then nothing",
		app:         drip,
		timeout:     200 * time.Millisecond,
		offered:     10,
		wantCode:    11205,
		wantStatus:  "completed",
		maxRequests: 1,
		maxWritten:  10,
	}, {
		name:     "a body that never ends",
		app:      endless,
		offered:  webhook.DefaultMaxBody + 1,
		wantCode: 11750, wantStatus: "completed", maxRequests: 1,
		// What the engine reads, plus what the loopback socket buffers
		// take before a write fails.
		maxWritten: 64 << 20,
	}, {
		name:     "HTTP 302 to itself",
		app:      redirectSelf,
		wantCode: 11215, wantStatus: "completed",
		maxRequests: webhook.MaxRedirects + 1,
	}, {
		name:     "video/mp4",
		app:      document("video/mp4", pauses(1)),
		offered:  len(pauses(1)),
		wantCode: 12300, wantStatus: "completed", maxRequests: 1, maxWritten: int64(len(pauses(1))),
	}, {
		name:     "application/json",
		app:      document("application/json", `{"Response":{"Pause":{"length":1}}}`),
		offered:  40,
		wantCode: 12300, wantStatus: "completed", maxRequests: 1, maxWritten: 40,
	}, {
		name:     "no Content-Type",
		app:      document("", pauses(1)),
		offered:  len(pauses(1)),
		wantCode: 12300, wantStatus: "completed", maxRequests: 1, maxWritten: int64(len(pauses(1))),
	}, {
		name:     "invalid UTF-8 in the TwiML",
		app:      document("text/xml", "<Response><Say>caf\xc3\x28 \xff\xfe</Say></Response>"),
		offered:  40,
		wantCode: 12100, wantStatus: "completed", maxRequests: 1, maxWritten: 40,
	}, {
		name:     "nesting 3,800 deep within 64 KB",
		app:      document("text/xml", strings.Repeat("<Gather>", 3800)+strings.Repeat("</Gather>", 3800)),
		offered:  17 * 3800,
		wantCode: 12100, wantStatus: "completed", maxRequests: 1, maxWritten: 17 * 3800,
	}, {
		// 10,000 verbs take at least 80 KB (<Pause/> is 8 bytes), more
		// than Twilio's 64 KB TwiML limit: the document is refused
		// unread, and twiml's MaxNodes (20,000 elements and attributes)
		// is never reached by a fetched document.
		name:     "10,000 verbs: over Twilio's 64 KB limit",
		app:      document("text/xml", pauses(10_000)),
		offered:  len(pauses(10_000)),
		wantCode: 11750, wantStatus: "completed", maxRequests: 1, maxWritten: int64(len(pauses(10_000))),
	}, {
		name:      "3,400 verbs in 64 KB: parsed and run",
		app:       document("text/xml", pauses(fits)),
		offered:   len(pauses(fits)),
		wantCode:  -1,
		wantKinds: map[string]int{engine.KindPause: fits},
		// The parse cache keeps documents of up to 16 KB only. Pauses
		// alone never answer the call: it ends no-answer.
		wantStatus: "no-answer", wantDuration: time.Duration(fits) * time.Second,
		maxRequests: 1, maxWritten: int64(len(pauses(fits))),
	}, {
		// The worst amplification found: each <x/> is a 12200 warning,
		// so 64 KB give 16,000 transcript lines and some 385 bytes
		// allocated per byte.
		name:         "16,000 unknown elements in 64 KB: 16,000 warnings",
		app:          document("text/xml", "<Response>"+strings.Repeat("<x/>", 16000)+"</Response>"),
		offered:      4*16000 + 21,
		allocPerByte: 768,
		long:         true,
		wantCode:     -1,
		wantKinds:    map[string]int{engine.KindDiagnostic: 16000},
		wantStatus:   "completed", maxRequests: 1, maxWritten: 4*16000 + 21,
	}, {
		name: "Redirect between two documents, forever",
		app: documents(engine.Documents{
			"/voice": `<Response><Redirect>/b</Redirect></Response>`,
			"/b":     `<Response><Redirect>/voice</Redirect></Response>`,
		}),
		offered:     engine.DefaultMaxDocuments * 50,
		wantCode:    0,
		wantKinds:   map[string]int{engine.KindRequest: engine.DefaultMaxDocuments, engine.KindRedirect: engine.DefaultMaxDocuments},
		wantStatus:  "completed",
		maxRequests: engine.DefaultMaxDocuments, maxWritten: engine.DefaultMaxDocuments * 50,
	}, {
		name: "a Gather that requests its own document forever",
		app: documents(engine.Documents{
			"/voice": `<Response><Gather timeout="1" actionOnEmptyResult="true"><Say>Press a key</Say></Gather></Response>`,
		}),
		offered:      engine.DefaultMaxDocuments * 110,
		wantCode:     0,
		wantKinds:    map[string]int{engine.KindRequest: engine.DefaultMaxDocuments, engine.KindGather: engine.DefaultMaxDocuments},
		wantStatus:   "completed",
		wantDuration: engine.DefaultMaxDocuments * 2200 * time.Millisecond, // a word, then 1 s of timeout
		maxRequests:  engine.DefaultMaxDocuments, maxWritten: engine.DefaultMaxDocuments * 110,
	}}
	for _, tt := range tests {
		for _, over := range []bool{true, false} {
			name := tt.name + "/in-process"
			if over {
				name = tt.name + "/http"
			}
			t.Run(name, func(t *testing.T) {
				if tt.long && testing.Short() {
					t.Skip("slow under the race detector, which CI runs with -short")
				}
				base := leakcheck.Count()
				eff := &effort{stalled: make(chan struct{}, 1)}
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					eff.request()
					tt.app(w, r, eff)
				})
				e := &engine.Engine{Handler: h, FetchTimeout: tt.timeout}
				engine.ExpireFetches(e, eff.stalled)
				var srv *httptest.Server
				if over {
					srv = httptest.NewServer(h)
					defer srv.Close()
					e.Handler, e.BaseURL, e.Client = nil, srv.URL, srv.Client()
				}
				in := engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"}

				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				start := time.Now()
				res, err := e.Call(t.Context(), in)
				took := time.Since(start)
				runtime.ReadMemStats(&after)
				if err != nil {
					t.Fatalf("Call: %v", err)
				}
				if srv != nil {
					srv.Close()
				}

				checkCallTranscript(t, res)
				var codes []int
				kinds := map[string]int{}
				for _, ev := range res.Events {
					kinds[ev.Kind]++
					if ev.Kind == engine.KindDiagnostic && ev.Get("level") == "error" {
						codes = append(codes, ev.Get("code").(int))
					}
				}
				var wantCodes []int
				if tt.wantCode >= 0 {
					wantCodes = []int{tt.wantCode}
				}
				if diff := cmp.Diff(wantCodes, codes); diff != "" {
					t.Errorf("error diagnostics (-want +got):\n%s\n%s", diff, transcriptText(res.Events))
				}
				for kind, n := range tt.wantKinds {
					if kinds[kind] != n {
						t.Errorf("%d %s events, want %d", kinds[kind], kind, n)
					}
				}
				if res.Status != tt.wantStatus || res.Duration != tt.wantDuration {
					t.Errorf("the call ended %s after %v, want %s after %v", res.Status, res.Duration, tt.wantStatus, tt.wantDuration)
				}
				requests, written := eff.counts()
				if requests > tt.maxRequests || written > tt.maxWritten {
					t.Errorf("the application got %d requests (at most %d) and wrote %d bytes (at most %d)", requests, tt.maxRequests, written, tt.maxWritten)
				}
				alloc := after.TotalAlloc - before.TotalAlloc
				perByte := tt.allocPerByte
				if perByte == 0 {
					perByte = 64
				}
				if limit := uint64(4<<20 + perByte*tt.offered); alloc > limit {
					t.Errorf("the call allocated %d KiB for %d bytes offered (at most %d KiB)", alloc/kib, tt.offered, limit/kib)
				}
				t.Logf("%d events in %v; the application: %d requests, %d bytes written; allocated %d KiB",
					len(res.Events), took.Round(time.Millisecond), requests, written, alloc/kib)
				if n := leakcheck.Settle(base); n > base {
					t.Errorf("%d goroutines after the call, %d before:\n%s", n, base, stacks())
				}
			})
		}
	}
}

func transcriptText(events []engine.Event) string {
	var b strings.Builder
	engine.WriteText(&b, events)
	return b.String()
}
