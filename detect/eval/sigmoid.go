package eval

import "math"

// positionReward is NAB's scaled sigmoid of a relative position x: x = -1 is
// the left edge of a window, 0 its right edge, x > 0 lies after it. Its value
// is 2/(1+e^(5x)) - 1, clamped to -1 beyond x = 3.
func positionReward(x float64) float64 {
	if x > 3.0 {
		return -1.0
	}
	return 2.0/(1.0+math.Exp(5.0*x)) - 1.0
}

// earliestReward rescales window rewards so the first row of a window is
// worth exactly 1.
var earliestReward = positionReward(-1.0)
