package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/dialsim/dialsim/scenarios"
)

// updateFile replaces the want file of the scenario s, read from file,
// with transcript, so that nothing is ever lost:
//
//   - the new file is written to a temporary file in the same directory,
//     synced to disk, given the original's permissions, and renamed over
//     the original; so a full disk, a kill or a crash at any moment leaves
//     either the old file or the new one, whole (at worst a temporary
//     file ".NAME.*.tmp" beside it after a kill);
//   - before the rename, the new file is parsed back, and must be the same
//     scenario with transcript as its want: every byte outside the want
//     as it was;
//   - on any error the original is not touched, and the temporary file is
//     removed.
//
// The file keeps its line endings: if its first line ends in CRLF, the
// transcript's lines (and the marker of a want it did not have) end in
// CRLF too. A byte order mark is kept. A symbolic link is followed: the
// file it names is replaced, and the link kept.
func updateFile(file string, s *scenarios.Scenario, transcript []byte) error {
	out, err := withWant(s, transcript)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	target, err := filepath.EvalSymlinks(file)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", file)
	}
	return replaceFile(target, out, info.Mode().Perm())
}

// withWant returns the file of s with transcript as its want, in the
// file's line endings, after checking that it parses back to s with that
// want.
func withWant(s *scenarios.Scenario, transcript []byte) ([]byte, error) {
	transcript = fixNewline(transcript)
	probe := s.WithWant(nil)
	crlf := firstLineCRLF(probe)
	var out []byte
	switch {
	case !crlf:
		out = s.WithWant(transcript)
	case s.HasWant:
		out = s.WithWant(toCRLF(transcript))
	default:
		// WithWant appends "-- want --\n", after a "\n" if the file lacked
		// a final newline: both take the file's CRLF.
		head := bytes.TrimSuffix(probe, []byte("-- want --\n"))
		if bytes.HasSuffix(head, []byte("\n")) && !bytes.HasSuffix(head, []byte("\r\n")) {
			head = append(head[:len(head)-1:len(head)-1], "\r\n"...)
		}
		out = append(append(bytes.Clone(head), "-- want --\r\n"...), toCRLF(transcript)...)
	}
	back, err := scenarios.Parse(s.Name, out)
	if err != nil {
		return nil, fmt.Errorf("the updated file would not parse (%v): not written", err)
	}
	if !back.HasWant || !bytes.Equal(back.Want, transcript) {
		return nil, errors.New("the updated file would not hold the transcript as its want: not written")
	}
	if !sameScenario(s, back) {
		return nil, errors.New("the updated file would not be the same scenario: not written")
	}
	return out, nil
}

// sameScenario reports whether a and b are the same scenario, whatever
// their wants (and so the lines of the documents after a want).
func sameScenario(a, b *scenarios.Scenario) bool {
	return a.Name == b.Name && a.Policy == b.Policy && a.Token == b.Token && a.App == b.App && a.Seed == b.Seed &&
		reflect.DeepEqual(a.Description, b.Description) && reflect.DeepEqual(a.Call, b.Call) &&
		reflect.DeepEqual(a.Caller, b.Caller) && reflect.DeepEqual(a.Parties, b.Parties) &&
		reflect.DeepEqual(a.Docs, b.Docs)
}

// fixNewline returns b ending in a newline unless it is empty.
func fixNewline(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		return append(b[:len(b):len(b)], '\n')
	}
	return b
}

// firstLineCRLF reports whether the first line of data ends in CRLF.
func firstLineCRLF(data []byte) bool {
	i := bytes.IndexByte(data, '\n')
	return i > 0 && data[i-1] == '\r'
}

// toCRLF returns b, whose lines end in LF, with CRLF line endings.
func toCRLF(b []byte) []byte {
	return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
}

// writeTemp writes data to the temporary file f; tests replace it to fail
// or stop in the middle.
var writeTemp = func(f *os.File, data []byte) error {
	_, err := f.Write(data)
	return err
}

// replaceFile replaces the file at path with data, atomically: see
// updateFile.
func replaceFile(path string, data []byte, perm os.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close() // a second Close only fails
			os.Remove(tmp)
		}
	}()
	if err := writeTemp(f, data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	// The rename is durable once the directory is synced; the file is
	// whole either way, so a directory that cannot be synced is no error.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
