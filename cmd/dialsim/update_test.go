package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/scenarios"
)

// stale is ring with a want that no longer matches.
const stale = ring + "-- want --\nold\n"

// tempFiles returns the temporary files updateFile may leave in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestUpdateKeepsFile: --update rewrites the want only, keeps the file's
// mode, line endings and byte order mark, follows a symbolic link, and
// leaves no temporary file.
func TestUpdateKeepsFile(t *testing.T) {
	want := transcript(t, "ring.txt", ring, scenarios.RunOptions{})
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	for _, tt := range []struct {
		name, in, want string
	}{
		{"stale want", stale, ring + "-- want --\n" + want},
		{"no want", ring, ring + "-- want --\n" + want},
		{"no want, no final newline", strings.TrimSuffix(ring, "\n"), ring + "-- want --\n" + want},
		{"CRLF", crlf(stale), crlf(ring + "-- want --\n" + want)},
		{"CRLF, no want", crlf(ring), crlf(ring + "-- want --\n" + want)},
		{"CRLF, no want, no final newline", strings.TrimSuffix(crlf(ring), "\r\n"), crlf(ring + "-- want --\n" + want)},
		{"BOM", "\ufeff" + stale, "\ufeff" + ring + "-- want --\n" + want},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, "real/ring.txt", tt.in)
			if err := os.Chmod("real/ring.txt", 0o640); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("real/ring.txt", "ring.txt"); err != nil {
				t.Fatal(err)
			}
			stdout, stderr, status := runCLI(t, "", "test", "--update", "ring.txt")
			if status != 0 {
				t.Fatalf("status %d\n%s%s", status, stdout, stderr)
			}
			got, err := os.ReadFile("real/ring.txt")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("updated file (-want +got):\n%s", diff)
			}
			if info, err := os.Lstat("ring.txt"); err != nil || info.Mode()&os.ModeSymlink == 0 {
				t.Errorf("ring.txt is no longer a symbolic link (%v)", err)
			}
			if info, err := os.Stat("real/ring.txt"); err != nil || info.Mode().Perm() != 0o640 {
				t.Errorf("mode after update: %v (%v), want 0640", info.Mode(), err)
			}
			if m := append(tempFiles(t, dir), tempFiles(t, filepath.Join(dir, "real"))...); len(m) > 0 {
				t.Errorf("temporary files left: %v", m)
			}
			if stdout, stderr, status := runCLI(t, "", "test", "ring.txt"); status != 0 {
				t.Errorf("test after update: status %d\n%s%s", status, stdout, stderr)
			}
		})
	}
}

// TestUpdateFailsSafely: when the new file cannot be written whole, the
// original is byte-identical and no temporary file is left.
func TestUpdateFailsSafely(t *testing.T) {
	for _, tt := range []struct {
		name string
		// setup writes stale to file, in dir, and makes the update fail.
		setup func(t *testing.T, dir, file string)
	}{
		{"disk full while writing", func(t *testing.T, dir, file string) {
			writeStale(t, file)
			old := writeTemp
			t.Cleanup(func() { writeTemp = old })
			writeTemp = func(f *os.File, data []byte) error {
				if _, err := f.Write(data[:len(data)/2]); err != nil {
					return err
				}
				return &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
			}
		}},
		{"disk full, a tmpfs of 8 KiB", func(t *testing.T, dir, file string) {
			mount(t, dir, "size=8k")
			writeStale(t, file)
			// Fill the file system but for less than the new file needs.
			fill, err := os.Create(filepath.Join(dir, "fill"))
			if err != nil {
				t.Fatal(err)
			}
			fill.Write(make([]byte, 8<<10)) // fails when the disk is full
			fill.Close()
		}},
		{"read-only directory", func(t *testing.T, dir, file string) {
			if os.Geteuid() == 0 {
				mount(t, dir, "ro") // root writes into a directory of mode 0555
				return
			}
			writeStale(t, file)
			if err := os.Chmod(dir, 0o555); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(dir, 0o755) })
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			sub := filepath.Join(dir, "sub")
			if err := os.Mkdir(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(sub, "ring.txt")
			tt.setup(t, sub, file)
			stdout, stderr, status := runCLI(t, "", "test", "--update", file)
			if status != exitUsage || !strings.Contains(stderr, "ring.txt") {
				t.Errorf("status %d, want %d and the file named\nstdout: %s\nstderr: %s", status, exitUsage, stdout, stderr)
			}
			if strings.Contains(stdout, "updated") {
				t.Errorf("stdout says updated:\n%s", stdout)
			}
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(stale, string(got)); diff != "" {
				t.Errorf("original changed (-before +after):\n%s", diff)
			}
			if m := tempFiles(t, sub); len(m) > 0 {
				t.Errorf("temporary files left: %v", m)
			}
		})
	}
}

