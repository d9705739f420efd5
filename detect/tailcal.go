package detect

import "math"

// calBins is the resolution of a tailCal: bins of deviation z on a log
// scale, four per doubling of 1+z, the last open-ended (z >= 2^10-1).
const calBins = 40

// calMaxZ caps the deviations summed for the tail model, so an infinite
// deviation (a change from a perfectly constant history) stays finite in
// the sums; it lies in the last, open-ended bin.
const calMaxZ = 1e4

// tailCal turns a detector's raw deviation into its tail probability under
// the detector's own recent history, so deviations from detectors with
// different habits become comparable (a CUSUM that often sums to 8 on an
// autocorrelated stream counts for less than a seasonal model that never
// does).
//
// The body of the distribution is the empirical one: a histogram of the
// history, decayed exponentially with a memory of calMemory points (the
// decay is applied lazily by growing the weight of new points, so an
// update is O(1)). The empirical tail says nothing below 1/calMemory,
// yet a quiet stream must cost at most one alarm per 10,000 points, so
// beyond the history's top calTail fraction the tail is modelled, as
// peaks-over-threshold methods do (SPOT, Siffer et al. 2017, here with
// the generalised Pareto's shape fixed at 0): the excesses over the
// tail's edge are taken as exponential, with their mean, kept exactly
// from per-bin sums of z, as the scale. Sums of deviations (a CUSUM) have
// exactly such a tail, Gaussian and Poisson residuals a lighter one, so
// the model errs on the side of fewer alarms only for heavier tails, and
// those are the streams a fixed memory sees the most of.
type tailCal struct {
	bins [calBins]float64 // decayed weight per bin
	// sumZ is the decayed weighted sum of z per bin. Only the tail's mean
	// excess needs it, and float32 keeps the ensemble's four calibrators
	// within 4 KiB.
	sumZ  [calBins]float32
	total float64
	w     float64 // weight of the next point
}

const (
	// A bin holding less than calNegligible of a new point's weight counts
	// as empty; when the tail model has too little history, each empty bin
	// between the history's top and a new deviation divides its tail
	// probability by e^calBeyond.
	calNegligible = 0.05
	calBeyond     = 0.5
	// calTail is the fraction of the history above the tail's edge: the
	// model takes over where fewer than this many recent deviations are
	// as large.
	calTail = 0.02
	// calTailMin is the least decayed weight, in points, above the edge
	// for the tail model to be fitted at all.
	calTailMin = 5
	// calScaleMin floors the exponential scale, in units of 1+edge, so a
	// tail of one repeated value (a discrete stream) does not make the next
	// larger value look infinitely rare.
	calScaleMin = 0.1
)

// calMemory is the calibration's memory in points.
const calMemory = 2000

// calRenormalise is the weight of a new point past which the history is
// rescaled (every ~138,000 points): the float32 sums of z then stay below
// calMemory * calRenormalise * calMaxZ, far from float32's 3.4e38.
const calRenormalise = 1e30

func calBin(z float64) int {
	if !(z > 0) {
		return 0
	}
	if z >= calMaxZ { // also +Inf
		return calBins - 1
	}
	b := int(4 * math.Log2(1+z))
	return min(b, calBins-1)
}

// calEdge is the smallest z in bin b.
func calEdge(b int) float64 { return math.Exp2(float64(b)/4) - 1 }

// logTail returns ln of the tail probability of z: the decayed fraction of
// past deviations at or above z's bin (with one pseudo-observation above
// everything so it is never 0), or, beyond the history's top calTail, the
// smaller exponential tail model. It costs O(bin of z).
func (c *tailCal) logTail(z float64) float64 {
	emp, _, _ := c.logTails(z)
	return emp
}

// logTails returns ln of two tail probabilities of z: emp, the decayed
// fraction of past deviations at or above z's bin (with one
// pseudo-observation above everything so it is never 0, and calBeyond per
// empty bin beyond the history's top), and model, beyond the history's top
// calTail the exponential tail model (emp where the tail is too thin to
// fit, or z is not in it). It costs O(bin of z).
func (c *tailCal) logTails(z float64) (emp, model, edge float64) {
	if c.w == 0 || !(z > 0) { // nothing learnt, or z in bin 0: all the history is at or above
		return 0, 0, 0
	}
	// Most deviations are small: sum the bins below z and subtract.
	b := calBin(z)
	below := 0.0
	for _, x := range c.bins[:b] {
		below += x
	}
	above := math.Max(0, c.total-below)
	emp = math.Log((above+c.w)/(c.total+c.w)) - c.beyond(b, above)
	if above >= calTail*c.total {
		return emp, emp, 0
	}
	// The tail: walk down from z's bin to the edge bin e, the highest with
	// at least calTail of the history at or above it.
	// Only these few points need the sums of z, summed from the top.
	mass, massZ := above, 0.0
	for _, x := range c.sumZ[b:] {
		massZ += float64(x)
	}
	e := b
	for e > 1 && mass < calTail*c.total {
		e--
		mass += c.bins[e]
		massZ += float64(c.sumZ[e])
	}
	if mass < calTailMin*c.w { // too little tail to fit
		return emp, emp, 0
	}
	edge = calEdge(e)
	scale := math.Max((massZ-edge*mass)/mass, calScaleMin*(1+edge))
	model = math.Log(mass/(c.total+c.w)) - math.Max(0, math.Min(z, calMaxZ)-edge)/scale
	return emp, math.Min(emp, model), edge
}

// beyond is the extrapolation when the tail is too thin to model: when
// nothing in the history reached z's bin b, calBeyond per empty bin between
// the history's top and b.
func (c *tailCal) beyond(b int, above float64) float64 {
	if above >= c.w*calNegligible {
		return 0
	}
	top := 0
	for i := b - 1; i >= 0; i-- {
		if c.bins[i] >= c.w*calNegligible {
			top = i
			break
		}
	}
	return calBeyond * float64(b-top-1)
}

// add records z.
func (c *tailCal) add(z float64) {
	if c.w == 0 {
		c.w = 1
	}
	b := calBin(z)
	zc := 0.0
	if z > 0 {
		zc = math.Min(z, calMaxZ)
	}
	c.bins[b] += c.w
	c.sumZ[b] = float32(float64(c.sumZ[b]) + c.w*zc)
	c.total += c.w
	c.w /= 1 - 1.0/calMemory
	if c.w > calRenormalise { // renormalise before overflow
		for i := range c.bins {
			c.bins[i] /= c.w
			c.sumZ[i] = float32(float64(c.sumZ[i]) / c.w)
		}
		c.total /= c.w
		c.w = 1
	}
}
