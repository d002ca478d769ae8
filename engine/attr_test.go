package engine_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
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
	e := &engine.Engine{App: engine.Documents{"/voice": `<Response><Dial timeout="5"><Client>a</Client></Dial></Response>`}}
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

// servedDocs is an application that embeds Documents, and so has its
// Document method, but serves its own way.
type servedDocs struct {
	engine.Documents
	served *int
}

func (d servedDocs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	*d.served++
	d.Documents.ServeHTTP(w, r)
}

// Only Documents itself is looked up rather than served: an application
// that merely has a Document method is served.
func TestOnlyDocumentsAreLookedUp(t *testing.T) {
	served := 0
	e := &engine.Engine{App: servedDocs{engine.Documents{"/voice": `<Response><Say>Hi</Say></Response>`}, &served}}
	if _, err := e.Call(context.Background(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"}); err != nil {
		t.Fatal(err)
	}
	if served != 1 {
		t.Errorf("the application served %d requests, want 1", served)
	}
}
