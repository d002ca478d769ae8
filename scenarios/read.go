package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxFileSize is the largest scenario file ParseFile reads: 4 MiB, room
// for many documents of Twilio's 64 KB and a want of tens of thousands of
// lines. A larger file is refused with ErrTooLarge.
const MaxFileSize = 4 << 20

// The errors of reading a scenario file, which ParseFile wraps with the
// file's path.
var (
	// ErrTooLarge is a file larger than the limit.
	ErrTooLarge = errors.New("file too large")
	// ErrNotRegular is a path that is not a regular file, such as a
	// directory, a FIFO or a device (/dev/zero), which could be read
	// forever.
	ErrNotRegular = errors.New("not a regular file")
)

// ReadFile reads the file at path, which must be a regular file of at
// most limit bytes: anything else is refused, before its content is read,
// with an error wrapping ErrNotRegular or ErrTooLarge. A file that grows
// while it is read is read up to the limit only.
func ReadFile(path string, limit int64) ([]byte, error) {
	// Opening a FIFO waits for a writer: look at the path first, then at
	// what was opened.
	if err := checkRegular(os.Stat(path)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err := checkRegular(info, err); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%s: %w: %d bytes, more than the limit of %d", path, ErrTooLarge, info.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %w: more than the limit of %d bytes", path, ErrTooLarge, limit)
	}
	return data, nil
}

// checkRegular returns an error unless info, err are those of a regular
// file.
func checkRegular(info os.FileInfo, err error) error {
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		kind := "a directory"
		switch m := info.Mode(); {
		case m&os.ModeNamedPipe != 0:
			kind = "a FIFO"
		case m&os.ModeDevice != 0:
			kind = "a device"
		case m&os.ModeSocket != 0:
			kind = "a socket"
		case !m.IsDir():
			kind = "not a file"
		}
		return fmt.Errorf("%w (%s)", ErrNotRegular, kind)
	}
	return nil
}

// bom is the UTF-8 byte order mark, which some editors put first in a
// file.
var bom = []byte("\ufeff")

// The line endings of a scenario file do not matter: Parse reads a file
// with CRLF line endings (Windows editors, a git checkout with autocrlf)
// as the same file with LF, and a UTF-8 byte order mark at its start as
// nothing. The file itself is kept as it is, for WithWant.

// trimBOM returns the header without a byte order mark at its start.
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, bom) }

// lf returns b with each CRLF turned into LF; b itself when it has none.
func lf(b []byte) []byte {
	if !bytes.Contains(b, []byte("\r\n")) {
		return b
	}
	return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
}
