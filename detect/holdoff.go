package detect

import "fmt"

// defaultHoldoff is the single detectors' default Suppress: after a
// detection, this many points score 0, so one incident is one alarm. It is
// the ensemble's figure, for the same reason: an excursion of a real
// stream (an outage, a deploy, a spike and its ringing) lasts tens of
// points, and a detector that flags each of them floods its listener.
const defaultHoldoff = 100

// holdoff is the repeat suppression shared by the single detectors: after a
// Result at or above the threshold, the next n results score 0 and are not
// anomalies. It touches only the reported Result, never what a detector
// learns, so a detector's model (and the ensemble, which reads the models'
// deviations, not their Results) is the same with or without it.
type holdoff struct {
	n    int // configured length; <= 0 disables
	left int // points still held
}

// maxHoldoff bounds Suppress so a typo cannot silence a detector for good.
const maxHoldoff = 1 << 20

// suppress validates a Suppress field: zero means defaultHoldoff, negative
// disables the hold-off.
func suppress(cfg string, n int) (int, error) {
	if n == 0 {
		n = defaultHoldoff
	}
	if n > maxHoldoff {
		return n, invalid(cfg+".Suppress", n, fmt.Sprintf("above %d", maxHoldoff))
	}
	return n, nil
}

// reset ends any hold-off in progress, keeping the configured length.
func (h *holdoff) reset() { h.left = 0 }

// apply sets r.Anomaly from r.Score and thr, holding both at zero while a
// previous detection's hold-off lasts.
func (h *holdoff) apply(r *Result, thr float64) {
	if h.left > 0 {
		h.left--
		r.Score, r.Anomaly = 0, false
		return
	}
	r.Anomaly = r.Score >= thr
	if r.Anomaly && h.n > 0 {
		h.left = h.n
	}
}
