package availability

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// Latency buckets: log-linear over nanoseconds, 8 sub-buckets per power of
// two (relative error at most 1/16 at the bucket middle), from 1ns to 2^40ns
// (about 18 minutes); longer latencies share the last bucket. Recording is
// one atomic add; the tick swaps the buckets out to compute the interval's
// p99, so no lock and no allocation is on the request path.
const (
	subBucketBits = 3
	subBuckets    = 1 << subBucketBits
	maxExponent   = 40
	latencyBins   = (maxExponent - 1) * subBuckets
)

type latencyHist struct {
	bins [latencyBins]atomic.Uint32
}

// latencyBin returns the bucket of d.
func latencyBin(d time.Duration) int {
	ns := uint64(max(d, 0))
	if ns < subBuckets {
		return int(ns)
	}
	e := bits.Len64(ns) - 1 // ns in [2^e, 2^(e+1))
	if e > maxExponent {
		return latencyBins - 1
	}
	sub := int(ns>>(e-subBucketBits)) & (subBuckets - 1)
	return (e-subBucketBits+1)*subBuckets + sub
}

// binMiddle returns the middle of bucket i, in nanoseconds.
func binMiddle(i int) float64 {
	if i < subBuckets {
		return float64(i)
	}
	e := i/subBuckets + subBucketBits - 1
	sub := i % subBuckets
	width := math.Ldexp(1, e-subBucketBits)
	lo := math.Ldexp(1, e) + float64(sub)*width
	return lo + width/2
}

func (h *latencyHist) record(d time.Duration) {
	h.bins[latencyBin(d)].Add(1)
}

// count returns how many values the histogram holds.
func (h *latencyHist) count() uint64 {
	var n uint64
	for i := range h.bins {
		n += uint64(h.bins[i].Load())
	}
	return n
}

// drain empties the histogram and returns the q quantile of what it held, in
// seconds, and how many values it held; NaN without values.
func (h *latencyHist) drain(counts *[latencyBins]uint32, q float64) (float64, uint64) {
	var n uint64
	for i := range h.bins {
		c := h.bins[i].Swap(0)
		counts[i] = c
		n += uint64(c)
	}
	if n == 0 {
		return math.NaN(), 0
	}
	rank := uint64(math.Ceil(q * float64(n)))
	rank = max(rank, 1)
	var seen uint64
	for i, c := range counts {
		seen += uint64(c)
		if seen >= rank {
			return binMiddle(i) / 1e9, n
		}
	}
	return binMiddle(latencyBins-1) / 1e9, n
}
