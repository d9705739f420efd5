package availability

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// The OTel SDK's Float64Histogram.Record costs more than everything else
// the middleware does together (it resolves and hashes the attribute set on
// every call), so while the Monitor runs, a request does not call it: it
// puts (series, seconds) in durationQueue, a bounded lock-free ring, and the
// Monitor's recorder goroutine makes the Record calls off the request path
// (the tick path of DESIGN.md). Nothing is dropped or approximated:
//
//   - a request whose context carries a sampled span records at once, so
//     the SDK can keep it as an exemplar of that trace;
//   - when the ring is full, or the Monitor is not running (before Start,
//     after Shutdown), the request records at once;
//   - Shutdown drains the ring before it flushes the MeterProvider, and a
//     request that queued while Shutdown drained drains the ring itself.
//
// The values are exact; a queued duration reaches the histogram within
// durationDrainEvery, or sooner when the ring is a quarter full.

// durationDrainEvery is how often the recorder drains the ring without a
// wake-up.
const durationDrainEvery = 250 * time.Millisecond

// durationQueueSize is the ring's capacity (a power of two): 4096 slots of
// 24 bytes, 96 KiB per Monitor, 16k requests/s between two timed drains
// before the wake-up at a quarter full takes over.
const durationQueueSize = 4096

type durationSlot struct {
	seq atomic.Uint64 // pos+1 once the producer of position pos has filled it
	s   *series
	v   float64
}

// durationQueue is a bounded multi-producer, single-consumer ring. A
// producer claims a position with a compare-and-swap on tail while it is
// less than a ring ahead of head, fills the slot and publishes it by storing
// pos+1 in its seq; the consumer reads slots in order while their seq says
// filled and advances head once per drain. The consumer never writes a
// slot, so a slot's cache line moves from producer to consumer and back only
// as the data does.
type durationQueue struct {
	// Read by every request, written only when the recorder starts and
	// stops: kept on a line that the hot writes below never touch.
	slots []durationSlot
	async atomic.Bool   // the recorder goroutine runs: requests may queue
	wake  chan struct{} // capacity 1: the ring is a quarter full
	h     metric.Float64Histogram
	_     [64]byte

	tail atomic.Uint64 // written by every request
	_    [56]byte

	head atomic.Uint64 // written by the consumer, once per drain
	_    [56]byte
	mu   sync.Mutex // the consumer side: one drain at a time
}

func newDurationQueue(h metric.Float64Histogram) *durationQueue {
	return &durationQueue{slots: make([]durationSlot, durationQueueSize), wake: make(chan struct{}, 1), h: h}
}

// record records seconds in series s: queued while the recorder runs,
// at once otherwise (see above). It does not allocate.
func (q *durationQueue) record(ctx context.Context, s *series, seconds float64) {
	if !q.async.Load() || trace.SpanContextFromContext(ctx).IsSampled() || !q.push(s, seconds) {
		q.h.Record(ctx, seconds, s.opts...)
		return
	}
	if !q.async.Load() {
		// Shutdown stopped the recorder while this request queued:
		// its final drain may have run before the push, so drain here.
		q.drain()
	}
}

// push queues (s, v); false if the ring is full.
func (q *durationQueue) push(s *series, v float64) bool {
	for {
		pos := q.tail.Load()
		if pos-q.head.Load() >= durationQueueSize {
			return false // full: the slot still holds a value of the previous lap
		}
		if !q.tail.CompareAndSwap(pos, pos+1) {
			continue // another producer took pos
		}
		slot := &q.slots[pos&(durationQueueSize-1)]
		slot.s, slot.v = s, v
		slot.seq.Store(pos + 1)
		if pos%(durationQueueSize/4) == durationQueueSize/4-1 {
			select {
			case q.wake <- struct{}{}:
			default:
			}
		}
		return true
	}
}

// drain records every queued duration, in order.
func (q *durationQueue) drain() {
	q.mu.Lock()
	defer q.mu.Unlock()
	head := q.head.Load()
	defer func() { q.head.Store(head) }()
	for {
		slot := &q.slots[head&(durationQueueSize-1)]
		if slot.seq.Load() != head+1 {
			return // empty, or the next producer has not finished writing
		}
		s, v := slot.s, slot.v
		head++
		if head%64 == 0 {
			q.head.Store(head) // let producers reuse slots during a long drain
		}
		q.h.Record(context.Background(), v, s.opts...)
	}
}

// run is the recorder goroutine: it drains on wake-ups and every
// durationDrainEvery until stop is closed, then stops queueing and drains
// what is left.
func (q *durationQueue) run(stop <-chan struct{}, tick <-chan time.Time) {
	q.async.Store(true)
	defer func() {
		q.async.Store(false)
		q.drain()
	}()
	for {
		select {
		case <-stop:
			return
		case <-q.wake:
		case <-tick:
		}
		q.drain()
	}
}
