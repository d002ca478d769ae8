package main

import (
	"context"
	"flag"
)

var helpCommand = &command{
	name:    "help",
	args:    "[COMMAND]",
	summary: "list the commands, or describe one",
	setup: func(_ *flag.FlagSet, e *env) func(context.Context, []string) error {
		return func(ctx context.Context, args []string) error {
			switch len(args) {
			case 0:
				printUsage(e.stdout, e.commands)
				return nil
			case 1:
				if helpTopic(e.stdout, args[0]) {
					return nil
				}
				c := e.lookup(args[0])
				if c == nil {
					return usageError("unknown command " + args[0])
				}
				c.printDoc(e, e.stdout)
				return nil
			}
			return usageError("give at most one command")
		}
	},
}
