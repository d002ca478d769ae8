package scenarios

import "strconv"

// The words of the scenario language, from which an unknown one is
// corrected.
var (
	directives       = []string{"call", "caller", "party", "policy", "token", "app", "seed"}
	callArgs         = []string{"from", "to", "url", "method", "fallback", "sid"}
	callerBehaviours = []string{"press", "hangup"}
	partyBehaviours  = []string{"answer", "busy", "fail", "reject", "noanswer", "talk", "press", "hangup", "voicemail"}
)

// didYouMean returns `; did you mean "W"?` for the word of known nearest
// to word, if it is near enough to be a slip (an edit distance of at most
// a third of word's length, and at least 1), and "" otherwise.
func didYouMean(word string, known []string) string {
	best, bestDist := "", len(word)/3
	if bestDist < 1 {
		bestDist = 1
	}
	for _, k := range known {
		if d := editDistance(word, k); d <= bestDist && (best == "" || d < editDistance(word, best)) {
			best = k
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + strconv.Quote(best) + "?"
}

// editDistance returns the Levenshtein distance between a and b, counting
// bytes: the fewest insertions, deletions and substitutions that turn one
// into the other. Transposing two neighbours counts as one edit, since it
// is a typist's slip (the optimal string alignment distance).
func editDistance(a, b string) int {
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
