package bench_test

import (
	"fmt"

	"github.com/dialsim/dialsim/bench"
)

// The virtual race is deterministic: leg 0 answers first (at 1 s) every time.
func ExampleRaceVirtual() {
	fmt.Println(bench.RaceVirtual(10))
	// Output: 0
}
