// Package diff compares two texts line by line and writes the difference
// as a unified diff, the form "diff -u" and "git diff" print, for a
// person to read: hunks headed "@@ -a,b +c,d @@", three lines of context
// around each change, and within a change the removed lines before the
// added ones.
//
// The algorithm is anchored, in the manner of patience diff: lines that
// occur exactly once in each text are paired, the longest chain of pairs
// in the same order in both (a longest increasing subsequence) is kept
// as anchors, and the spans between anchors are compared the same way,
// after their common first and last lines are set aside. A span with no
// such line is compared by a longest common subsequence when it is small,
// and otherwise shown as removed and added whole. The anchors keep the
// diff aligned on the distinctive lines of the texts (a transcript's
// events, not its repeated blank or closing lines), and the work is
// O(n log n) in the lines compared, at most maxDepth times over, so that
// long texts with few changes diff in milliseconds.
package diff

import (
	"fmt"
	"slices"
	"strings"
)

// Kind is what an Edit does with its line.
type Kind byte

// The kinds of Edit, written as the first character of the line in a
// unified diff.
const (
	Equal  Kind = ' ' // the line is in both texts
	Delete Kind = '-' // the line is only in the first text
	Insert Kind = '+' // the line is only in the second text
)

// Edit is one line of a diff.
type Edit struct {
	Kind Kind
	// Text is the line, without its newline.
	Text string
	// A and B are the line's index (from 0) in the first and the second
	// text; for an Insert, A is the index of the first line after it,
	// and for a Delete, B is.
	A, B int
}

// Context is how many unchanged lines Unified shows around a change.
const Context = 3

