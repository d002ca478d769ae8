package main

import (
	"context"
	"flag"
	"fmt"
	"runtime/debug"
)

var versionCommand = &command{
	name:    "version",
	summary: "print dialsim's version",
	doc: `
Version prints the module version dialsim was built from, such as
"dialsim v0.3.0" for a binary that go install github.com/dialsim/dialsim/cmd/dialsim@v0.3.0
made, or "dialsim devel" and the VCS revision (with "+dirty" for
uncommitted changes) for one built from a clone, then the Go version.`,
	setup: func(_ *flag.FlagSet, e *env) func(context.Context, []string) error {
		return func(_ context.Context, args []string) error {
			if len(args) > 0 {
				return usageError("version takes no arguments")
			}
			info, _ := debug.ReadBuildInfo()
			fmt.Fprintln(e.stdout, versionLine(info))
			return nil
		}
	},
}

// versionLine returns the line "dialsim version" prints for the build
// info (nil if the binary has none).
func versionLine(info *debug.BuildInfo) string {
	if info == nil {
		return "dialsim devel (no build information)"
	}
	line := "dialsim " + info.Main.Version
	if info.Main.Version == "" || info.Main.Version == "(devel)" {
		line = "dialsim devel"
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" {
			line += " " + rev
			if settings["vcs.modified"] == "true" {
				line += "+dirty"
			}
			if t := settings["vcs.time"]; t != "" {
				line += " (" + t + ")"
			}
		}
	}
	return line + " " + info.GoVersion
}
