// Package memo holds small caches that many goroutines read at once and
// seldom write: the parsed documents, resolved URLs and SIDs that every
// run of a scenario shares.
//
// A Map is copied on write. A read is an atomic load and a map lookup,
// so readers on several cores never contend for a lock or a shared
// counter; a write copies the map, which is cheap while it is small, and
// stops once it holds its bound, so a process that keeps meeting new keys
// neither grows it nor pays for copying it again.
package memo

import (
	"sync"
	"sync/atomic"
)

// Map is a bounded copy-on-write cache. Its zero value is not usable;
// make one with New. It is safe for concurrent use.
type Map[K comparable, V any] struct {
	mu  sync.Mutex // serialises writers
	m   atomic.Pointer[map[K]V]
	max int
}

// New returns an empty Map that keeps at most max entries.
func New[K comparable, V any](max int) *Map[K, V] {
	c := &Map[K, V]{max: max}
	m := map[K]V{}
	c.m.Store(&m)
	return c
}

// Get returns the value cached for k, if any.
func (c *Map[K, V]) Get(k K) (V, bool) {
	v, ok := (*c.m.Load())[k]
	return v, ok
}

// Snapshot returns the entries as they are now, for lookups the compiler
// can make cheaper than Get's, such as m[string(b)], which does not copy
// b. The map must not be changed.
func (c *Map[K, V]) Snapshot() map[K]V { return *c.m.Load() }

// Put caches v for k, unless the Map is full; a full Map keeps what it
// holds. It reports whether v is cached.
func (c *Map[K, V]) Put(k K, v V) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.m.Load()
	if _, ok := old[k]; !ok && len(old) >= c.max {
		return false
	}
	m := make(map[K]V, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[k] = v
	c.m.Store(&m)
	return true
}

// Len returns how many entries the Map holds.
func (c *Map[K, V]) Len() int { return len(*c.m.Load()) }