// Unified returns a unified diff from a to b, headed "--- aName" and
// "+++ bName", or "" if they are equal. It compares lines; a last line
// without a newline equals the same line with one.
func Unified(aName string, a []byte, bName string, b []byte) string {
	al, bl := SplitLines(a), SplitLines(b)
	if slices.Equal(al, bl) {
		return ""
	}
	edits := Lines(al, bl)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", aName, bName)
	// A hunk holds the changes that at most 2*Context equal lines
	// separate, and Context equal lines before and after them.
	for i := 0; i < len(edits); {
		for i < len(edits) && edits[i].Kind == Equal {
			i++
		}
		if i == len(edits) {
			break
		}
		start, end := max(i-Context, 0), i
		for j := i; j < len(edits); j++ {
			if edits[j].Kind != Equal {
				end = j + 1
			} else if j-end >= 2*Context {
				break
			}
		}
		end = min(end+Context, len(edits))
		hunk := edits[start:end]
		var aLen, bLen int
		for _, e := range hunk {
			if e.Kind != Insert {
				aLen++
			}
			if e.Kind != Delete {
				bLen++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(hunk[0].A, aLen), hunkRange(hunk[0].B, bLen))
		for _, e := range hunk {
			out.WriteByte(byte(e.Kind))
			out.WriteString(e.Text)
			out.WriteByte('\n')
		}
		i = end
	}
	return out.String()
}

// hunkRange formats a hunk's start (from 0) and length as unified diffs
// do: from 1, with the length left out when it is 1, and the line before
// when the range is empty.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// SplitLines returns the lines of text, without their newlines; a last
// line without a newline counts as one, and an empty text has none.
func SplitLines(text []byte) []string {
	s := strings.TrimSuffix(string(text), "\n")
	if s == "" && len(text) <= 1 {
		return nil
	}
	return strings.Split(s, "\n")
}

// Lines returns an edit script from a to b: every line of both, in order,
// as Equal, Delete or Insert. The Equal and Delete lines are a, the Equal
// and Insert lines are b; within a change, the Deletes come first.
func Lines(a, b []string) []Edit {
	d := differ{a: a, b: b, edits: make([]Edit, 0, max(len(a), len(b)))}
	// Compare small integers, not strings: equal lines, equal ids.
	ids := make(map[string]int32, len(a))
	d.ai, d.bi = make([]int32, len(a)), make([]int32, len(b))
	for i, line := range a {
		id, ok := ids[line]
		if !ok {
			id = int32(len(ids))
			ids[line] = id
		}
		d.ai[i] = id
	}
	for j, line := range b {
		id, ok := ids[line]
		if !ok {
			id = int32(len(ids))
			ids[line] = id
		}
		d.bi[j] = id
	}
	d.na, d.nb, d.bj = make([]int32, len(ids)), make([]int32, len(ids)), make([]int32, len(ids))
	d.diff(0, len(a), 0, len(b), 0)
	return d.edits
}

// maxDepth bounds the nesting of anchored spans: past it, a span is
// compared as one with no unique line. A span nested in another has only
// lines repeated in the outer one as candidate anchors (a pair unique in
// both would have lengthened the outer chain), so real texts rarely nest
// deeper than a few levels.
const maxDepth = 16

// maxTable is the largest span, in cells of its lines' product, that is
// compared by a longest common subsequence table.
const maxTable = 1 << 16

// differ builds the edit script of a and b, whose lines' ids are ai and bi.
type differ struct {
	a, b   []string
	ai, bi []int32
	edits  []Edit
	// na and nb count each line's occurrences in the span anchors
	// looks at, and bj is its index in b; anchors leaves them zero.
	na, nb, bj []int32
}

func (d *differ) equal(i, j int)  { d.edits = append(d.edits, Edit{Equal, d.a[i], i, j}) }
func (d *differ) delete(i, j int) { d.edits = append(d.edits, Edit{Delete, d.a[i], i, j}) }
func (d *differ) insert(i, j int) { d.edits = append(d.edits, Edit{Insert, d.b[j], i, j}) }

// diff appends the edits from a[alo:ahi] to b[blo:bhi].
func (d *differ) diff(alo, ahi, blo, bhi, depth int) {
	for alo < ahi && blo < bhi && d.ai[alo] == d.bi[blo] {
		d.equal(alo, blo)
		alo, blo = alo+1, blo+1
	}
	suffix := 0
	for alo < ahi-suffix && blo < bhi-suffix && d.ai[ahi-suffix-1] == d.bi[bhi-suffix-1] {
		suffix++
	}
	ahi, bhi = ahi-suffix, bhi-suffix
	var anchors []pair
	if alo < ahi && blo < bhi && depth < maxDepth {
		anchors = d.anchors(alo, ahi, blo, bhi)
	}
	switch {
	case len(anchors) > 0:
		for _, p := range anchors {
			d.diff(alo, p.i, blo, p.j, depth+1)
			d.equal(p.i, p.j)
			alo, blo = p.i+1, p.j+1
		}
		d.diff(alo, ahi, blo, bhi, depth+1)
	case alo < ahi && blo < bhi && (ahi-alo)*(bhi-blo) <= maxTable:
		d.table(alo, ahi, blo, bhi)
	default:
		d.replace(alo, ahi, blo, bhi)
	}
	for k := range suffix {
		d.equal(ahi+k, bhi+k)
	}
}

// replace appends a[alo:ahi] removed, then b[blo:bhi] added.
func (d *differ) replace(alo, ahi, blo, bhi int) {
	for i := alo; i < ahi; i++ {
		d.delete(i, blo)
	}
	for j := blo; j < bhi; j++ {
		d.insert(ahi, j)
	}
}

// pair is a line a[i] equal to b[j].
type pair struct{ i, j int }

// anchors returns the longest chain, increasing in both i and j, of the
// pairs of lines that occur once in a[alo:ahi] and once in b[blo:bhi].
func (d *differ) anchors(alo, ahi, blo, bhi int) []pair {
	for _, id := range d.ai[alo:ahi] {
		d.na[id]++
	}
	for j, id := range d.bi[blo:bhi] {
		if d.na[id] == 1 {
			d.nb[id]++
			d.bj[id] = int32(blo + j)
		}
	}
	var pairs []pair // in increasing i
	for i, id := range d.ai[alo:ahi] {
		if d.na[id] == 1 && d.nb[id] == 1 {
			pairs = append(pairs, pair{alo + i, int(d.bj[id])})
		}
	}
	for _, id := range d.ai[alo:ahi] {
		d.na[id], d.nb[id] = 0, 0
	}
	return longestChain(pairs)
}

// longestChain returns a longest subsequence of pairs (sorted by i, with
// distinct j) whose j increase, by patience sorting: tops[k] is the index
// of the pair that ends the chains of length k+1 with the least j.
func longestChain(pairs []pair) []pair {
	if len(pairs) == 0 {
		return nil
	}
	tops := make([]int, 0, 16)
	prev := make([]int, len(pairs)) // the pair before each in its chain
	for n, p := range pairs {
		k, _ := slices.BinarySearchFunc(tops, p.j, func(t, j int) int { return pairs[t].j - j })
		prev[n] = -1
		if k > 0 {
			prev[n] = tops[k-1]
		}
		if k == len(tops) {
			tops = append(tops, n)
		} else {
			tops[k] = n
		}
	}
	chain := make([]pair, len(tops))
	for k, n := len(tops)-1, tops[len(tops)-1]; k >= 0; k, n = k-1, prev[n] {
		chain[k] = pairs[n]
	}
	return chain
}

// table appends a shortest edit script of a small span, by the table of
// its longest common subsequences; removals come before additions.
func (d *differ) table(alo, ahi, blo, bhi int) {
	n, m := ahi-alo, bhi-blo
	// lcs[i*(m+1)+j] is the length of the LCS of a[alo+i:ahi] and
	// b[blo+j:bhi].
	lcs := make([]int32, (n+1)*(m+1))
	at := func(i, j int) int32 { return lcs[i*(m+1)+j] }
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if d.ai[alo+i] == d.bi[blo+j] {
				lcs[i*(m+1)+j] = at(i+1, j+1) + 1
			} else {
				lcs[i*(m+1)+j] = max(at(i+1, j), at(i, j+1))
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && d.ai[alo+i] == d.bi[blo+j]:
			d.equal(alo+i, blo+j)
			i, j = i+1, j+1
		case j == m || i < n && at(i+1, j) >= at(i, j+1):
			d.delete(alo+i, blo+j)
			i++
		default:
			d.insert(alo+i, blo+j)
			j++
		}
	}
}