func writeStale(t *testing.T, file string) {
	t.Helper()
	if err := os.WriteFile(file, []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
}

// mount mounts a tmpfs with opts on dir for the test, or skips the test
// when it cannot (not root, no tmpfs). With "ro" it first mounts a
// writable one, for the caller to fill, then remounts it read-only.
func mount(t *testing.T, dir, opts string) {
	t.Helper()
	first := opts
	if opts == "ro" {
		first = "size=64k"
	}
	if err := exec.Command("mount", "-t", "tmpfs", "-o", first, "tmpfs", dir).Run(); err != nil {
		t.Skipf("cannot mount a tmpfs (root only): %v", err)
	}
	t.Cleanup(func() {
		if err := exec.Command("umount", dir).Run(); err != nil {
			t.Errorf("umount %s: %v", dir, err)
		}
	})
	if opts == "ro" {
		writeStale(t, filepath.Join(dir, "ring.txt"))
		if err := exec.Command("mount", "-o", "remount,ro", dir).Run(); err != nil {
			t.Fatalf("remount read-only: %v", err)
		}
	}
}

// TestUpdateKilled kills "dialsim test --update" in the middle of writing
// the new file (in a child process, this test binary): the original is
// byte-identical.
func TestUpdateKilled(t *testing.T) {
	if os.Getenv("DIALSIM_UPDATE_CHILD") != "" {
		updateChild()
		return
	}
	dir := writeFiles(t, "ring.txt", stale)
	file := filepath.Join(dir, "ring.txt")
	// The child writes a byte on the pipe when it has written half the
	// new file, and then waits to be killed.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestUpdateKilled$")
	cmd.Env = append(os.Environ(), "DIALSIM_UPDATE_CHILD="+file)
	cmd.ExtraFiles = []*os.File{w} // the child's fd 3
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if _, err := r.Read(make([]byte, 1)); err != nil {
		cmd.Wait()
		t.Fatalf("the child never wrote (%v):\n%s", err, out.String())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	var exitErr *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &exitErr) {
		t.Fatalf("child: %v, want killed\n%s", err, out.String())
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stale, string(got)); diff != "" {
		t.Errorf("original changed by a kill during the update (-before +after):\n%s", diff)
	}
	temps := tempFiles(t, dir)
	if len(temps) != 1 {
		t.Fatalf("temporary files %v: want the one being written", temps)
	}
	half, _ := os.ReadFile(temps[0])
	if len(half) == 0 || bytes.Equal(half, got) {
		t.Errorf("the temporary file holds %d bytes: want half the new file", len(half))
	}
}

// updateChild is the child of TestUpdateKilled: it updates the file, and
// stops forever after writing half of the new one.
func updateChild() {
	writeTemp = func(f *os.File, data []byte) error {
		if _, err := f.Write(data[:len(data)/2]); err != nil {
			return err
		}
		f.Sync()
		os.NewFile(3, "ready").Write([]byte{1})
		select {} // until killed
	}
	run(context.Background(), []string{"test", "--update", os.Getenv("DIALSIM_UPDATE_CHILD")}, strings.NewReader(""), os.Stdout, os.Stderr)
	os.Exit(3) // never reached
}

// TestUpdateRefusesForgery: a transcript that would not read back as the
// want (a marker line in it) is refused, and nothing is written.
func TestUpdateRefusesForgery(t *testing.T) {
	writeFiles(t, "ring.txt", stale)
	s, err := scenarios.ParseFile("ring.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, forged := range []string{
		"    0.000  call.start\n-- /voice --\n<Response><Hangup/></Response>\n",
		"    0.000  call.start\n-- want --\n",
	} {
		err := updateFile("ring.txt", s, []byte(forged))
		if err == nil || !strings.Contains(err.Error(), "not written") {
			t.Errorf("updateFile with %q: %v, want a refusal", forged, err)
		}
		got, _ := os.ReadFile("ring.txt")
		if string(got) != stale {
			t.Errorf("file changed:\n%s", got)
		}
	}
}

// TestUpdateHostileValues: values from the application with line breaks
// and markers (a Sip URI, a Say text, a Play URL) give a want that reads
// back: --update, then test, pass.
func TestUpdateHostileValues(t *testing.T) {
	const hostile = "call from=+15550001111 to=+15550002222 url=/voice\n" +
		"-- /voice --\n" +
		"<Response><Say>one&#10;-- /voice --&#10;<Response/></Say>" +
		"<Play>http://x.test/a&#13;&#10;-- want --</Play>" +
		"<Dial><Sip>sip:a@b.test&#10;-- want --</Sip></Dial></Response>\n"
	writeFiles(t, "sip.txt", hostile)
	if stdout, stderr, status := runCLI(t, "", "test", "--update", "sip.txt"); status != 0 {
		t.Fatalf("--update: status %d\n%s%s", status, stdout, stderr)
	}
	if stdout, stderr, status := runCLI(t, "", "test", "sip.txt"); status != 0 {
		t.Errorf("test after --update: status %d\n%s%s", status, stdout, stderr)
	}
	got, err := os.ReadFile("sip.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), hostile+"-- want --\n") || strings.Count(string(got), "\n-- want --\n") != 1 {
		t.Errorf("updated file:\n%s", got)
	}
}
