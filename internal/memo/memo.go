// Package memo holds small caches that many goroutines read at once and
// seldom write, such as the compiled documents that every run of a
// scenario shares.
//
// A Map is copied on write. A read is an atomic load and a map lookup or
// two, so readers on several cores never contend for a lock or a shared
// counter. Each entry has a cost, which the writer states: its size in
// bytes, say. Writes go to a young generation, which is copied on each
// write; when its entries cost half the bound it becomes the old
// generation, replacing the one before, and a new young one starts. So
// the entries a Map holds cost at most its bound, and entries still in
// use come back after a turnover at the cost of one write each.
package memo

import (
	"sync"
	"sync/atomic"
)

// Map is a copy-on-write cache bounded by the total cost of its entries.
// Its zero value is not usable; make one with New. It is safe for
// concurrent use.
type Map[K comparable, V any] struct {
	mu        sync.Mutex // serialises writers
	young     atomic.Pointer[map[K]V]
	old       atomic.Pointer[map[K]V]
	gen       int // the cost a generation holds at most
	youngCost int // the young generation's, under mu
}

// New returns an empty Map whose entries cost at most bound in all (and
// at least two).
func New[K comparable, V any](bound int) *Map[K, V] {
	c := &Map[K, V]{gen: max(bound/2, 1)}
	young, old := map[K]V{}, map[K]V{}
	c.young.Store(&young)
	c.old.Store(&old)
	return c
}

// Get returns the value cached for k, if any.
func (c *Map[K, V]) Get(k K) (V, bool) {
	if v, ok := (*c.young.Load())[k]; ok {
		return v, true
	}
	v, ok := (*c.old.Load())[k]
	return v, ok
}

// Snapshot returns the young and the old generation as they are now, for
// lookups the compiler can make cheaper than Get's, such as m[string(b)],
// which does not copy b. Look in young first. The maps must not be
// changed.
func (c *Map[K, V]) Snapshot() (young, old map[K]V) {
	return *c.young.Load(), *c.old.Load()
}

// Put caches v for k, at cost (at least 1). An entry that costs more than
// half the bound is not cached.
func (c *Map[K, V]) Put(k K, v V, cost int) {
	cost = max(cost, 1)
	if cost > c.gen {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	young := *c.young.Load()
	if c.youngCost+cost > c.gen {
		c.old.Store(c.young.Load()) // the full young generation grows old
		young, c.youngCost = nil, 0
	}
	m := make(map[K]V, len(young)+1)
	for k, v := range young {
		m[k] = v
	}
	m[k] = v
	c.youngCost += cost
	c.young.Store(&m)
}

// Len returns how many entries the Map holds.
func (c *Map[K, V]) Len() int {
	young, old := c.Snapshot()
	n := len(young) + len(old)
	for k := range young {
		if _, ok := old[k]; ok {
			n-- // in both generations: counted once
		}
	}
	return n
}
