// Command dialsim simulates Twilio's voice platform for TwiML applications.
//
// Run "dialsim help" for its commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	// The first Ctrl-C cancels ctx, which every command and every read
	// watches; a second one kills the process, as by default.
	context.AfterFunc(ctx, stop)
	listening()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// listening is called once main listens for Ctrl-C; a test sets it.
var listening = func() {}

// Exit statuses.
const (
	exitOK     = 0 // success
	exitFailed = 1 // the command ran and found problems (a check failed)
	exitUsage  = 2 // bad usage, or input that could not be read
)

// exitStatus is an error asking main to exit with that status; the command
// has already said what went wrong.
type exitStatus int

func (s exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

// exitCode returns the exit status for run's error, printing the error to
// stderr unless the command already reported it.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var s exitStatus
	if errors.As(err, &s) {
		return int(s)
	}
	fmt.Fprintf(stderr, "dialsim: %v\n", err)
	return exitUsage
}
