package eject

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// Latency buckets: log-linear over nanoseconds, 8 sub-buckets per power of
// two (relative error at most 1/16), from 1ns to 2^40ns; longer latencies
// share the last bucket. Recording is one atomic add and the step swaps the
// buckets out, so the request path takes no lock and allocates nothing.
const (
	subBucketBits = 3
	subBuckets    = 1 << subBucketBits
	maxExponent   = 40
	latencyBins   = (maxExponent - 1) * subBuckets
)

type latencyHist struct {
	bins [latencyBins]atomic.Uint32
}

func latencyBin(d time.Duration) int {
	ns := uint64(max(d, 0))
	if ns < subBuckets {
		return int(ns)
	}
	e := bits.Len64(ns) - 1
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
	return math.Ldexp(1, e) + float64(sub)*width + width/2
}

func (h *latencyHist) record(d time.Duration) { h.bins[latencyBin(d)].Add(1) }

// drain empties the histogram into counts and returns the q quantile of
// what it held, in seconds; NaN when it held nothing.
func (h *latencyHist) drain(counts *[latencyBins]uint32, q float64) float64 {
	var n uint64
	for i := range h.bins {
		c := h.bins[i].Swap(0)
		counts[i] = c
		n += uint64(c)
	}
	if n == 0 {
		return math.NaN()
	}
	rank := max(uint64(math.Ceil(q*float64(n))), 1)
	var seen uint64
	for i, c := range counts {
		seen += uint64(c)
		if seen >= rank {
			return binMiddle(i) / 1e9
		}
	}
	return binMiddle(latencyBins-1) / 1e9
}
