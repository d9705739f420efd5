package detect

import "math"

// Scores are calibrated on one scale for the single detectors: a point as
// unlikely as a tail probability p scores s = 1 - 2^(-ln(p)/ln(pHalf)). So
// 0.5 is p = 1e-5 (about 4.4 standard deviations for a Gaussian), the
// package's default threshold, 0.75 is 1e-10, 0.875 is 1e-15; the score
// approaches 1 without saturating early, so rarer points keep ranking
// higher.
const pHalfLog = -11.512925464970229 // ln(1e-5)

// defaultThreshold is every detector's default Result.Anomaly threshold.
const defaultThreshold = 0.5

// scoreFromLogP maps the natural log of a tail probability to [0, 1].
func scoreFromLogP(lp float64) float64 {
	if lp != lp { // NaN: no evidence either way
		return 0
	}
	return halfLife(lp / pHalfLog)
}

// halfLife maps x >= 0 to 1 - 2^-x in [0, 1): 0.5 at x = 1.
func halfLife(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	return clamp01(-math.Expm1(-x * math.Ln2))
}

// logTwoSided returns ln P(|Z| >= z) for a standard normal Z, without
// underflow for large z (asymptotic tail) and 0 for z <= 0 or NaN.
func logTwoSided(z float64) float64 {
	if !(z > 0) {
		return 0
	}
	if z < 25 {
		return math.Log(math.Erfc(z / math.Sqrt2))
	}
	if math.IsInf(z, 1) {
		return math.Inf(-1)
	}
	// Mills ratio: P(|Z|>=z) ~ 2 phi(z)/z.
	return -z*z/2 - math.Log(z) + 0.5*math.Log(2/math.Pi)
}

// scoreFromZ is the calibrated score of a two-sided standardised deviation.
func scoreFromZ(z float64) float64 { return scoreFromLogP(logTwoSided(z)) }

// ratio returns |d|/s as a deviation that is never NaN: 0 when d is 0 or
// NaN, +Inf when s is 0 and d is not.
func ratio(d, s float64) float64 {
	d = math.Abs(d)
	if d != d || d == 0 {
		return 0
	}
	if !(s > 0) || math.IsInf(d, 1) && math.IsInf(s, 1) {
		return math.Inf(1)
	}
	z := d / s
	if z != z {
		return 0
	}
	return z
}

func clamp01(x float64) float64 {
	switch {
	case x > 1:
		return 1
	case x > 0:
		return x
	default: // negative or NaN
		return 0
	}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
