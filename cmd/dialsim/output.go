package main

import (
	"io"
	"os"
)

// outWriter is a command's standard output: it keeps the first error of a
// write, after which every write fails at once, so that run can exit
// non-zero when the output was lost (a full disk, a closed pipe).
type outWriter struct {
	w   io.Writer
	err error
}

func (o *outWriter) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	if err != nil {
		o.err = err
	}
	return n, err
}

// writeOutput writes an output file such as an SVG picture, through a
// temporary file renamed into place (replaceFile): a failed write leaves
// the old file, if any, whole. The file keeps its permissions, or gets
// 0644.
func writeOutput(file string, data []byte) error {
	perm := os.FileMode(0o644)
	if info, err := os.Stat(file); err == nil && info.Mode().IsRegular() {
		perm = info.Mode().Perm()
	}
	return replaceFile(file, data, perm)
}
