package scenarios_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/fake"
	"github.com/dialsim/dialsim/scenarios"
)

const recordCall = "call from=+15550001111 to=+15550002222 url=/voice\n"
const recordDoc = "-- /voice --\n<Response><Record/></Response>\n"

// TestParseRecord checks the caller's record=MESSAGE values: what each
// reads as, and that a fixed one gives the same message on every run.
func TestParseRecord(t *testing.T) {
	talk := func(d fake.Dist) fake.StepDist { return fake.StepDist{Kind: fake.Talk, D: d} }
	one := func(text string, steps ...fake.StepDist) fake.RandomMessage {
		return fake.RandomMessage{Choices: []fake.MessageChoice{{P: 1, Steps: steps, Transcript: text}}}
	}
	tests := []struct {
		line string
		want []fake.RandomMessage
	}{
		{"caller record=talk(20s)", []fake.RandomMessage{one("", talk(fake.Fixed(20*time.Second)))}},
		{"caller record=silent", []fake.RandomMessage{one("")}},
		{`caller record=talk(20s,"please call me back")`, []fake.RandomMessage{one("please call me back", talk(fake.Fixed(20*time.Second)))}},
		{"caller record=talk(20s)+press(#)", []fake.RandomMessage{one("", talk(fake.Fixed(20*time.Second)), fake.StepDist{Kind: fake.Key, Key: "#"})}},
		{"caller record=silent(2s)+press(5@1s)+hangup(3s)", []fake.RandomMessage{one("",
			fake.StepDist{Kind: fake.Silence, D: fake.Fixed(2 * time.Second)}, fake.StepDist{Kind: fake.Key, Key: "5", D: fake.Fixed(time.Second)},
			fake.StepDist{Kind: fake.HangUp, D: fake.Fixed(3 * time.Second)})}},
		{"caller record=talk(exp(30s)) record=hangup", []fake.RandomMessage{one("", talk(fake.Exponential(30*time.Second))), one("", fake.StepDist{Kind: fake.HangUp})}},
		{`caller record=0.6:talk(uniform(10s,60s),"hi")|40%:hangup(3s)`, []fake.RandomMessage{{Choices: []fake.MessageChoice{
			{P: 0.6, Steps: []fake.StepDist{talk(fake.Uniform(10*time.Second, time.Minute))}, Transcript: "hi"},
			{P: 0.4, Steps: []fake.StepDist{{Kind: fake.HangUp, D: fake.Fixed(3 * time.Second)}}},
		}}}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			s, err := scenarios.Parse("t.txt", []byte(recordCall+tt.line+"\n"+recordDoc))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, s.Caller.Records); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseRecordErrors checks that a bad record=MESSAGE is an *Error at
// its line, of the kind it is.
func TestParseRecordErrors(t *testing.T) {
	tests := []struct {
		line string
		want error
	}{
		{"caller record", scenarios.ErrSyntax},
		{"caller record=", scenarios.ErrSyntax},
		{"caller record=talk", scenarios.ErrSyntax},
		{"caller record=talk(20)", scenarios.ErrDist},
		{"caller record=talk(-2s)", scenarios.ErrDist},
		{"caller record=sing(2s)", scenarios.ErrBehaviour},
		{"caller record=press(x)", scenarios.ErrKeys},
		{"caller record=press(12)", scenarios.ErrKeys},
		{"caller record=press", scenarios.ErrKeys},
		{"caller record=hangup+talk(2s)", scenarios.ErrContradiction},
		{"caller record=talk(2s)+silent", scenarios.ErrSyntax},
		{`caller record=talk(2s,nope)`, scenarios.ErrSyntax},
		{`caller record=talk(2s,"open)`, scenarios.ErrSyntax},
		{"caller record=talk(2s)|hangup", scenarios.ErrProbability},
		{"caller record=0.5:talk(2s)|0.2:hangup", scenarios.ErrProbability},
		{"caller record=1.5:talk(2s)", scenarios.ErrProbability},
		{"caller record=x:talk(2s)|0.5:hangup", scenarios.ErrProbability},
		{"caller record=talk(2s)++hangup", scenarios.ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			_, err := scenarios.Parse("t.txt", []byte("# a description\n"+recordCall+tt.line+"\n"+recordDoc))
			var se *scenarios.Error
			if !errors.As(err, &se) || se.Line != 3 {
				t.Fatalf("got %v, want an *Error at line 3", err)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestCallerMessages checks that random messages are drawn per run (a
// series sees both choices) and that the scenario counts as random.
func TestCallerMessages(t *testing.T) {
	s, err := scenarios.Parse("t.txt", []byte(recordCall+"seed 3\ncaller record=0.5:talk(uniform(10s,20s))|0.5:hangup\n"+recordDoc))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Random() {
		t.Fatal("a scenario with a random message is not Random")
	}
	kinds := map[fake.StepKind]int{}
	for run := range uint64(200) {
		m := s.Caller.Messages(fake.NewRand(s.Seed, run))
		if len(m) != 1 || len(m[0].Steps) != 1 {
			t.Fatalf("run %d: %v", run, m)
		}
		st := m[0].Steps[0]
		if st.Kind == fake.Talk && (st.D < 10*time.Second || st.D >= 20*time.Second) {
			t.Fatalf("run %d: talk %v outside [10s, 20s)", run, st.D)
		}
		kinds[st.Kind]++
	}
	if kinds[fake.Talk] < 70 || kinds[fake.HangUp] < 70 {
		t.Errorf("200 runs drew %v: want about half of each", kinds)
	}
}
