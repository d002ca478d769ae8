// Package suggest finds, for a mistyped word, the known word it was
// probably meant to be: the "did you mean" of the scenario parser and of
// the command line.
package suggest

import "strconv"

// DidYouMean returns `; did you mean "W"?` for the word of known nearest
// to word, if it is near enough to be a slip (an edit distance of at most
// a third of word's length, and at least 1), and "" otherwise.
func DidYouMean(word string, known []string) string {
	best := Nearest(word, known)
	if best == "" {
		return ""
	}
	return "; did you mean " + strconv.Quote(best) + "?"
}

// Nearest returns the word of known nearest to word, if it is near enough
// to be a slip (an edit distance of at most a third of word's length, and
// at least 1), and "" otherwise. Of two as near, the first in known wins.
func Nearest(word string, known []string) string {
	best, bestDist := "", max(len(word)/3, 1)
	for _, k := range known {
		if d := Distance(word, k); d <= bestDist && (best == "" || d < Distance(word, best)) {
			best = k
		}
	}
	return best
}

// Distance returns the Levenshtein distance between a and b, counting
// bytes: the fewest insertions, deletions and substitutions that turn one
// into the other. Transposing two neighbours counts as one edit, since it
// is a typist's slip (the optimal string alignment distance).
func Distance(a, b string) int {
	// prev2, prev and cur are rows i-2, i-1 and i of the table.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
