package engine_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
	"github.com/google/go-cmp/cmp"
)

// A long series of calls, each fetching a document of its own, keeps no
// more alive than the Engine's Cache is bounded by.
func TestCacheBound(t *testing.T) {
	const (
		docSize = 16 << 10
		slack   = 2 << 20 // the rest of the heap may move by this much
	)
	// A document of docSize bytes for each path.
	pad := strings.Repeat("x", docSize)
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		head, tail := "<Response><Say>"+r.URL.Path+"</Say><!--", "--><Hangup/></Response>"
		w.Write([]byte(head + pad[:docSize-len(head)-len(tail)] + tail))
	})
	tests := []struct {
		name  string
		cache *engine.Cache
		bound int
		calls int
		// short is how many calls -short makes, 0 for none: enough to
		// fail without a bound, where 300 calls keep 5 MiB alive, over a
		// 1 MiB bound and the slack.
		short int
	}{
		{"the Engine's own", nil, engine.DefaultCacheBytes, 3000, 0},
		{"a small one", engine.NewCache(1 << 20), 1 << 20, 600, 300},
	}
	for _, tt := range tests {
		calls := tt.calls
		if testing.Short() {
			calls = tt.short
		}
		if calls == 0 {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			e := &engine.Engine{Handler: app, Cache: tt.cache}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for i := range calls {
				in := engine.Inbound{From: "+15550001111", To: "+15550002222", URL: fmt.Sprintf("/doc/%d", i)}
				if _, err := e.Call(context.Background(), in); err != nil {
					t.Fatal(err)
				}
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
			t.Logf("%d calls of distinct %d KiB documents: the live heap grew by %.1f MiB (bound %.1f MiB)",
				calls, docSize>>10, float64(grown)/(1<<20), float64(tt.bound)/(1<<20))
			if grown > int64(tt.bound+slack) {
				t.Errorf("the live heap grew by %d bytes, over the Cache's bound of %d and %d of slack", grown, tt.bound, slack)
			}
			runtime.KeepAlive(e)
		})
	}
}

// A call's transcript starts as long as the last one of its Cache (see
// sizeTranscript): calls after a longer or a shorter one record the same
// transcript as on a fresh Engine.
func TestTranscriptAfterOtherCalls(t *testing.T) {
	docs := engine.Documents{
		"/one":   `<Response><Say>Hello</Say><Hangup/></Response>`,
		"/ten":   `<Response><Dial action="/after">` + strings.Repeat(`<Client>a</Client>`, 9) + `<Client>b</Client></Dial></Response>`,
		"/after": `<Response><Say>Bye</Say></Response>`,
	}
	parties := engine.Parties{{Addr: "client:b", Outcome: fake.Answer, After: time.Second, Talk: 5 * time.Second}}
	call := func(e *engine.Engine, url string) []engine.Event {
		t.Helper()
		res, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: url})
		if err != nil {
			t.Fatal(err)
		}
		return res.Events
	}
	fresh := func(url string) []engine.Event {
		return call(&engine.Engine{Handler: docs, Parties: parties}, url)
	}
	want := map[string][]engine.Event{"/one": fresh("/one"), "/ten": fresh("/ten")}
	shared := &engine.Engine{Handler: docs, Parties: parties}
	for i, url := range []string{"/one", "/ten", "/one", "/one", "/ten", "/ten", "/one"} {
		got := call(shared, url)
		if diff := cmp.Diff(want[url], got, cmp.AllowUnexported(engine.Attr{})); diff != "" {
			t.Errorf("call %d (%s) after others: transcript differs (-fresh +shared):\n%s", i, url, diff)
		}
	}
}
