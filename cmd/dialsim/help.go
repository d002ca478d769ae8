package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/dialsim/dialsim/scenarios"
)

var helpCommand = &command{
	name:    "help",
	args:    "[COMMAND|TOPIC]",
	summary: "list the commands and topics, or describe one",
	setup: func(_ *flag.FlagSet, e *env) func(context.Context, []string) error {
		return func(ctx context.Context, args []string) error {
			switch len(args) {
			case 0:
				printUsage(e.stdout, e.commands)
				return nil
			case 1:
				if printHelpTopic(e.stdout, args[0]) {
					return nil
				}
				c := e.lookup(args[0])
				if c == nil {
					return usageError("unknown command or topic " + args[0])
				}
				c.printDoc(e, e.stdout)
				return nil
			}
			return usageError("give at most one command")
		}
	},
}

// helpTopic is a subject "dialsim help" explains besides the commands.
type helpTopic struct {
	name, summary, text string
}

// helpTopics are the topics, in the order "dialsim help" lists them.
var helpTopics = []helpTopic{
	{"scenario", "the scenario language: directives, parties, values", scenarios.Reference},
	{"exit", "the exit statuses of the commands", exitHelp},
	{"limits", "the limits of what dialsim reads and simulates", limitsHelp},
}

// exitHelp is the text of "dialsim help exit".
const exitHelp = `Exit status

	0  success: every scenario passed; the call ran without an error
	   diagnostic; the documents are valid
	1  a check failed: a transcript differs from its want file, or has
	   none (test); the call had an error-level diagnostic, such as a
	   TwiML error or a failed request (run); a TwiML error (check)
	2  bad usage, input that cannot be read, output that cannot be
	   written (standard output, --svg, --junit), a scenario that
	   cannot run, or an application that cannot be reached (its
	   first request could not connect: is it running?)

Errors go to standard error.
`

// printHelpTopic prints the help topic name, and reports whether there
// is one.
func printHelpTopic(w io.Writer, name string) bool {
	for _, t := range helpTopics {
		if t.name == name {
			fmt.Fprint(w, t.text)
			return true
		}
	}
	return false
}
