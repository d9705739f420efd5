package admit

import (
	"sync"
	"sync/atomic"

	"golang.org/x/time/rate"
)

// keyLimiters holds one token bucket per key, at most max of them, evicting
// the least recently used. One mutex per Shedder guards the map and the
// recency list; a known key costs a map lookup and two pointer swaps.
type keyLimiters struct {
	mu        sync.Mutex
	entries   map[string]*keyEntry
	head      keyEntry // sentinel: head.next is the most recently used
	max       int
	rate      rate.Limit
	burst     int
	evictions atomic.Uint64
}

type keyEntry struct {
	key        string
	lim        *rate.Limiter
	prev, next *keyEntry
}

func newKeyLimiters(r float64, burst, max int) *keyLimiters {
	k := &keyLimiters{entries: make(map[string]*keyEntry), max: max, rate: rate.Limit(r), burst: burst}
	k.head.prev, k.head.next = &k.head, &k.head
	return k
}

// get returns key's limiter, creating it (and evicting the least recently
// used key if full) on first use.
func (k *keyLimiters) get(key string) *rate.Limiter {
	k.mu.Lock()
	defer k.mu.Unlock()
	if e, found := k.entries[key]; found {
		if k.head.next != e {
			e.unlink()
			k.pushFront(e)
		}
		return e.lim
	}
	if len(k.entries) >= k.max {
		oldest := k.head.prev
		oldest.unlink()
		delete(k.entries, oldest.key)
		k.evictions.Add(1)
	}
	lim := rate.NewLimiter(k.rate, k.burst) // starts full
	e := &keyEntry{key: key, lim: lim}
	k.entries[key] = e
	k.pushFront(e)
	return lim
}

func (k *keyLimiters) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.entries)
}

func (k *keyLimiters) pushFront(e *keyEntry) {
	e.prev, e.next = &k.head, k.head.next
	k.head.next.prev = e
	k.head.next = e
}

func (e *keyEntry) unlink() {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}
