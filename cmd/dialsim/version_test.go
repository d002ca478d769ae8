package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestVersionLine(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"go install @version", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v0.3.0"}}, "dialsim v0.3.0 go1.26.0"},
		{"a clone", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", "abc123", "vcs.time", "2026-12-01T19:00:00Z", "vcs.modified", "false")},
			"dialsim devel abc123 (2026-12-01T19:00:00Z) go1.26.0"},
		{"a clone with changes", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", "abc123", "vcs.modified", "true")},
			"dialsim devel abc123+dirty go1.26.0"},
		{"no VCS", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}}, "dialsim devel go1.26.0"},
		{"no build information", nil, "dialsim devel (no build information)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, versionLine(tt.info)); diff != "" {
				t.Errorf("versionLine (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	stdout, stderr, status := runCLI(t, "", "version")
	if status != 0 || stderr != "" || !strings.HasPrefix(stdout, "dialsim ") {
		t.Errorf("exit status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
}

// TestHelpTopics checks that "dialsim help" lists the topics, and that
// each can be read.
func TestHelpTopics(t *testing.T) {
	stdout, _, _ := runCLI(t, "", "help")
	for _, topic := range helpTopics {
		if !strings.Contains(stdout, "\t"+topic.name+" ") {
			t.Errorf("dialsim help does not list the topic %s:\n%s", topic.name, stdout)
		}
		text, stderr, status := runCLI(t, "", "help", topic.name)
		if status != 0 || stderr != "" || text != topic.text {
			t.Errorf("dialsim help %s: exit status %d, stderr %q", topic.name, status, stderr)
		}
	}
}
