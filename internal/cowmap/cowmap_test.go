package cowmap_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/nines-sre/nines/internal/cowmap"
)

func TestMap(t *testing.T) {
	var m cowmap.Map[string, int]
	if _, ok := m.Load("a"); ok || m.Len() != 0 {
		t.Fatal("zero Map not empty")
	}
	if v, loaded := m.LoadOrStore("a", 1); v != 1 || loaded {
		t.Fatalf("LoadOrStore(a, 1) = %d, %v", v, loaded)
	}
	if v, loaded := m.LoadOrStore("a", 2); v != 1 || !loaded {
		t.Fatalf("LoadOrStore(a, 2) = %d, %v, want the stored 1", v, loaded)
	}
	under2 := func(n int) bool { return n < 2 }
	if v, loaded, stored := m.StoreIf("b", 3, under2); v != 3 || loaded || !stored {
		t.Fatalf("StoreIf(b) = %d, %v, %v", v, loaded, stored)
	}
	if v, loaded, stored := m.StoreIf("c", 4, under2); v != 0 || loaded || stored {
		t.Fatalf("StoreIf(c) past the bound = %d, %v, %v, want refused", v, loaded, stored)
	}
	if v, loaded, stored := m.StoreIf("a", 9, under2); v != 1 || !loaded || stored {
		t.Fatalf("StoreIf(a) existing = %d, %v, %v", v, loaded, stored)
	}
	seen := map[string]int{}
	m.Range(func(k string, v int) bool { seen[k] = v; return true })
	if len(seen) != 2 || seen["a"] != 1 || seen["b"] != 3 {
		t.Fatalf("Range saw %v", seen)
	}
	if !m.Delete("a") || m.Delete("a") || m.Delete("zz") {
		t.Fatal("Delete reported the wrong existence")
	}
	if _, ok := m.Load("a"); ok || m.Len() != 1 {
		t.Fatalf("after Delete: Len() = %d", m.Len())
	}
	n := 0
	m.Range(func(string, int) bool { n++; return false })
	if n != 1 {
		t.Fatalf("Range did not stop: %d calls", n)
	}
}

func TestLoadDoesNotAllocate(t *testing.T) {
	var m cowmap.Map[string, int]
	m.LoadOrStore("a", 1)
	if n := testing.AllocsPerRun(1000, func() { m.Load("a") }); n != 0 {
		t.Fatalf("Load allocates %v times", n)
	}
}

func TestConcurrentLoadOrStoreAgrees(t *testing.T) {
	var m cowmap.Map[int, *int]
	var wg sync.WaitGroup
	got := make([][]*int, 8)
	for g := range got {
		wg.Go(func() {
			for k := range 50 {
				v := new(int)
				a, _ := m.LoadOrStore(k, v)
				got[g] = append(got[g], a)
			}
		})
	}
	wg.Wait()
	for g := range got {
		for k, p := range got[g] {
			if p != got[0][k] {
				t.Fatalf("goroutines disagree on key %d", k)
			}
		}
	}
	if m.Len() != 50 {
		t.Fatalf("Len() = %d, want 50", m.Len())
	}
}

// TestDeleteConcurrently: of racing Deletes of one key exactly one reports
// it was there (detect.Monitor.Forget relies on it).
func TestDeleteConcurrently(t *testing.T) {
	for range 50 {
		var m cowmap.Map[string, int]
		m.LoadOrStore("k", 1)
		var wg sync.WaitGroup
		var won atomic.Int32
		for range 8 {
			wg.Go(func() {
				if m.Delete("k") {
					won.Add(1)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Fatalf("%d racing Deletes reported true, want 1", won.Load())
		}
	}
}
