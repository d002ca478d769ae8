package memo_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dialsim/dialsim/internal/memo"
)

func TestMap(t *testing.T) {
	m := memo.New[string, int](4) // generations of 2
	if _, ok := m.Get("a"); ok {
		t.Fatal("an empty map has a")
	}
	for i, k := range []string{"a", "b", "c"} {
		m.Put(k, i, 1)
	}
	// a and b are the old generation, c the young.
	for k, want := range map[string]int{"a": 0, "b": 1, "c": 2} {
		if v, ok := m.Get(k); !ok || v != want {
			t.Errorf("Get(%q) = %d, %v; want %d, true", k, v, ok, want)
		}
	}
	m.Put("a", 10, 1) // a again, in the young generation: it shadows the old
	if v, _ := m.Get("a"); v != 10 {
		t.Errorf("Get(a) = %d after Put(a, 10)", v)
	}
	if m.Len() != 3 {
		t.Errorf("Len = %d, want 3", m.Len())
	}
	m.Put("d", 3, 1) // c and a become old; b is dropped
	if _, ok := m.Get("b"); ok {
		t.Error("b survived two turnovers")
	}
	for k, want := range map[string]int{"a": 10, "c": 2, "d": 3} {
		if v, ok := m.Get(k); !ok || v != want {
			t.Errorf("after the turnover, Get(%q) = %d, %v; want %d, true", k, v, ok, want)
		}
	}
	key := []byte("d")
	young, old := m.Snapshot()
	if _, ok := old[string(key)]; ok {
		t.Error("d is in the old generation")
	}
	if v, ok := young[string(key)]; !ok || v != 3 {
		t.Errorf("young[d] = %d, %v; want 3, true", v, ok)
	}
}

// However many keys go in, the map holds at most its bound.
func TestMapBound(t *testing.T) {
	m := memo.New[int, int](64)
	for i := range 10_000 {
		m.Put(i, i, 1)
		if n := m.Len(); n > 64 {
			t.Fatalf("after %d keys, Len = %d, over the bound of 64", i+1, n)
		}
	}
	if v, ok := m.Get(9_999); !ok || v != 9_999 {
		t.Errorf("the last key: %d, %v", v, ok)
	}
}

// Entries of different costs: the generations turn over by cost, and an
// entry that costs more than a generation is not kept.
func TestMapCost(t *testing.T) {
	m := memo.New[string, int](100) // generations of 50
	m.Put("big", 0, 51)
	if _, ok := m.Get("big"); ok {
		t.Error("an entry costing more than a generation was kept")
	}
	m.Put("a", 1, 30)
	m.Put("b", 2, 20) // 50: a and b fill the young generation
	m.Put("c", 3, 1)  // a and b grow old
	m.Put("d", 4, 50) // c and d do not fit together: c grows old, a and b go
	got := map[string]bool{}
	for _, k := range []string{"a", "b", "c", "d"} {
		_, got[k] = m.Get(k)
	}
	want := map[string]bool{"a": false, "b": false, "c": true, "d": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cached keys (-want +got):\n%s", diff)
	}
}

// Readers and writers at once, for the race detector.
func TestMapConcurrent(t *testing.T) {
	m := memo.New[int, string](64)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				k := (i * (w + 1)) % 100
				if v, ok := m.Get(k); ok && v != fmt.Sprint(k) {
					t.Errorf("Get(%d) = %q", k, v)
				}
				m.Put(k, fmt.Sprint(k), 1)
			}
		})
	}
	wg.Wait()
	if n := m.Len(); n == 0 || n > 64 {
		t.Errorf("Len = %d, want 1 to 64", n)
	}
}

func ExampleMap() {
	squares := memo.New[int, int](100)
	square := func(n int) int {
		if v, ok := squares.Get(n); ok {
			return v
		}
		v := n * n
		squares.Put(n, v, 1)
		return v
	}
	fmt.Println(square(12), square(12), squares.Len())
	// Output: 144 144 1
}
