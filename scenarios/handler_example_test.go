package scenarios_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
)

// A scenario file without documents runs against a Go application's own
// handler, in process: here a mux that answers the voice URL with a Dial.
func ExampleRunOptions_handler() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /voice", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<Response><Dial><Client>jenny</Client></Dial></Response>`)
	})
	s, err := scenarios.Parse("jenny.txt", []byte(`# Jenny answers at 3 s and talks for 10 s.
call from=+15550001111 to=+15550002222 url=/voice
party client:jenny answer=3s talk=10s
`))
	if err != nil {
		panic(err)
	}
	res, err := scenarios.Run(context.Background(), s, scenarios.RunOptions{Handler: mux})
	if err != nil {
		panic(err)
	}
	end, _ := res.Find(engine.KindDialEnd, "")
	fmt.Println(end.Text("DialCallStatus"), end.Text("to"), end.Seconds("DialCallDuration"))
	// Output:
	// completed client:jenny 10s
}
