package diff_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/internal/diff"
)

func TestUnified(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"both empty", "", "", ""},
		{"final newline ignored", "a\nb", "a\nb\n", ""},
		{
			name: "one line changed",
			a:    "a\nb\nc\n",
			b:    "a\nB\nc\n",
			want: "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
		},
		{
			name: "added to empty",
			a:    "",
			b:    "x\n",
			want: "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n",
		},
		{
			name: "all removed",
			a:    "x\ny\n",
			b:    "",
			want: "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n",
		},
		{
			name: "removed at the end",
			a:    "1\n2\n3\n4\n5\n",
			b:    "1\n2\n3\n4\n",
			want: "--- a\n+++ b\n@@ -2,4 +2,3 @@\n 2\n 3\n 4\n-5\n",
		},
		{
			name: "two hunks",
			a:    "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			b:    "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n",
			want: "--- a\n+++ b\n@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n@@ -9,4 +10,3 @@\n 9\n 10\n 11\n-12\n",
		},
		{
			name: "changes six lines apart share a hunk",
			a:    "a\n1\n2\n3\n4\n5\n6\nb\n",
			b:    "A\n1\n2\n3\n4\n5\n6\nB\n",
			want: "--- a\n+++ b\n@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n 3\n 4\n 5\n 6\n-b\n+B\n",
		},
		{
			name: "changes seven lines apart do not",
			a:    "a\n1\n2\n3\n4\n5\n6\n7\nb\n",
			b:    "A\n1\n2\n3\n4\n5\n6\n7\nB\n",
			want: "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n",
		},
		{
			// A block moved down: the unique lines anchor, so the diff
			// shows the block moving rather than the lines around it.
			name: "moved block",
			a:    "start\nmoved 1\nmoved 2\nx\ny\nz\nend\n",
			b:    "start\nx\ny\nz\nmoved 1\nmoved 2\nend\n",
			want: "--- a\n+++ b\n@@ -1,7 +1,7 @@\n start\n-moved 1\n-moved 2\n x\n y\n z\n+moved 1\n+moved 2\n end\n",
		},
		{
			// Repeated lines ("}") do not pull the alignment off: the
			// unique lines anchor it, and the new function is one
			// addition, not a change interleaved with the old one.
			name: "repeated lines",
			a:    "func a() {\n\treturn\n}\n\nfunc c() {\n\treturn\n}\n",
			b:    "func a() {\n\treturn\n}\n\nfunc b() {\n\treturn\n}\n\nfunc c() {\n\treturn\n}\n",
			want: "--- a\n+++ b\n@@ -2,6 +2,10 @@\n \treturn\n }\n \n+func b() {\n+\treturn\n+}\n+\n func c() {\n \treturn\n }\n",
		},
		{
			name: "removals before additions in a change",
			a:    "keep\nold 1\nold 2\nkeep too\n",
			b:    "keep\nnew 1\nnew 2\nkeep too\n",
			want: "--- a\n+++ b\n@@ -1,4 +1,4 @@\n keep\n-old 1\n-old 2\n+new 1\n+new 2\n keep too\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diff.Unified("a", []byte(tt.a), "b", []byte(tt.b))
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Unified (-want +got):\n%s", d)
			}
			if got != "" {
				if patched := patch(t, tt.a, got); patched != strings.Join(diff.SplitLines([]byte(tt.b)), "\n") {
					t.Errorf("the diff applied to a gives %q, want b %q", patched, tt.b)
				}
			}
		})
	}
}

