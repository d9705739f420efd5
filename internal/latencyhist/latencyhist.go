// Package latencyhist is the lock-free latency histogram of the request
// path: log-linear buckets over nanoseconds, 8 sub-buckets per power of two
// (relative error at most 1/16 at the bucket middle), from 1ns to 2^40ns
// (about 18 minutes); longer latencies share the last bucket. Recording is
// one atomic add; the tick or step that reads it swaps the buckets out, so
// no lock and no allocation is on the request path. availability (per
// endpoint) and remediate/eject (per replica) use it.
package latencyhist

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

const (
	subBucketBits = 3
	subBuckets    = 1 << subBucketBits
	maxExponent   = 40
	// Bins is the number of buckets.
	Bins = (maxExponent - 1) * subBuckets
)

// Hist is a latency histogram. The zero value is empty and ready; it is
// safe for concurrent use (Record from any goroutine; one reader drains).
type Hist struct {
	bins [Bins]atomic.Uint32
}

// Bin returns the bucket of d; negative durations go to bucket 0.
func Bin(d time.Duration) int {
	ns := uint64(max(d, 0))
	if ns < subBuckets {
		return int(ns)
	}
	e := bits.Len64(ns) - 1 // ns in [2^e, 2^(e+1))
	if e > maxExponent {
		return Bins - 1
	}
	sub := int(ns>>(e-subBucketBits)) & (subBuckets - 1)
	return (e-subBucketBits+1)*subBuckets + sub
}

// BinMiddle returns the middle of bucket i, in nanoseconds.
func BinMiddle(i int) float64 {
	if i < subBuckets {
		return float64(i)
	}
	e := i/subBuckets + subBucketBits - 1
	sub := i % subBuckets
	width := math.Ldexp(1, e-subBucketBits)
	return math.Ldexp(1, e) + float64(sub)*width + width/2
}

// Record adds d. It does not allocate.
func (h *Hist) Record(d time.Duration) {
	h.bins[Bin(d)].Add(1)
}

// Count returns how many values the histogram holds.
func (h *Hist) Count() uint64 {
	var n uint64
	for i := range h.bins {
		n += uint64(h.bins[i].Load())
	}
	return n
}

// Drain empties the histogram into counts and returns the q quantile of
// what it held, in seconds, and how many values it held; NaN and 0 when it
// held nothing.
func (h *Hist) Drain(counts *[Bins]uint32, q float64) (float64, uint64) {
	var n uint64
	for i := range h.bins {
		c := h.bins[i].Swap(0)
		counts[i] = c
		n += uint64(c)
	}
	if n == 0 {
		return math.NaN(), 0
	}
	rank := max(uint64(math.Ceil(q*float64(n))), 1)
	var seen uint64
	for i, c := range counts {
		seen += uint64(c)
		if seen >= rank {
			return BinMiddle(i) / 1e9, n
		}
	}
	return BinMiddle(Bins-1) / 1e9, n
}
