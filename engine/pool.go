package engine

import "sync"

// legPool recycles the legs of finished calls: a ten-leg Dial's legs are
// the largest allocation of a call, and nothing refers to them once the
// call's goroutines have returned. A Cache holds one, which the calls that
// share the Cache share. Only newLegs and releaseLegs use it.
//
// BenchmarkCall/legs=10 (bench), with the pool and without (a new slice of
// legs each Dial), interleaved runs of two test binaries on 2 cores, 1 Dec
// 2026, medians of 5: 40.3 µs and 41 allocations a call with, 46.0 µs and
// 51 without.
type legPool struct{ p sync.Pool }

func (p *legPool) get() *[]leg {
	if buf, ok := p.p.Get().(*[]leg); ok {
		return buf
	}
	return new([]leg)
}

func (p *legPool) put(buf *[]leg) { p.p.Put(buf) }

// maxPooledLegs is the largest set of legs kept for reuse.
const maxPooledLegs = 64

// newLegs returns n zeroed legs for a Dial of the call, which
// releaseLegs recycles once the call is over.
func (c *call) newLegs(n int) []leg {
	buf := c.cache.legs.get()
	if cap(*buf) < n {
		*buf = make([]leg, n, max(n, 10))
	}
	legs := (*buf)[:n]
	for i := range legs {
		if legs[i].start == nil {
			legs[i].start = legs[i].ring
		}
	}
	c.legBufs = append(c.legBufs, buf)
	return legs
}

// releaseLegs recycles the call's legs. Every goroutine of the call must
// have returned. Legs whose context was watched (a real clock, an HTTP
// request) are left to the collector: a context.AfterFunc may still be on
// its way to them.
func (c *call) releaseLegs() {
	for _, buf := range c.legBufs {
		if cap(*buf) <= maxPooledLegs && !watched(*buf) {
			legs := (*buf)[:cap(*buf)]
			for i := range legs {
				start := legs[i].start
				legs[i] = leg{start: start}
			}
			c.cache.legs.put(buf)
		}
	}
	c.legBufs = nil
}

// watched reports whether the context of any of the legs was watched.
func watched(legs []leg) bool {
	for i := range legs {
		if legs[i].lctx.watched() {
			return true
		}
	}
	return false
}
