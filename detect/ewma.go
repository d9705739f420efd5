package detect

import (
	"math"
	"time"
)

// EWMAConfig configures an [EWMA] detector. The zero value selects the
// documented defaults.
type EWMAConfig struct {
	// Alpha is the smoothing factor of the mean and variance, in (0, 1).
	// Zero means 0.01 (a memory of about 100 points, as long as the
	// hold-off): a shorter memory sees a stream's routine bursts as rare,
	// because its variance forgets the last burst before the next one.
	Alpha float64
	// Warmup is how many points are learnt before scoring starts. Zero
	// means 20; negative is invalid.
	Warmup int
	// Threshold is the score at or above which Result.Anomaly is set, in
	// (0, 1]. Zero means 0.5.
	Threshold float64
	// Suppress is how many points after a detection score 0 and are not
	// flagged, so one excursion is reported once. Zero means 100; negative
	// disables (every point is scored on its own).
	Suppress int
}

func (c EWMAConfig) withDefaults() (EWMAConfig, error) {
	if c.Alpha == 0 {
		c.Alpha = 0.01
	}
	if !(c.Alpha > 0 && c.Alpha < 1) {
		return c, invalid("EWMAConfig.Alpha", c.Alpha, "outside (0, 1)")
	}
	if c.Warmup == 0 {
		c.Warmup = 20
	}
	if c.Warmup < 0 {
		return c, invalid("EWMAConfig.Warmup", c.Warmup, "is negative")
	}
	var err error
	if c.Suppress, err = suppress("EWMAConfig", c.Suppress); err != nil {
		return c, err
	}
	c.Threshold, err = threshold("EWMAConfig", c.Threshold)
	return c, err
}

// threshold validates a Threshold field, zero meaning the default.
func threshold(cfg string, t float64) (float64, error) {
	if t == 0 {
		return defaultThreshold, nil
	}
	if !(t > 0 && t <= 1) {
		return t, invalid(cfg+".Threshold", t, "outside (0, 1]")
	}
	return t, nil
}

// EWMA scores each point by its z-score against an exponentially weighted
// mean and variance. It catches spikes and dips relative to the recent level
// and, briefly, the start of a level shift; it adapts to slow drift. After a
// detection the next Suppress points (default 100) score 0 and are not
// flagged, so one excursion is one alarm. Cost: O(1) time, a few
// multiplications per point, 96 bytes of state.
//
// Create one with [NewEWMA]; the zero value is not usable. Not safe for
// concurrent use. Most callers want [EWMA.ObserveAt].
type EWMA struct {
	cfg      EWMAConfig
	clk      clock
	mean, vr float64
	n        int
	hold     holdoff
}

// NewEWMA returns an EWMA detector, or an error naming the invalid field.
func NewEWMA(cfg EWMAConfig) (*EWMA, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &EWMA{cfg: c, hold: holdoff{n: c.Suppress}}, nil
}

// Name returns "ewma".
func (d *EWMA) Name() string { return "ewma" }

// Reset forgets the stream.
func (d *EWMA) Reset() { *d = EWMA{cfg: d.cfg, hold: holdoff{n: d.cfg.Suppress}} }

// Observe is ObserveAt with the current time.
func (d *EWMA) Observe(v float64) Result { return d.ObserveAt(time.Now(), v) }

// ObserveAt scores v against the state learnt so far, then learns it.
func (d *EWMA) ObserveAt(t time.Time, v float64) Result {
	if !d.clk.admit(t, v) {
		return skipped
	}
	var r Result
	if d.n >= d.cfg.Warmup && d.n > 1 {
		sd := math.Sqrt(d.vr)
		r.Score = scoreFromZ(ratio(v-d.mean, sd))
		d.hold.apply(&r, d.cfg.Threshold)
		r.Expected, r.HasExpected = d.mean, true
		r.Lower, r.Upper = band(d.mean, sd)
	}
	d.learn(v)
	return r
}

func (d *EWMA) learn(v float64) {
	if d.n == 0 {
		d.mean, d.vr, d.n = v, 0, 1
		return
	}
	a := d.cfg.Alpha
	if d.n < d.cfg.Warmup { // average the start evenly
		a = math.Max(a, 1/float64(d.n+1))
	}
	diff := v - d.mean
	incr := a * diff
	m := d.mean + incr
	vr := (1 - a) * (d.vr + diff*incr)
	if !finite(m) || !finite(vr) { // overflow: restart from this point
		d.mean, d.vr, d.n = v, 0, 1
		return
	}
	d.mean, d.vr = m, vr
	d.n++
}

// bandZ is the half-width of Result's band in standard deviations: the
// deviation whose score is the default threshold.
const bandZ = 4.417

func band(mid, sd float64) (lo, hi float64) {
	w := bandZ * sd
	return mid - w, mid + w
}
