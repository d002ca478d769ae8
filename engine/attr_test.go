package engine_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

func TestAttrValues(t *testing.T) {
	for _, c := range []struct {
		attr engine.Attr
		want any
		text string
	}{
		{engine.StringAttr("To", "client:jenny"), "client:jenny", "To=client:jenny"},
		{engine.StringAttr("Reason", "the caller hung up"), "the caller hung up", `Reason="the caller hung up"`},
		{engine.StringAttr("to", ""), "", `to=""`},
		{engine.IntAttr("CallDuration", -3), -3, "CallDuration=-3"},
		{engine.BoolAttr("DialBridged", true), true, "DialBridged=true"},
		{engine.BoolAttr("DialBridged", false), false, "DialBridged=false"},
		{engine.FloatAttr("Duration", 0.8), 0.8, "Duration=0.8"},
		{engine.Attr{Key: "zero"}, "", `zero=""`},
	} {
		if got := c.attr.Value(); got != c.want {
			t.Errorf("%s: Value() = %#v, want %#v", c.text, got, c.want)
		}
		if got := c.attr.String(); got != c.text {
			t.Errorf("String() = %q, want %q", got, c.text)
		}
		ev := engine.Event{Kind: engine.KindNote, Attrs: []engine.Attr{c.attr}}
		if got := ev.Get(c.attr.Key); got != c.want {
			t.Errorf("%s: Get = %#v, want %#v", c.text, got, c.want)
		}
		if !strings.HasSuffix(ev.String(), " "+c.text) {
			t.Errorf("event line %q does not end with %q", ev.String(), c.text)
		}
	}
}

// go-cmp compares events field by field, kinds included: "1" is not 1.
func TestAttrsCompare(t *testing.T) {
	a := []engine.Event{{Kind: engine.KindLegEnd, Attrs: []engine.Attr{engine.StringAttr("CallDuration", "1")}}}
	b := []engine.Event{{Kind: engine.KindLegEnd, Attrs: []engine.Attr{engine.IntAttr("CallDuration", 1)}}}
	if cmp.Diff(a, a) != "" {
		t.Error("an event differs from itself")
	}
	if cmp.Diff(a, b) == "" {
		t.Error(`a string "1" equals the int 1`)
	}
}

// An event without fields has nil Attrs, as a literal Event would.
func TestEventWithoutFieldsHasNilAttrs(t *testing.T) {
	e := &engine.Engine{Handler: engine.Documents{"/voice": `<Response><Dial timeout="5"><Client>a</Client></Dial></Response>`}}
	res, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range res.Events {
		if ev.Kind == engine.KindLegRinging || ev.Kind == engine.KindCallAnswered {
			n++
			if ev.Attrs != nil {
				t.Errorf("%s: Attrs %#v, want nil", ev.Kind, ev.Attrs)
			}
		}
	}
	if n == 0 {
		t.Fatal("no event without fields in the transcript")
	}
}

// countedDocs is an application of fixed documents that counts the
// requests it serves.
type countedDocs struct {
	engine.Documents
	served *int
}

func (d countedDocs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	*d.served++
	d.Documents.ServeHTTP(w, r)
}

// An application that is a DocumentFinder is looked up rather than
// served, with the same transcript as when it is served; any other
// http.Handler is served.
func TestDocumentFinder(t *testing.T) {
	docs := engine.Documents{
		"/voice": `<Response><Gather action="/next" numDigits="1"><Say>Press 1</Say></Gather></Response>`,
		"/next":  `<Response><Say>Hi</Say></Response>`,
	}
	in := engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice",
		Caller: engine.Caller{Presses: []fake.Press{{Keys: "1", After: time.Second}}}}
	served := 0
	finder := countedDocs{docs, &served}
	var _ engine.DocumentFinder = finder
	tests := []struct {
		name   string
		app    http.Handler
		served int
	}{
		{"a DocumentFinder", finder, 0},
		{"a plain handler", http.HandlerFunc(finder.ServeHTTP), 2},
	}
	var want []engine.Event
	for _, tt := range tests {
		served = 0
		res, err := (&engine.Engine{Handler: tt.app}).Call(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if served != tt.served {
			t.Errorf("%s: the application served %d requests, want %d", tt.name, served, tt.served)
		}
		if want == nil {
			want = res.Events
		} else if diff := cmp.Diff(want, res.Events); diff != "" {
			t.Errorf("%s: transcript (-looked up +served):\n%s", tt.name, diff)
		}
	}
}
