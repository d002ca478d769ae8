package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/dialsim/dialsim/engine"
	"github.com/dialsim/dialsim/scenarios"
)

// The environment variables dialsim reads.
const (
	// envApp stands for --app when the flag is not given.
	envApp = "DIALSIM_APP"
	// envToken is the auth token of a scenario without a token line,
	// when --token is not given: Twilio's helper libraries read it too.
	envToken = "TWILIO_AUTH_TOKEN"
)

// appOption returns the --app flag's URL, or else $DIALSIM_APP.
func appOption(flag string) string {
	if flag != "" {
		return flag
	}
	return os.Getenv(envApp)
}

// optionsFor returns the options that play s: opts, with the token of
// $TWILIO_AUTH_TOKEN when neither --token nor the file gives one. The
// command line wins over the file, and the file over the environment.
func optionsFor(s *scenarios.Scenario, opts scenarios.RunOptions) scenarios.RunOptions {
	if opts.Token == "" && s.Token == "" {
		opts.Token = os.Getenv(envToken)
	}
	return opts
}

// errorWithHint returns err's message, with a hint of what to do when
// the application could not be reached.
func errorWithHint(err error) string {
	var ue *engine.UnreachableError
	if !errors.As(err, &ue) {
		return err.Error()
	}
	where := ue.URL
	if u, perr := url.Parse(ue.URL); perr == nil {
		where = u.Scheme + "://" + u.Host
	}
	return fmt.Sprintf("%v\n\tis your app running at %s? (start it, or point --app or $%s at it)", err, where, envApp)
}

// transcriptHints returns what may explain a call's transcript: a 400 or
// 403 answer to a signed request says the token may differ from the
// app's.
func transcriptHints(res *engine.Result, signed bool) []string {
	if !signed {
		return nil
	}
	for _, ev := range res.Filter(engine.KindDiagnostic, engine.AnyLeg) {
		if ev.Int("code") != 11217 {
			continue
		}
		msg := ev.Text("message")
		for _, status := range []string{" answered 400 ", " answered 403 "} {
			if strings.Contains(msg, status) {
				return []string{fmt.Sprintf("the app%s to a signed request: the auth token (--token, the file's token line, or $%s) may differ from the app's", strings.TrimSuffix(status, " "), envToken)}
			}
		}
	}
	return nil
}

// hasError reports whether the call had an error-level diagnostic.
func hasError(res *engine.Result) bool {
	for _, ev := range res.Filter(engine.KindDiagnostic, engine.AnyLeg) {
		if ev.Text("level") == "error" {
			return true
		}
	}
	return false
}