// check fails the test unless edits are an edit script from a to b: the
// Equal and Delete lines are a, the Equal and Insert lines b, each at its
// index.
func check(t *testing.T, a, b []string, edits []diff.Edit) {
	t.Helper()
	var gotA, gotB []string
	for _, e := range edits {
		if e.Kind != diff.Insert {
			if e.A != len(gotA) {
				t.Fatalf("edit %+v: A is %d, want %d", e, e.A, len(gotA))
			}
			gotA = append(gotA, e.Text)
		}
		if e.Kind != diff.Delete {
			if e.B != len(gotB) {
				t.Fatalf("edit %+v: B is %d, want %d", e, e.B, len(gotB))
			}
			gotB = append(gotB, e.Text)
		}
		if e.Kind == diff.Insert && e.A != len(gotA) || e.Kind == diff.Delete && e.B != len(gotB) {
			t.Fatalf("edit %+v: position %d,%d, want %d,%d", e, e.A, e.B, len(gotA), len(gotB))
		}
	}
	if !slices.Equal(a, gotA) {
		t.Fatalf("the edits' = and - lines are not a:\n%v\n%v", a, gotA)
	}
	if !slices.Equal(b, gotB) {
		t.Fatalf("the edits' = and + lines are not b:\n%v\n%v", b, gotB)
	}
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$`)

// patch applies a unified diff to text, as patch(1) would, checking each
// hunk's header and context against the text, and returns the result's
// lines joined by newlines.
func patch(t *testing.T, text, unified string) string {
	t.Helper()
	a := diff.SplitLines([]byte(text))
	lines := strings.Split(strings.TrimSuffix(unified, "\n"), "\n")[2:] // after --- and +++
	var out []string
	next := 0 // the next line of a to copy
	for len(lines) > 0 {
		m := hunkHeader.FindStringSubmatch(lines[0])
		if m == nil {
			t.Fatalf("not a hunk header: %q", lines[0])
		}
		num := func(s string, dflt int) int {
			if s == "" {
				return dflt
			}
			n, _ := strconv.Atoi(s)
			return n
		}
		aStart, aLen, bStart, bLen := num(m[1], 0), num(m[2], 1), num(m[3], 0), num(m[4], 1)
		if aLen > 0 {
			aStart-- // from 1; an empty range names the line before
		}
		if bLen > 0 {
			bStart--
		}
		if aStart < next {
			t.Fatalf("hunk %q starts before the end of the last", lines[0])
		}
		out = append(out, a[next:aStart]...)
		next = aStart
		if len(out) != bStart {
			t.Fatalf("hunk %q: b starts at %d, want %d", lines[0], bStart, len(out))
		}
		lines = lines[1:]
		var gotA, gotB int
		for len(lines) > 0 && !strings.HasPrefix(lines[0], "@@") {
			l := lines[0]
			lines = lines[1:]
			switch l[0] {
			case ' ', '-':
				if next >= len(a) || a[next] != l[1:] {
					t.Fatalf("hunk line %q is not line %d of a", l, next+1)
				}
				if l[0] == ' ' {
					out = append(out, l[1:])
					gotB++
				}
				next++
				gotA++
			case '+':
				out = append(out, l[1:])
				gotB++
			default:
				t.Fatalf("bad hunk line %q", l)
			}
		}
		if gotA != aLen || gotB != bLen {
			t.Fatalf("hunk of %d,%d lines, header says %d,%d", gotA, gotB, aLen, bLen)
		}
	}
	return strings.Join(append(out, a[next:]...), "\n")
}

// TestLinesProperty diffs random texts, some of few distinct lines (so
// that most repeat) and some of many, and checks that the edits rebuild
// both and that the unified diff patches the first into the second.
func TestLinesProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	text := func(n, alphabet int) []string {
		lines := make([]string, n)
		for i := range lines {
			lines[i] = strconv.Itoa(rng.IntN(alphabet))
		}
		return lines
	}
	// mutate returns lines with a few random removals, insertions and
	// changes.
	mutate := func(lines []string, alphabet int) []string {
		out := slices.Clone(lines)
		for range rng.IntN(6) {
			i := rng.IntN(len(out) + 1)
			switch rng.IntN(3) {
			case 0:
				if i < len(out) {
					out = slices.Delete(out, i, min(i+1+rng.IntN(3), len(out)))
				}
			case 1:
				out = slices.Insert(out, i, text(1+rng.IntN(3), alphabet)...)
			default:
				if i < len(out) {
					out[i] = "changed " + strconv.Itoa(rng.IntN(alphabet))
				}
			}
		}
		return out
	}
	trials := 2000
	if testing.Short() {
		trials = 300
	}
	for trial := range trials {
		alphabet := []int{2, 5, 50, 1000}[trial%4]
		a := text(rng.IntN(60), alphabet)
		var b []string
		if trial%3 == 0 {
			b = text(rng.IntN(60), alphabet) // unrelated
		} else {
			b = mutate(a, alphabet)
		}
		t.Run(fmt.Sprint(trial), func(t *testing.T) {
			check(t, a, b, diff.Lines(a, b))
			at, bt := strings.Join(a, "\n"), strings.Join(b, "\n")
			u := diff.Unified("a", []byte(at), "b", []byte(bt))
			if (u == "") != slices.Equal(a, b) {
				t.Fatalf("Unified gives %q for texts equal=%v", u, slices.Equal(a, b))
			}
			if u != "" {
				if got := patch(t, at, u); got != bt {
					t.Fatalf("the diff applied to a gives\n%s\nwant\n%s\ndiff:\n%s", got, bt, u)
				}
			}
		})
	}
}

// TestLinesMinimalWhenSmall checks that a small span without a unique
// line gets a shortest edit script: the longest common subsequence of
// "a b a b a" and "b a b" is all of the second.
func TestLinesMinimalWhenSmall(t *testing.T) {
	a := strings.Fields("a b a b a")
	b := strings.Fields("b a b")
	edits := diff.Lines(a, b)
	check(t, a, b, edits)
	equal := 0
	for _, e := range edits {
		if e.Kind == diff.Equal {
			equal++
		}
	}
	if equal != 3 {
		t.Errorf("%d equal lines, want 3: %+v", equal, edits)
	}
}

// TestLinesLarge diffs texts of 100,000 lines with a few changes spread
// through them, as a long transcript would differ, and with many repeated
// lines: each must take time in proportion to its length, well under a
// second for 100,000 lines. Under -short the texts have 25,000 lines, and
// a quarter of the time but at least 150 ms, so that a machine busy with
// other work does not fail it: a diff in quadratic time (625 million
// steps for 25,000 lines) takes longer at either size.
func TestLinesLarge(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 25_000
	}
	limit := slow * max(300*time.Millisecond*time.Duration(n)/100_000, 150*time.Millisecond)
	tests := []struct {
		name string
		line func(i int) string
	}{
		{"distinct lines", func(i int) string { return fmt.Sprintf("%d.%03d leg.ringing client:agent%d", i/1000, i%1000, i) }},
		{"half the lines repeated", func(i int) string {
			if i%2 == 0 {
				return "}"
			}
			return "line " + strconv.Itoa(i)
		}},
		{"one line in ten distinct", func(i int) string {
			if i%10 == 0 {
				return "event " + strconv.Itoa(i)
			}
			return "same"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := make([]string, n)
			for i := range a {
				a[i] = tt.line(i)
			}
			b := slices.Clone(a)
			for k := 1; k <= 10; k++ {
				i := k * n / 11
				b[i] = "changed"
				b = slices.Insert(b, i+k, "inserted")
				b = slices.Delete(b, i+50, i+52)
			}
			start := time.Now()
			edits := diff.Lines(a, b)
			elapsed := time.Since(start)
			check(t, a, b, edits)
			changed := 0
			for _, e := range edits {
				if e.Kind != diff.Equal {
					changed++
				}
			}
			// 10 changes (a removal and an addition), 10 additions,
			// 20 removals.
			if changed > 60 {
				t.Errorf("%d changed lines for 40 changes", changed)
			}
			if elapsed > limit {
				t.Errorf("diff of %d lines took %v, want at most %v", n, elapsed, limit)
			}
		})
	}
}

// TestLinesWorstCase diffs large texts with nothing to anchor on: the
// work is bounded, and the edits still rebuild both texts.
func TestLinesWorstCase(t *testing.T) {
	const n = 50_000
	a, b := make([]string, n), make([]string, n)
	for i := range n {
		a[i] = []string{"x", "y"}[i%2]
		b[i] = []string{"y", "x", "x"}[i%3]
	}
	start := time.Now()
	edits := diff.Lines(a, b)
	elapsed := time.Since(start)
	check(t, a, b, edits)
	if elapsed > slow*300*time.Millisecond {
		t.Errorf("diff of %d lines took %v, want well under a second", n, elapsed)
	}
}

func BenchmarkLines(b *testing.B) {
	const n = 100_000
	x := make([]string, n)
	for i := range x {
		x[i] = fmt.Sprintf("%d.%03d leg.ringing client:agent%d", i/1000, i%1000, i)
	}
	y := slices.Clone(x)
	for k := 1; k <= 10; k++ {
		y[k*n/11] = "changed"
	}
	for b.Loop() {
		diff.Lines(x, y)
	}
}
