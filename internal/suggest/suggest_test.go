package suggest_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/internal/suggest"
)

func Example() {
	fmt.Println(suggest.DidYouMean("tset", []string{"run", "test", "check"}))
	// Output: ; did you mean "test"?
}

// TestDistance checks the edit distance, a transposition counting one.
func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "abc", 0}, {"abc", "abd", 1},
		{"clal", "call", 1}, {"tset", "test", 1}, {"arival", "arrivals", 2},
		{"kitten", "sitting", 3},
	}
	for _, tt := range tests {
		if got := suggest.Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestNearest checks that only a near word is suggested.
func TestNearest(t *testing.T) {
	known := []string{"run", "test", "check", "stats"}
	tests := []struct{ word, want string }{
		{"tset", "test"}, {"chek", "check"}, {"stat", "stats"}, {"frobnicate", ""}, {"x", ""},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, suggest.Nearest(tt.word, known)); diff != "" {
			t.Errorf("Nearest(%q) (-want +got):\n%s", tt.word, diff)
		}
	}
}
