// Command slowapp is a TwiML application that answers every request after
// a fixed latency of real time, as a real application over a network
// does: the stand-in app of bench/parallel.sh, which measures how much of
// an application's latency "dialsim test -parallel N" overlaps. It is not
// a test and runs no simulated call; its latency is real by nature.
//
//	go run ./bench/slowapp -addr 127.0.0.1:8099 -latency 20ms
package main

import (
	"flag"
	"log"
	"net/http"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8099", "address to listen on")
	latency := flag.Duration("latency", 20*time.Millisecond, "how long each answer takes")
	flag.Parse()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(*latency) // the application's latency, which -parallel overlaps
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(`<Response><Say>hello</Say></Response>`))
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
