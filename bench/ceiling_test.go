package bench_test

import (
	"crypto/sha256"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// ceilingSink keeps the compiler from dropping the ceiling's work.
var ceilingSink [sha256.Size]byte

// BenchmarkCeiling measures what a second core gives this machine at the
// moment of the run: the same CPU-bound loop (SHA-256 of 32 bytes, no
// allocation, no shared memory) from one goroutine and from two. On a
// machine whose second core is free, goroutines=2 gives 2x the hashes of
// goroutines=1; on a shared virtual machine it gives less, and no program
// can scale better than that. BenchmarkStats/workers=K and
// BenchmarkCallParallel/goroutines=K are read against it, in the same
// run: their ratio of two to one over this ratio is the share of the
// machine's second core that the engine turns into calls.
func BenchmarkCeiling(b *testing.B) {
	const hashes = 20_000 // a few milliseconds a goroutine
	for _, k := range []int{1, 2} {
		b.Run(fmt.Sprintf("goroutines=%d", k), func(b *testing.B) {
			for b.Loop() {
				var wg sync.WaitGroup
				sums := make([][sha256.Size]byte, k)
				for i := range k {
					wg.Go(func() {
						var s [sha256.Size]byte
						for range hashes {
							s = sha256.Sum256(s[:])
						}
						sums[i] = s
					})
				}
				wg.Wait()
				ceilingSink = sums[0]
			}
			b.ReportMetric(float64(k*hashes)*float64(b.N)/b.Elapsed().Seconds(), "hashes/s")
		})
	}
}

// ceilingNode is BenchmarkCeilingAlloc's allocation: 72 bytes with a
// pointer, about a call's average object.
type ceilingNode struct {
	v    [8]uint64
	next *ceilingNode
}

// ceilingAllocSink keeps the compiler from dropping the allocations.
var ceilingAllocSink atomic.Uint64

// BenchmarkCeilingAlloc is BenchmarkCeiling for allocating code: the same
// comparison of one goroutine and two, on a loop that allocates short-lived
// 72-byte objects (chains of 64) and shares nothing, so that only the
// runtime's allocator and collector, and the machine's memory, stand
// between it and 2x. BenchmarkStats and BenchmarkCallParallel allocate
// (a call makes 40-odd objects), and cannot scale better than this.
func BenchmarkCeilingAlloc(b *testing.B) {
	const objects = 100_000 // a few milliseconds a goroutine
	for _, k := range []int{1, 2} {
		b.Run(fmt.Sprintf("goroutines=%d", k), func(b *testing.B) {
			for b.Loop() {
				var wg sync.WaitGroup
				for range k {
					wg.Go(func() {
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
						ceilingAllocSink.Add(sum)
					})
				}
				wg.Wait()
			}
			b.ReportMetric(float64(k*objects)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
		})
	}
}
