package detect

import (
	"math"
	"time"
)

// MADConfig configures a [MAD] detector. The zero value selects the
// documented defaults.
type MADConfig struct {
	// Window is how many recent points the median and MAD are taken over,
	// in [5, 4096]. Zero means 64.
	Window int
	// Floor is the least robust standard deviation as a fraction of the
	// median's magnitude, in [0, 1]: a window that is (nearly) constant
	// around a level L judges deviations against at least Floor*|L|, so a
	// quantisation step or a 2% wobble of a flat line is not an incident.
	// At the default 0.05 a single point is flagged only once it departs
	// from the median by at least 22% of it (4.4 times the floor). Zero
	// means 0.05; negative disables (a change from a perfectly constant
	// window then scores 1).
	Floor float64
	// Threshold is the score at or above which Result.Anomaly is set, in
	// (0, 1]. Zero means 0.5.
	Threshold float64
	// Suppress is how many points after a detection score 0 and are not
	// flagged, so one excursion is reported once. Zero means 100; negative
	// disables (every point is scored on its own).
	Suppress int
}

func (c MADConfig) withDefaults() (MADConfig, error) {
	if c.Window == 0 {
		c.Window = 64
	}
	if c.Window < 5 || c.Window > 4096 {
		return c, invalid("MADConfig.Window", c.Window, "outside [5, 4096]")
	}
	switch {
	case c.Floor == 0:
		c.Floor = 0.05
	case c.Floor < 0:
		c.Floor = 0
	case !(c.Floor <= 1):
		return c, invalid("MADConfig.Floor", c.Floor, "outside [0, 1]")
	}
	var err error
	if c.Suppress, err = suppress("MADConfig", c.Suppress); err != nil {
		return c, err
	}
	c.Threshold, err = threshold("MADConfig", c.Threshold)
	return c, err
}

// MAD scores each point by its robust z-score against the median and the
// median absolute deviation of a sliding window. Outliers inside the window
// do not inflate its spread, so it catches spikes in heavy-tailed or
// bursty streams and keeps scoring a repeated outlier high until it makes up
// half the window; after a detection the next Suppress points (default
// 100) score 0 and are not flagged, so one burst is one alarm. Where the
// MAD is 0 (mostly repeated values) the mean absolute deviation from the
// median stands in, and the spread is never taken below Floor (default 5%)
// of the median's magnitude, so a near-constant stream does not flag every
// wobble; a change from a perfectly constant window at 0 scores 1. Cost: O(Window) time per point (an
// insertion into a sorted copy), 16*Window+136 bytes of state (1.1 KiB at
// the default).
//
// Create one with [NewMAD]; the zero value is not usable. Not safe for
// concurrent use. Most callers want [MAD.ObserveAt].
type MAD struct {
	cfg    MADConfig
	clk    clock
	ring   []float64 // arrival order, ring[head] is the oldest once full
	sorted []float64 // the same values, ascending
	head   int
	z      float64 // last robust deviation
	hold   holdoff
}

// NewMAD returns a MAD detector, or an error naming the invalid field.
func NewMAD(cfg MADConfig) (*MAD, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &MAD{cfg: c, hold: holdoff{n: c.Suppress}, ring: make([]float64, 0, c.Window), sorted: make([]float64, 0, c.Window)}, nil
}

// Name returns "mad".
func (d *MAD) Name() string { return "mad" }

// Reset forgets the stream, keeping the buffers.
func (d *MAD) Reset() {
	d.clk, d.ring, d.sorted, d.head = clock{}, d.ring[:0], d.sorted[:0], 0
	d.hold.reset()
}

// Observe is ObserveAt with the current time.
func (d *MAD) Observe(v float64) Result { return d.ObserveAt(time.Now(), v) }

// ObserveAt scores v against the window, then adds it to the window.
func (d *MAD) ObserveAt(t time.Time, v float64) Result {
	if !d.clk.admit(t, v) {
		return skipped
	}
	var r Result
	d.z = 0
	if len(d.sorted) >= d.cfg.Window/2 && len(d.sorted) >= 3 {
		med, scale := d.centre()
		d.z = ratio(v-med, scale)
		r.Score = scoreFromZ(d.z)
		d.hold.apply(&r, d.cfg.Threshold)
		r.Expected, r.HasExpected = med, true
		r.Lower, r.Upper = band(med, scale)
	}
	d.push(v)
	return r
}

// centre returns the window's median and a robust standard deviation:
// 1.4826*MAD, or 1.2533*mean absolute deviation when the MAD is 0 (as soon
// as half the window repeats one value), at least Floor*|median|.
func (d *MAD) centre() (med, scale float64) {
	s := d.sorted
	n := len(s)
	med = s[n/2]
	if n%2 == 0 {
		med = s[n/2-1]/2 + s[n/2]/2
	}
	// Deviations below and above the median are each sorted; merge them
	// to find the median deviation in O(n).
	lo, hi := n/2-1, n/2
	if n%2 == 1 {
		hi = n/2 + 1
	}
	// The lower median of all n deviations is the ((n-1)/2)-th smallest;
	// for odd n the median's own 0 deviation is the smallest and is not
	// in the merge.
	steps := (n-1)/2 + 1
	if n%2 == 1 {
		steps--
	}
	var sum, dev float64
	for range steps {
		if lo >= 0 && (hi >= n || med-s[lo] <= s[hi]-med) {
			dev = med - s[lo]
			lo--
		} else {
			dev = s[hi] - med
			hi++
		}
	}
	for _, x := range s {
		sum += math.Abs(x - med)
	}
	scale = 1.4826 * dev
	if scale == 0 {
		scale = 1.2533 * sum / float64(n)
	}
	scale = math.Max(scale, d.cfg.Floor*math.Abs(med))
	if !finite(scale) {
		scale = math.MaxFloat64
	}
	return med, scale
}

func (d *MAD) push(v float64) {
	if len(d.ring) < d.cfg.Window {
		d.ring = append(d.ring, v)
		d.sorted = append(d.sorted, v)
		insertLast(d.sorted)
		return
	}
	old := d.ring[d.head]
	d.ring[d.head] = v
	d.head = (d.head + 1) % len(d.ring)
	replaceSorted(d.sorted, old, v)
}

// insertLast moves the last element of s into sorted position.
func insertLast(s []float64) {
	i := len(s) - 1
	v := s[i]
	for ; i > 0 && s[i-1] > v; i-- {
		s[i] = s[i-1]
	}
	s[i] = v
}

// replaceSorted replaces one occurrence of old in the ascending slice s by
// v, keeping s ascending.
func replaceSorted(s []float64, old, v float64) {
	i := 0
	for i < len(s)-1 && s[i] < old {
		i++
	}
	for i > 0 && s[i-1] > v {
		s[i] = s[i-1]
		i--
	}
	for i < len(s)-1 && s[i+1] < v {
		s[i] = s[i+1]
		i++
	}
	s[i] = v
}
