package detect

import "math"

// calBins is the resolution of a tailCal: bins of deviation z on a log
// scale, four per doubling of 1+z, the last open-ended (z >= 2^12-1).
const calBins = 48

// tailCal turns a detector's raw deviation into its empirical tail
// probability under the detector's own recent history, so deviations from
// detectors with different habits become comparable (a MAD that often
// reports 8 sigma on a bursty stream counts for less than a seasonal model
// that never does). History decays exponentially with a memory of
// calMemory points; the decay is applied lazily by growing the weight of
// new points, so an update is O(1) and a query O(calBins) at worst.
type tailCal struct {
	bins  [calBins]float64
	total float64
	w     float64 // weight of the next point
}

// A bin holding less than calNegligible of a new point's weight counts as
// empty; each empty bin between the history's top and a new deviation
// divides its tail probability by e^calBeyond.
const (
	calNegligible = 0.05
	calBeyond     = 0.5
)

// calMemory is the calibration's memory in points.
const calMemory = 2000

func calBin(z float64) int {
	if !(z > 0) {
		return 0
	}
	if z >= 4095 { // also +Inf
		return calBins - 1
	}
	b := int(4 * math.Log2(1+z))
	return min(b, calBins-1)
}

// logTail returns ln of the decayed fraction of past deviations at or
// above z's bin, with one pseudo-observation above everything so it is
// never 0. It costs O(bin of z).
func (c *tailCal) logTail(z float64) float64 {
	if c.w == 0 {
		return 0
	}
	// Most deviations are small: sum the bins below z and subtract.
	b := calBin(z)
	below := 0.0
	for _, x := range c.bins[:b] {
		below += x
	}
	above := math.Max(0, c.total-below)
	lp := math.Log((above + c.w) / (c.total + c.w))
	if above < c.w*calNegligible { // beyond the history: extrapolate
		top := 0
		for i := b - 1; i >= 0; i-- {
			if c.bins[i] >= c.w*calNegligible {
				top = i
				break
			}
		}
		lp -= calBeyond * float64(b-top-1)
	}
	return lp
}

// add records z.
func (c *tailCal) add(z float64) {
	if c.w == 0 {
		c.w = 1
	}
	c.bins[calBin(z)] += c.w
	c.total += c.w
	c.w /= 1 - 1.0/calMemory
	if c.w > 1e100 { // renormalise before overflow
		for i := range c.bins {
			c.bins[i] /= c.w
		}
		c.total /= c.w
		c.w = 1
	}
}
