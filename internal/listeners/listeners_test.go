package listeners_test

import (
	"sync"
	"testing"

	"github.com/nines-sre/nines/internal/lifecycletest"
	"github.com/nines-sre/nines/internal/listeners"
)

func TestConformance(t *testing.T) {
	var l listeners.List[int]
	lifecycletest.Listeners(t, func(fn func()) func() { return l.Add(func(int) { fn() }) }, func() { l.Emit(1) }, func() {})
}

func TestOrderAndPanicCount(t *testing.T) {
	var l listeners.List[string]
	var got []string
	l.Add(func(e string) { got = append(got, "a:"+e) })
	l.Add(func(string) { panic("boom") })
	l.Add(func(e string) { got = append(got, "c:"+e) })
	l.Add(nil)()
	l.Emit("x")
	if want := []string{"a:x", "c:x"}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("delivered %v, want %v", got, want)
	}
	if l.Panics() != 1 || l.Len() != 3 {
		t.Fatalf("Panics() = %d, Len() = %d, want 1, 3", l.Panics(), l.Len())
	}
}

func TestEmitDoesNotAllocate(t *testing.T) {
	var l listeners.List[int]
	var sum int
	l.Add(func(e int) { sum += e })
	if n := testing.AllocsPerRun(1000, func() { l.Emit(1) }); n != 0 {
		t.Fatalf("Emit allocates %v times", n)
	}
	var empty listeners.List[int]
	if n := testing.AllocsPerRun(1000, func() { empty.Emit(1) }); n != 0 {
		t.Fatalf("Emit on an empty list allocates %v times", n)
	}
}

func TestConcurrentAddRemoveEmit(t *testing.T) {
	var l listeners.List[int]
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				r := l.Add(func(int) {})
				l.Emit(1)
				r()
			}
		})
	}
	wg.Wait()
	if l.Len() != 0 {
		t.Fatalf("Len() = %d after every listener was removed", l.Len())
	}
}
