package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/internal/weburl"
	"github.com/dialsim/dialsim/scenarios"
	"github.com/dialsim/dialsim/timeline"
)

var runCommand = &command{
	name:    "run",
	args:    "[--json] [--policy P] [--app URL] [--token T] [--realtime] [--timeline] [--svg FILE] FILE",
	summary: "run a scenario and print its transcript",
	doc: `
Run plays the call of a scenario file (or standard input, for "-") and
prints its transcript: one line an event, virtual time first. With --json
the events are JSON lines instead, each with "t" (seconds) and "kind".

The call runs on virtual time, so it takes microseconds and gives the same
transcript every time; --realtime runs it on the wall clock instead, for a
live demonstration against a running application.

--timeline adds a text picture of the call after the transcript: a lane
for the caller and one for each dialed leg, over time. --svg writes the
same picture as an SVG file.

The scenario language is described by "dialsim help scenario".

With --app (or $DIALSIM_APP; the flag wins) the call requests its TwiML
from the application running at URL instead of the file's documents and
app line; the file then needs no documents. --token gives the auth token
that signs the requests: it wins over the file's token line, which wins
over $TWILIO_AUTH_TOKEN.

The exit status is 0 when the call ran without an error-level diagnostic,
1 when it had one (a TwiML error, a failed request: the transcript
shows it), and 2 for bad usage, a scenario that cannot be read, an
application that cannot be reached, a simulation that failed, or output
that cannot be written. --svg may not name the scenario file.`,
	setup: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
		jsonOut := fs.Bool("json", false, "print the transcript as JSON lines")
		policy := policyFlag(fs)
		app := fs.String("app", "", "base `URL` of a running application that serves the call's TwiML, overriding the scenario's documents (default $DIALSIM_APP)")
		token := fs.String("token", "", "auth token `T` that signs the requests, over the file's token line (default: the file's, else $TWILIO_AUTH_TOKEN)")
		realtime := fs.Bool("realtime", false, "run on the wall clock instead of virtual time")
		timelineText := fs.Bool("timeline", false, "print a text timeline of the call after the transcript")
		svg := fs.String("svg", "", "write an SVG timeline of the call to `FILE`")
		return func(ctx context.Context, args []string) error {
			if len(args) != 1 {
				return usageError("want one scenario FILE")
			}
			if *jsonOut && *timelineText {
				return usageError("--timeline prints text; leave out --json, or use --svg")
			}
			set := map[string]bool{}
			fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
			opts, err := runOptions(policyOption(set, *policy), appOption(*app), *token)
			if err != nil {
				return err
			}
			opts.Realtime = *realtime
			if *svg != "" {
				if err := checkNotInput(*svg, args); err != nil {
					return usageError(err.Error())
				}
			}
			s, err := readScenario(ctx, args[0], e.stdin)
			if err != nil {
				fmt.Fprintf(e.stderr, "dialsim run: %v\n", err)
				return exitStatus(exitUsage)
			}
			opts = optionsFor(s, opts)
			res, runErr := scenarios.Run(ctx, s, opts)
			if res != nil {
				write := engine.WriteText
				if *jsonOut {
					write = engine.WriteJSON
				}
				if err := write(e.stdout, res.Events); err != nil {
					return err
				}
			}
			if runErr != nil {
				fmt.Fprintf(e.stderr, "dialsim run: %s\n", errorWithHint(runErr))
				return exitStatus(exitUsage)
			}
			for _, h := range transcriptHints(res, opts.Token != "" || s.Token != "") {
				fmt.Fprintf(e.stderr, "dialsim run: %s\n", h)
			}
			tl := timeline.New(res.Events)
			tl.Title = title(s)
			if *timelineText {
				fmt.Fprintln(e.stdout)
				if err := tl.WriteText(e.stdout); err != nil {
					return err
				}
			}
			if *svg != "" {
				if err := writeSVG(*svg, tl); err != nil {
					fmt.Fprintf(e.stderr, "dialsim run: %v\n", err)
					return exitStatus(exitUsage)
				}
			}
			if hasError(res) {
				fmt.Fprintf(e.stderr, "dialsim run: the call had an error-level diagnostic (in the transcript)\n")
				return exitStatus(exitFailed)
			}
			return nil
		}
	},
}

// policyUsage is the help of the --policy flag, which lists the policies.
var policyUsage = func() string {
	var names []string
	for _, p := range engine.Policies() {
		names = append(names, p.String())
	}
	return "use screening policy `P`, overriding the scenario's: " + strings.Join(names, " or ")
}()

// policyFlag defines the --policy flag on fs. Without it, the policy is
// the scenario's, so the flag's help shows no default.
func policyFlag(fs *flag.FlagSet) *engine.Policy {
	var p engine.Policy
	fs.TextVar(&p, "policy", engine.FirstAnswer, policyUsage)
	fs.Lookup("policy").DefValue = ""
	return &p
}

// policyOption returns the --policy flag's policy as RunOptions take it:
// the flag's if it is set, and otherwise nil, the scenario's.
func policyOption(set map[string]bool, policy engine.Policy) *engine.Policy {
	if !set["policy"] {
		return nil
	}
	return &policy
}

// runOptions checks the application's URL (--app or $DIALSIM_APP), and
// returns the options of a run under policy (nil for the scenario's) that
// signs with token ("" for the file's).
func runOptions(policy *engine.Policy, app, token string) (scenarios.RunOptions, error) {
	if app != "" {
		u, err := url.Parse(app)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return scenarios.RunOptions{}, usageError(fmt.Sprintf("--app %s: want an http or https URL", weburl.Redact(app)))
		}
	}
	return scenarios.RunOptions{Policy: policy, BaseURL: app, Token: token}, nil
}

// readScenario reads and parses the scenario file, or standard input for "-".
func readScenario(ctx context.Context, file string, stdin io.Reader) (*scenarios.Scenario, error) {
	name, data, err := readInput(ctx, file, stdin, maxScenario)
	if err != nil {
		return nil, err
	}
	return scenarios.Parse(name, data)
}

// title names a scenario's picture: the first phrase of its description
// (up to a colon or the end of a sentence), or else its file name.
func title(s *scenarios.Scenario) string {
	text := strings.Join(s.Description, " ") + " "
	for _, end := range []string{": ", ". "} {
		if i := strings.Index(text, end); i >= 0 {
			text = text[:i]
		}
	}
	if text = strings.TrimSpace(text); text == "" {
		return s.Name
	}
	return text
}

// writeSVG writes the timeline's SVG picture to file, through a
// temporary file renamed into place (replaceFile).
func writeSVG(file string, tl *timeline.Timeline) error {
	var b bytes.Buffer
	if err := tl.WriteSVG(&b); err != nil {
		return err
	}
	return writeOutput(file, b.Bytes())
}
