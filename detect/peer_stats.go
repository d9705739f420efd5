package detect

import (
	"math"
	"slices"
)

// Consistency constants that make robust spreads estimate a normal
// distribution's standard deviation.
const (
	peerMADToSigma    = 1.482602218505602 // 1/Φ⁻¹(3/4)
	peerMeanADToSigma = 1.253314137315500 // √(π/2)
)

// peerMedian sorts x and returns its median; x must not be empty.
func peerMedian(x []float64) float64 {
	slices.Sort(x)
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return x[n/2-1]/2 + x[n/2]/2
}

// peerCentre returns the median of values and a robust spread around it
// (an estimate of the standard deviation): 1.4826 * MAD, or, when more than
// half the values are equal so the MAD is 0, 1.2533 * the mean absolute
// deviation (Iglewicz and Hoaglin). scratch must have len(values) room; values
// is not modified.
func peerCentre(values, scratch []float64) (median, spread float64) {
	s := scratch[:len(values)]
	copy(s, values)
	median = peerMedian(s)
	sum := 0.0
	for i, v := range values {
		d := math.Abs(v - median)
		s[i] = d
		sum += d
	}
	if mad := peerMedian(s); mad > 0 {
		return median, peerMADToSigma * mad
	}
	n := float64(len(values))
	if math.IsInf(sum, 1) {
		// Deviations near MaxFloat64 overflow the sum though their mean
		// is finite: average them term by term instead.
		sum = 0
		for _, d := range s {
			sum += d / n
		}
		n = 1
	}
	return median, peerMeanADToSigma * sum / n
}
