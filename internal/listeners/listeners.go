// Package listeners is the one listener list every nines component uses:
// Add returns a function that removes the listener, Emit calls the
// listeners with no lock held, and a panicking listener is recovered and
// counted, never killing the delivering goroutine or skipping the others.
package listeners

import (
	"sync"
	"sync/atomic"
)

type entry[E any] struct {
	id uint64
	fn func(E)
}

// List is a copy-on-write list of listeners. The zero value is an empty
// list ready to use; a List must not be copied after first use. It is safe
// for concurrent use: Emit reads a snapshot without locking, so listeners
// added or removed during an Emit take effect from the next one.
type List[E any] struct {
	mu     sync.Mutex // serialises writers
	next   uint64
	snap   atomic.Pointer[[]entry[E]]
	panics atomic.Uint64
}

// Add appends fn and returns a function that removes it; the remove
// function is idempotent. A nil fn is ignored (its remove does nothing).
func (l *List[E]) Add(fn func(E)) (remove func()) {
	if fn == nil {
		return func() {}
	}
	l.mu.Lock()
	l.next++
	id := l.next
	var old []entry[E]
	if p := l.snap.Load(); p != nil {
		old = *p
	}
	s := make([]entry[E], len(old), len(old)+1)
	copy(s, old)
	s = append(s, entry[E]{id: id, fn: fn})
	l.snap.Store(&s)
	l.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { l.remove(id) }) }
}

func (l *List[E]) remove(id uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.snap.Load()
	if p == nil {
		return
	}
	s := make([]entry[E], 0, len(*p))
	for _, e := range *p {
		if e.id != id {
			s = append(s, e)
		}
	}
	l.snap.Store(&s)
}

// Emit calls every listener with e, in the order they were added, on the
// calling goroutine. It holds no lock while a listener runs, so a listener
// may call Add, its remove function or Emit. It does not allocate.
func (l *List[E]) Emit(e E) {
	p := l.snap.Load()
	if p == nil {
		return
	}
	for _, en := range *p {
		l.call(en.fn, e)
	}
}

func (l *List[E]) call(fn func(E), e E) {
	defer func() {
		if r := recover(); r != nil {
			l.panics.Add(1)
		}
	}()
	fn(e)
}

// Len returns the number of listeners.
func (l *List[E]) Len() int {
	if p := l.snap.Load(); p != nil {
		return len(*p)
	}
	return 0
}

// Panics returns how many listener calls have panicked (and been
// recovered).
func (l *List[E]) Panics() uint64 { return l.panics.Load() }
