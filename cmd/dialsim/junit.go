package main

import (
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// The JUnit XML report of dialsim test --junit, as CI systems read it
// (Jenkins' schema, which GitHub, GitLab and the others follow): one
// testsuite a PATH argument, one testcase a scenario.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Time     string      `xml:"time,attr"`
		Cases    []junitCase `xml:"testcase"`
		seconds  float64     // the sum of its cases' times
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		File      string        `xml:"file,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitProblem `xml:"failure"`
		Error     *junitProblem `xml:"error"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",cdata"`
	}
)

// junitSeconds formats a time attribute: seconds, to the millisecond.
func junitSeconds(s float64) string { return strconv.FormatFloat(s, 'f', 3, 64) }

// writeJUnit writes the results to file as a JUnit XML report; elapsed
// is the real time of the whole run (less than the sum of the
// scenarios' times when they ran in parallel).
func writeJUnit(file string, results []*testResult, elapsed float64) error {
	report := junitSuites{Name: "dialsim test", Time: junitSeconds(elapsed)}
	index := map[string]int{} // suite name -> its index in report.Suites
	for _, res := range results {
		i, ok := index[res.suite]
		if !ok {
			i = len(report.Suites)
			index[res.suite] = i
			report.Suites = append(report.Suites, junitSuite{Name: filepath.ToSlash(res.suite)})
		}
		suite := &report.Suites[i]
		c := junitCase{Name: res.Name, Classname: suite.Name, File: filepath.ToSlash(res.File), Time: junitSeconds(res.Seconds)}
		switch res.Status {
		case statusFail:
			text := res.Diff
			if text == "" {
				text = res.Error
			}
			msg := "the transcript differs from the want file (-want +got)"
			if res.Diff == "" {
				msg = res.Error
			}
			for _, h := range res.Hints {
				text += "\n" + h
			}
			c.Failure = &junitProblem{Message: msg, Type: "transcript", Text: text}
			suite.Failures++
			report.Failures++
		case statusError:
			c.Error = &junitProblem{Message: firstLine(res.Error), Type: "error", Text: res.Error}
			suite.Errors++
			report.Errors++
		}
		suite.Tests++
		report.Tests++
		suite.seconds += res.Seconds
		suite.Time = junitSeconds(suite.seconds)
		suite.Cases = append(suite.Cases, c)
	}
	out, err := xml.MarshalIndent(report, "", "  ")
	if err != nil {
		return fmt.Errorf("junit report: %w", err)
	}
	data := append([]byte(xml.Header), out...)
	data = append(data, '\n')
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}

// firstLine returns s up to its first newline.
func firstLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
