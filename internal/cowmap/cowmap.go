// Package cowmap is the one copy-on-write map nines components use for
// tables that are read on every request and written rarely (routes,
// series, breakers per host): reads are a single atomic load, writes copy
// the map under a mutex.
package cowmap

import (
	"sync"
	"sync/atomic"
)

// Map is a copy-on-write map. The zero value is an empty map ready to use;
// a Map must not be copied after first use. It is safe for concurrent use.
// Loads never lock and never allocate; every write copies the whole map, so
// use it only for small tables written a bounded number of times.
type Map[K comparable, V any] struct {
	mu sync.Mutex // serialises writers
	m  atomic.Pointer[map[K]V]
}

// Load returns the value stored under k.
func (c *Map[K, V]) Load(k K) (V, bool) {
	if p := c.m.Load(); p != nil {
		v, ok := (*p)[k]
		return v, ok
	}
	var zero V
	return zero, false
}

// LoadOrStore returns the value stored under k if there is one (loaded is
// true); otherwise it stores v and returns it.
func (c *Map[K, V]) LoadOrStore(k K, v V) (actual V, loaded bool) {
	if a, ok := c.Load(k); ok {
		return a, true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old != nil {
		if a, ok := (*old)[k]; ok {
			return a, true
		}
	}
	c.store(old, k, v)
	return v, false
}

// StoreIf stores v under k if k is absent and ok(len) reports true for the
// current number of entries, all under the write lock; it returns the value
// under k afterwards and whether it was already there. When k is absent and
// ok refuses, it returns the zero V, false, false. ok must not call back
// into the Map.
func (c *Map[K, V]) StoreIf(k K, v V, ok func(n int) bool) (actual V, loaded, stored bool) {
	if a, found := c.Load(k); found {
		return a, true, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	n := 0
	if old != nil {
		if a, found := (*old)[k]; found {
			return a, true, false
		}
		n = len(*old)
	}
	if !ok(n) {
		var zero V
		return zero, false, false
	}
	c.store(old, k, v)
	return v, false, true
}

func (c *Map[K, V]) store(old *map[K]V, k K, v V) {
	var n int
	if old != nil {
		n = len(*old)
	}
	m := make(map[K]V, n+1)
	if old != nil {
		for kk, vv := range *old {
			m[kk] = vv
		}
	}
	m[k] = v
	c.m.Store(&m)
}

// Delete removes k and reports whether it was there. Of concurrent
// Deletes of one key, exactly one reports true.
func (c *Map[K, V]) Delete(k K) (deleted bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old == nil {
		return false
	}
	if _, ok := (*old)[k]; !ok {
		return false
	}
	m := make(map[K]V, len(*old))
	for kk, vv := range *old {
		if kk != k {
			m[kk] = vv
		}
	}
	c.m.Store(&m)
	return true
}

// Len returns the number of entries.
func (c *Map[K, V]) Len() int {
	if p := c.m.Load(); p != nil {
		return len(*p)
	}
	return 0
}

// Range calls fn for every entry of one snapshot, in no particular order,
// until fn returns false. fn may write to the Map; the writes are not seen
// by this Range.
func (c *Map[K, V]) Range(fn func(K, V) bool) {
	p := c.m.Load()
	if p == nil {
		return
	}
	for k, v := range *p {
		if !fn(k, v) {
			return
		}
	}
}
