package breaker

import (
	"sync"
	"time"
)

// slowWindow counts completed and slow calls over a rolling window of its
// own (Window split into Buckets, indexed by the call's end time), cleared
// at every state transition. gobreaker's counts have a single failure
// dimension, so the slow-call ratio cannot live in them; this window runs
// beside them, and only when SlowThreshold is set. One mutex per breaker;
// it is taken on the request path outside gobreaker's lock, and inside it
// (reset) only from the transition callback, so the lock order is always
// gobreaker then slowWindow.
type slowWindow struct {
	mu       sync.Mutex
	bucket   int64 // nanoseconds
	calls    []uint32
	slow     []uint32
	newest   int64 // index (end time / bucket) of the newest bucket
	total    uint64
	slowSum  uint64
	ratio    float64
	minCalls uint64
}

func newSlowWindow(window time.Duration, buckets int, ratio float64, minCalls uint32) *slowWindow {
	return &slowWindow{
		bucket: int64(window) / int64(buckets),
		calls:  make([]uint32, buckets), slow: make([]uint32, buckets),
		ratio: ratio, minCalls: uint64(minCalls),
	}
}

// record adds one completed call ending at now and reports whether the
// window's slow-call ratio has reached the threshold.
func (w *slowWindow) record(now time.Time, slow bool) bool {
	idx := now.UnixNano() / w.bucket
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance(idx)
	i := int(uint64(w.newest) % uint64(len(w.calls)))
	w.calls[i]++
	w.total++
	if slow {
		w.slow[i]++
		w.slowSum++
	}
	return w.total >= w.minCalls && float64(w.slowSum) >= w.ratio*float64(w.total)
}

// advance forgets the buckets that fell out of the window by idx. A call
// ending before the newest bucket (clocks of racing goroutines) is added to
// the newest bucket.
func (w *slowWindow) advance(idx int64) {
	if idx <= w.newest {
		return
	}
	n := int64(len(w.calls))
	steps := min(idx-w.newest, n)
	for s := int64(1); s <= steps; s++ {
		i := int(uint64(w.newest+s) % uint64(n))
		w.total -= uint64(w.calls[i])
		w.slowSum -= uint64(w.slow[i])
		w.calls[i], w.slow[i] = 0, 0
	}
	w.newest = idx
}

func (w *slowWindow) reset() {
	w.mu.Lock()
	clear(w.calls)
	clear(w.slow)
	w.total, w.slowSum = 0, 0
	w.mu.Unlock()
}
