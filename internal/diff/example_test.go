package diff_test

import (
	"fmt"

	"github.com/dialsim/dialsim/internal/diff"
)

// A transcript whose leg answered later than its want file says.
func ExampleUnified() {
	want := `0 call.start
0 leg.initiated client:jenny
3 leg.answered client:jenny
3 leg.bridged client:jenny
48 call.end completed
`
	got := `0 call.start
0 leg.initiated client:jenny
5 leg.answered client:jenny
5 leg.bridged client:jenny
50 call.end completed
`
	fmt.Print(diff.Unified("want", []byte(want), "got", []byte(got)))
	// Output:
	// --- want
	// +++ got
	// @@ -1,5 +1,5 @@
	//  0 call.start
	//  0 leg.initiated client:jenny
	// -3 leg.answered client:jenny
	// -3 leg.bridged client:jenny
	// -48 call.end completed
	// +5 leg.answered client:jenny
	// +5 leg.bridged client:jenny
	// +50 call.end completed
}
