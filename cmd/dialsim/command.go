package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dialsim/dialsim/internal/suggest"
)

// A command is one dialsim subcommand, such as "dialsim check". To add one,
// write NAME.go with a *command variable and list it in commands.
type command struct {
	// name is the word after "dialsim".
	name string
	// args is the synopsis of the arguments, such as "[--strict] FILE...".
	args string
	// summary is one line for "dialsim help".
	summary string
	// doc is the longer description for "dialsim help NAME".
	doc string
	// setup defines the command's flags on fs and returns the function that
	// runs it with the arguments left after the flags. Flags may come
	// before, between or after the other arguments; "--" ends them.
	setup func(fs *flag.FlagSet, e *env) func(ctx context.Context, args []string) error
}

// commands returns the subcommands, in the order "dialsim help" lists them.
func commands() []*command {
	return []*command{
		runCommand,
		testCommand,
		statsCommand,
		checkCommand,
		versionCommand,
		helpCommand,
	}
}

// env is what a command may use of the outside world.
type env struct {
	stdin    io.Reader
	stdout   io.Writer
	stderr   io.Writer
	commands []*command
}

func (e *env) lookup(name string) *command {
	i := slices.IndexFunc(e.commands, func(c *command) bool { return c.name == name })
	if i < 0 {
		return nil
	}
	return e.commands[i]
}

// run runs the dialsim command line args (without the program name).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, commands: commands()}
	if len(args) == 0 {
		printUsage(stderr, e.commands)
		return exitStatus(exitUsage)
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	}
	c := e.lookup(name)
	if c == nil {
		names := make([]string, len(e.commands))
		for i, c := range e.commands {
			names[i] = c.name
		}
		fmt.Fprintf(stderr, "dialsim: unknown command %q%s\nRun 'dialsim help' for usage.\n", name, suggest.DidYouMean(name, names))
		return exitStatus(exitUsage)
	}
	out := &outWriter{w: stdout}
	e.stdout = out
	err := c.exec(ctx, e, args[1:])
	if out.err != nil {
		fmt.Fprintf(stderr, "dialsim %s: writing standard output: %v\n", c.name, out.err)
		return exitStatus(exitUsage)
	}
	return err
}

// flagSet returns a FlagSet for c, printing its errors and usage to w, with
// the function that runs c.
func (c *command) flagSet(e *env, w io.Writer) (*flag.FlagSet, func(context.Context, []string) error) {
	fs := flag.NewFlagSet("dialsim "+c.name, flag.ContinueOnError)
	fs.SetOutput(w)
	fn := c.setup(fs, e)
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: dialsim %s %s\n", c.name, c.args)
		printFlags(w, fs)
		fmt.Fprintf(w, "Run 'dialsim help %s' for details.\n", c.name)
	}
	return fs, fn
}

// printDoc prints c's synopsis, description and flags.
func (c *command) printDoc(e *env, w io.Writer) {
	fs, _ := c.flagSet(e, w)
	fmt.Fprintf(w, "usage: dialsim %s %s\n", c.name, c.args)
	if c.doc != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.doc))
	}
	printFlags(w, fs)
}

// printFlags prints the flags of fs, if it has any.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.PrintDefaults()
	}
}

// exec parses c's flags from args and runs it.
func (c *command) exec(ctx context.Context, e *env, args []string) error {
	fs, fn := c.flagSet(e, e.stderr)
	rest, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		// The flag package has printed the error and the usage.
		return exitStatus(exitUsage)
	}
	err = fn(ctx, rest)
	var u usageError
	if errors.As(err, &u) {
		fmt.Fprintf(e.stderr, "dialsim %s: %s\n", c.name, string(u))
		fs.Usage()
		return exitStatus(exitUsage)
	}
	return err
}

// usageError is returned by a command given the wrong arguments; exec
// prints it with the command's usage.
type usageError string

func (u usageError) Error() string { return string(u) }

// parseArgs parses the flags in args wherever they are, and returns the
// other arguments in order. After "--", everything is an argument.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if used := len(args) - fs.NArg(); used > 0 && args[used-1] == "--" {
			return append(rest, fs.Args()...), nil
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// printUsage prints the list of commands.
func printUsage(w io.Writer, cmds []*command) {
	fmt.Fprintf(w, "dialsim simulates Twilio's voice platform for TwiML applications.\n\n")
	fmt.Fprintf(w, "Usage:\n\n\tdialsim <command> [arguments]\n\nThe commands are:\n\n")
	width := 0
	for _, c := range cmds {
		width = max(width, len(c.name))
	}
	for _, c := range cmds {
		fmt.Fprintf(w, "\t%-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintf(w, "\nThe help topics are:\n\n")
	for _, t := range helpTopics {
		width = max(width, len(t.name))
	}
	for _, t := range helpTopics {
		fmt.Fprintf(w, "\t%-*s  %s\n", width, t.name, t.summary)
	}
	fmt.Fprintf(w, "\nRun 'dialsim help <command>' for more about a command, 'dialsim help <topic>' to read a topic.\n")
}
