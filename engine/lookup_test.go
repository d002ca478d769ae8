package engine_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/fake"
)

func TestEventGetters(t *testing.T) {
	ev := engine.Event{Kind: engine.KindDialEnd, Attrs: []engine.Attr{
		engine.StringAttr("DialCallStatus", "completed"),
		engine.IntAttr("DialCallDuration", 45),
		engine.BoolAttr("DialBridged", true),
		engine.FloatAttr("Duration", 1.6),
	}}
	type got struct {
		Text                      string
		Int                       int
		Bool                      bool
		Float                     float64
		Seconds, FloatSeconds     time.Duration
		WrongKind, Missing        any
		HasMissing, HasDialBridge bool
	}
	_, hasMissing := ev.Lookup("nope")
	_, hasBridged := ev.Lookup("DialBridged")
	g := got{
		Text: ev.Text("DialCallStatus"), Int: ev.Int("DialCallDuration"), Bool: ev.Bool("DialBridged"),
		Float: ev.Float("Duration"), Seconds: ev.Seconds("DialCallDuration"), FloatSeconds: ev.Seconds("Duration"),
		WrongKind:  []any{ev.Text("DialCallDuration"), ev.Int("DialCallStatus"), ev.Bool("DialCallStatus"), ev.Seconds("DialCallStatus")},
		Missing:    []any{ev.Text("nope"), ev.Int("nope"), ev.Bool("nope"), ev.Float("nope")},
		HasMissing: hasMissing, HasDialBridge: hasBridged,
	}
	want := got{
		Text: "completed", Int: 45, Bool: true, Float: 1.6, Seconds: 45 * time.Second, FloatSeconds: 1600 * time.Millisecond,
		WrongKind:     []any{"", 0, false, time.Duration(0)},
		Missing:       []any{"", 0, false, 0.0},
		HasDialBridge: true,
	}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("getters (-want +got):\n%s", diff)
	}
}

func TestResultFind(t *testing.T) {
	e := &engine.Engine{
		Handler: engine.Documents{"/voice": `<Response><Dial><Client>jenny</Client><Client>tommy</Client></Dial></Response>`},
		Parties: engine.Parties{
			{Addr: "client:jenny", Outcome: fake.Answer, After: 3 * time.Second, Talk: 44600 * time.Millisecond},
			{Addr: "client:tommy", Outcome: fake.Busy},
		},
	}
	res, err := e.Call(t.Context(), engine.Inbound{From: "+15550001111", To: "+15550002222", URL: "/voice"})
	if err != nil {
		t.Fatal(err)
	}
	end, ok := res.Find(engine.KindDialEnd, "")
	if !ok || end.Text("DialCallStatus") != "completed" || end.Int("DialCallDuration") != res.Dials[0].DialCallDuration() {
		t.Errorf("Find(dial.end, call): %v, %v; want completed with DialCallDuration %d", end, ok, res.Dials[0].DialCallDuration())
	}
	if d := res.Dials[0]; d.Duration != 44600*time.Millisecond || d.DialCallDuration() != 45 {
		t.Errorf("Duration %v, DialCallDuration() %d; want 44.6s and 45", d.Duration, d.DialCallDuration())
	}
	if _, ok := res.Find(engine.KindDialEnd, "client:jenny"); ok {
		t.Error("Find(dial.end, client:jenny) found an event of the call")
	}
	legEnd, ok := res.Find(engine.KindLegEnd, "client:tommy")
	if !ok || legEnd.Text("CallStatus") != "busy" {
		t.Errorf("Find(leg.end, client:tommy) = %v, %v; want busy", legEnd, ok)
	}
	var legs []string
	for _, ev := range res.Filter(engine.KindLegEnd, engine.AnyLeg) {
		legs = append(legs, ev.Leg+" "+ev.Text("CallStatus"))
	}
	if diff := cmp.Diff([]string{"client:tommy busy", "client:jenny completed"}, legs); diff != "" {
		t.Errorf("Filter(leg.end, AnyLeg) (-want +got):\n%s", diff)
	}
	if n := len(res.Filter("", "client:jenny")); n == 0 {
		t.Error("Filter(any kind, client:jenny) is empty")
	}
	if evs := res.Filter(engine.KindGather, engine.AnyLeg); evs != nil {
		t.Errorf("Filter(gather) = %v, want nil", evs)
	}
	if (engine.DialResult{Duration: 3 * time.Second}).DialCallDuration() != 0 {
		t.Error("DialCallDuration of a Dial that bridged nothing is not 0")
	}
}
