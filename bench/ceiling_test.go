package bench_test

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// The ceilings measure what a second core gives this machine at the
// moment of the run, for kinds of work that share nothing between the
// goroutines: the same loop from one goroutine and from two, reported as
// units of work a second. On a machine with two free cores of its own,
// goroutines=2 gives 2x goroutines=1 for each; on a shared virtual
// machine it gives less, and no program doing that kind of work can
// scale better. BenchmarkStats/workers=K and
// BenchmarkCallParallel/goroutines=K are read against them, in the same
// run.
//
// The kinds differ in what they ask of the core. BenchmarkCeiling is a
// chain of SHA-256 sums, each waiting for the one before: it uses a
// fraction of a core's execution units, so two such loops scale even
// where the two processors share one physical core. BenchmarkCeilingMap
// is ordinary Go code: lookups in a small map that stays in the first
// level cache, as the engine's lookups are. BenchmarkCeilingAlloc
// allocates short-lived objects, as a call does.

// ceilingSink keeps the compiler from dropping the ceilings' work.
var ceilingSink atomic.Uint64

// ceiling runs work (which returns a checksum) from one goroutine and
// from two, reporting units/s, where work does units of it.
func ceiling(b *testing.B, unit string, units int, work func() uint64) {
	for _, k := range []int{1, 2} {
		b.Run(fmt.Sprintf("goroutines=%d", k), func(b *testing.B) {
			for b.Loop() {
				var wg sync.WaitGroup
				for range k {
					wg.Go(func() { ceilingSink.Add(work()) })
				}
				wg.Wait()
			}
			b.ReportMetric(float64(k*units)*float64(b.N)/b.Elapsed().Seconds(), unit+"/s")
		})
	}
}

// BenchmarkCeiling is the SHA-256 chain: 20,000 sums of 32 bytes, each of
// the one before, no allocation.
func BenchmarkCeiling(b *testing.B) {
	const hashes = 20_000 // a few milliseconds a goroutine
	ceiling(b, "hashes", hashes, func() uint64 {
		var s [sha256.Size]byte
		for range hashes {
			s = sha256.Sum256(s[:])
		}
		return uint64(s[0])
	})
}

// BenchmarkCeilingMap is 400,000 lookups of string keys in a map of 64,
// no allocation in the loop.
func BenchmarkCeilingMap(b *testing.B) {
	const lookups = 400_000 // a few milliseconds a goroutine
	ceiling(b, "lookups", lookups, func() uint64 {
		keys := make([]string, 64)
		m := make(map[string]uint64, len(keys))
		for i := range keys {
			keys[i] = "client:agent" + strconv.Itoa(i)
			m[keys[i]] = uint64(i)
		}
		var sum uint64
		for i := range lookups {
			sum += m[keys[i%len(keys)]]
		}
		return sum
	})
}

// ceilingNode is BenchmarkCeilingAlloc's allocation: 72 bytes with a
// pointer, about a call's average object.
type ceilingNode struct {
	v    [8]uint64
	next *ceilingNode
}

// BenchmarkCeilingAlloc allocates 100,000 short-lived 72-byte objects
// (chains of 64), so that only the runtime's allocator and collector,
// and the machine's memory, stand between it and 2x. With one goroutine,
// the collector also runs on the idle second core, which flatters
// goroutines=1.
func BenchmarkCeilingAlloc(b *testing.B) {
	const objects = 100_000 // a few milliseconds a goroutine
	ceiling(b, "objects", objects, func() uint64 {
		var head *ceilingNode
		var sum uint64
		for i := range objects {
			n := &ceilingNode{next: head}
			n.v[0] = uint64(i)
			if i%64 == 0 {
				head = nil
			} else {
				head = n
			}
			sum += n.v[0]
		}
		return sum
	})
}
