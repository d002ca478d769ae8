package scenarios_test

import (
	"testing"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
)

// TestPolicyNames checks that the policy directive's names are the
// engine's, the one source of them.
func TestPolicyNames(t *testing.T) {
	for _, p := range engine.Policies() {
		s, err := scenarios.Parse("p.txt", []byte("call from=+15550001111 to=+15550002222 url=/voice\npolicy "+p.String()+"\n-- /voice --\n<Response/>\n"))
		if err != nil {
			t.Errorf("policy %v: %v", p, err)
			continue
		}
		if s.Policy != p {
			t.Errorf("policy %v: the scenario's policy is %v", p, s.Policy)
		}
	}
}
