package memo_test

import (
	"fmt"
	"sync"
	"testing"

	"dialsim/internal/memo"
)

func TestMap(t *testing.T) {
	m := memo.New[string, int](3)
	if _, ok := m.Get("a"); ok {
		t.Fatal("an empty map has a")
	}
	for i, k := range []string{"a", "b", "c"} {
		if !m.Put(k, i) {
			t.Fatalf("Put(%q) refused below the bound", k)
		}
	}
	if m.Put("d", 3) {
		t.Error("Put(d) accepted past the bound")
	}
	if !m.Put("a", 10) {
		t.Error("Put(a) refused: replacing a key does not grow the map")
	}
	for k, want := range map[string]int{"a": 10, "b": 1, "c": 2} {
		if v, ok := m.Get(k); !ok || v != want {
			t.Errorf("Get(%q) = %d, %v; want %d, true", k, v, ok, want)
		}
	}
	if _, ok := m.Get("d"); ok {
		t.Error("Get(d) found the refused key")
	}
	if m.Len() != 3 {
		t.Errorf("Len = %d, want 3", m.Len())
	}
	key := []byte("b")
	if v, ok := m.Snapshot()[string(key)]; !ok || v != 1 {
		t.Errorf("Snapshot()[b] = %d, %v; want 1, true", v, ok)
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
				m.Put(k, fmt.Sprint(k))
			}
		})
	}
	wg.Wait()
	if m.Len() != 64 {
		t.Errorf("Len = %d, want the bound, 64", m.Len())
	}
}

func ExampleMap() {
	squares := memo.New[int, int](100)
	square := func(n int) int {
		if v, ok := squares.Get(n); ok {
			return v
		}
		v := n * n
		squares.Put(n, v)
		return v
	}
	fmt.Println(square(12), square(12), squares.Len())
	// Output: 144 144 1
}
