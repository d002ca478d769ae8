package main

import (
	"strings"
	"testing"

	"github.com/dialsim/dialsim/engine"
)

// TestPolicyFlagHelp checks that the help of every command with --policy
// lists the engine's policies, the one source of their names, and that
// the flag takes each of them.
func TestPolicyFlagHelp(t *testing.T) {
	for _, cmd := range []string{"run", "stats"} {
		stdout, stderr, _ := runCLI(t, "", "help", cmd)
		help := stdout + stderr
		for _, p := range engine.Policies() {
			if !strings.Contains(help, p.String()) {
				t.Errorf("dialsim help %s does not name policy %v:\n%s", cmd, p, help)
			}
		}
	}
	for _, p := range engine.Policies() {
		stdout, stderr, status := runCLI(t, jennyScenario, "run", "--policy", p.String(), "-")
		if status != 0 || !strings.Contains(stdout, "Policy="+p.String()) {
			t.Errorf("run --policy %v: status %d, stderr %q, transcript:\n%s", p, status, stderr, stdout)
		}
	}
}
