package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dialsim/dialsim/engine"
)

// BenchmarkTestParallel runs "dialsim test" on a suite of 200 scenarios
// against a loopback application whose every answer takes 20 ms of real
// time, as a real application's latency does, with -parallel 1, 2, 8 and
// 32. Each scenario makes one request, so the serial run takes about
// 200 × 20 ms = 4 s and a run with -parallel N about 4 s / N.
//
// On 2 shared cores, 1 Dec 2026, medians of 3: 4.68 s serial; 2.50 s
// with -parallel 2 (1.9 times faster), 0.600 s with 8 (7.8 times),
// 0.163 s with 32 (28.7 times).
//
//	go test ./cmd/dialsim -run '^$' -bench TestParallel -benchtime 1x -count 3
//
// The handler's time.Sleep is the one real sleep of the project's tests,
// and on purpose: what this benchmark measures is how much of a real
// application's latency -parallel overlaps, and that latency is real time
// by nature (the calls' own time stays virtual). A channel fed by a ticker
// would be real time too, under another name. No test runs it: it is a
// benchmark, and the scenarios it checks pass whatever the latency.
func BenchmarkTestParallel(b *testing.B) {
	const n, latency = 200, 20 * time.Millisecond
	docs := engine.Documents{"/voice": `<Response><Say>hello</Say></Response>`}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(latency) // the application's latency, in real time: what -parallel overlaps
		docs.ServeHTTP(w, r)
	}))
	defer srv.Close()
	dir := b.TempDir()
	const text = "call from=+15550001111 to=+15550002222 url=/voice\n"
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("s%03d.txt", i)), []byte(text), 0o666); err != nil {
			b.Fatal(err)
		}
	}
	// Write the want files once, from the application.
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"test", "--update", "--app", srv.URL, "-parallel", "32", dir}, strings.NewReader(""), &out, &errOut); err != nil {
		b.Fatalf("update: %v\n%s", err, &errOut)
	}
	for _, p := range []int{1, 2, 8, 32} {
		b.Run("parallel="+strconv.Itoa(p), func(b *testing.B) {
			for b.Loop() {
				var out, errOut bytes.Buffer
				err := run(context.Background(), []string{"test", "--app", srv.URL, "-parallel", strconv.Itoa(p), dir}, strings.NewReader(""), &out, &errOut)
				if err != nil || !strings.HasSuffix(out.String(), fmt.Sprintf("%d passed, 0 failed\n", n)) {
					b.Fatalf("test: %v\n%s%s", err, &out, &errOut)
				}
			}
		})
	}
}
