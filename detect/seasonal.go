package detect

import (
	"math"
	"time"
)

// SeasonalConfig configures a [Seasonal] detector. The zero value selects
// the documented defaults.
type SeasonalConfig struct {
	// Period is the length of one season. Zero means 24h. The number of
	// season slots is Period divided by the sampling interval (learnt from
	// the first points), capped at MaxSlots; a slot then spans several
	// points.
	Period time.Duration
	// MaxSlots caps the seasonal profile's size, in [4, 4096]. Zero means
	// 288 (one slot per 5 minutes of a day).
	MaxSlots int
	// Alpha is the smoothing factor of the level, Gamma that of the season
	// profile, both in (0, 1). Zero means 0.1 and 0.2.
	Alpha, Gamma float64
	// Clip, when positive, winsorises the one-step errors at Clip standard
	// deviations before they update the error variance, so one outlier does
	// not blind the model for the next ones; repeated outliers then keep
	// scoring high, which suits a caller that suppresses repeats (the
	// ensemble uses 5). Zero means no clipping; negative is invalid.
	Clip float64
	// Threshold is the score at or above which Result.Anomaly is set, in
	// (0, 1]. Zero means 0.5.
	Threshold float64
	// Suppress is how many points after a detection score 0 and are not
	// flagged, so one excursion is reported once. Zero means 100; negative
	// disables (every point is scored on its own).
	Suppress int
}

func (c SeasonalConfig) withDefaults() (SeasonalConfig, error) {
	if c.Period == 0 {
		c.Period = 24 * time.Hour
	}
	if c.Period < 0 {
		return c, invalid("SeasonalConfig.Period", c.Period, "is negative")
	}
	if c.MaxSlots == 0 {
		c.MaxSlots = 288
	}
	if c.MaxSlots < 4 || c.MaxSlots > 4096 {
		return c, invalid("SeasonalConfig.MaxSlots", c.MaxSlots, "outside [4, 4096]")
	}
	if c.Alpha == 0 {
		c.Alpha = 0.1
	}
	if c.Gamma == 0 {
		c.Gamma = 0.2
	}
	if !(c.Alpha > 0 && c.Alpha < 1) {
		return c, invalid("SeasonalConfig.Alpha", c.Alpha, "outside (0, 1)")
	}
	if !(c.Gamma > 0 && c.Gamma < 1) {
		return c, invalid("SeasonalConfig.Gamma", c.Gamma, "outside (0, 1)")
	}
	if !(c.Clip >= 0) || math.IsInf(c.Clip, 0) {
		return c, invalid("SeasonalConfig.Clip", c.Clip, "must be finite and >= 0")
	}
	var err error
	if c.Suppress, err = suppress("SeasonalConfig", c.Suppress); err != nil {
		return c, err
	}
	c.Threshold, err = threshold("SeasonalConfig", c.Threshold)
	return c, err
}

// seasonalProbe is how many points are used to learn the sampling interval
// (their smallest positive spacing) before the season profile starts.
const seasonalProbe = 8

// residVarAlpha smooths the squared one-step errors used as the variance.
const residVarAlpha = 0.02

// Seasonal is a Holt-Winters style detector without trend: it predicts the
// next value as a level plus a per-slot seasonal offset and scores the
// prediction error against the running error variance. The slot is taken
// from the timestamp, so gaps in the stream keep the season aligned. It
// also runs a plain level (no season) and scores with whichever model has
// had the smaller error variance, so a stream with no seasonality loses
// nothing. It catches breaks of a daily (or configured) pattern: a missing
// peak, a peak at the wrong hour, a flat-lined signal that should move, as
// well as spikes and level shifts. After a detection the next Suppress
// points (default 100) score 0 and are not flagged, so one broken pattern
// is one alarm. Cost: O(1) time per point, 8*slots+208 bytes of state
// (2.5 KiB at the default 288 slots).
//
// Create one with [NewSeasonal]; the zero value is not usable. Not safe for
// concurrent use. Most callers want [Seasonal.ObserveAt].
type Seasonal struct {
	cfg        SeasonalConfig
	clk        clock
	season     []float64 // per-slot offset; NaN until the slot is first seen
	width      int64     // nanoseconds per slot, 0 while probing
	t0         int64     // first timestamp
	step       int64     // smallest positive spacing seen while probing
	n          int
	level      float64 // deseasonalised level
	flat       float64 // plain EWMA level
	varS       float64 // EWMA of squared seasonal errors
	varF       float64 // EWMA of squared flat errors
	nS         int     // seasonal predictions made
	z          float64 // last deviation in standard deviations, for the ensemble
	usedSeason bool    // last prediction was the seasonal one, not the plain level
	hold       holdoff
}

// NewSeasonal returns a Seasonal detector, or an error naming the invalid
// field.
func NewSeasonal(cfg SeasonalConfig) (*Seasonal, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Seasonal{cfg: c, hold: holdoff{n: c.Suppress}, season: make([]float64, 0, c.MaxSlots)}, nil
}

// Name returns "seasonal".
func (d *Seasonal) Name() string { return "seasonal" }

// Reset forgets the stream, keeping the profile's buffer.
func (d *Seasonal) Reset() {
	*d = Seasonal{cfg: d.cfg, hold: holdoff{n: d.cfg.Suppress}, season: d.season[:0]}
}

// Observe is ObserveAt with the current time.
func (d *Seasonal) Observe(v float64) Result { return d.ObserveAt(time.Now(), v) }

// ObserveAt scores v against the prediction for t, then learns it.
func (d *Seasonal) ObserveAt(t time.Time, v float64) Result {
	if !d.clk.admit(t, v) {
		return skipped
	}
	ns := t.UnixNano()
	var r Result
	d.z = 0
	if d.n == 0 {
		d.t0, d.level, d.flat, d.n = ns, v, v, 1
		return r
	}
	d.probe(ns)
	k := d.slot(ns)
	off, haveS := 0.0, false
	if k >= 0 && !math.IsNaN(d.season[k]) {
		off, haveS = d.season[k], true
	}
	predS := d.level + off
	useS := haveS && ns-d.t0 > int64(d.cfg.Period) && d.varS < d.varF
	pred, vr := d.flat, d.varF
	d.usedSeason = useS
	if useS {
		pred, vr = predS, d.varS
	}
	if d.n > 20 {
		sd := math.Sqrt(vr)
		d.z = ratio(v-pred, sd)
		r.Score = scoreFromZ(d.z)
		d.hold.apply(&r, d.cfg.Threshold)
		r.Expected, r.HasExpected = pred, true
		r.Lower, r.Upper = band(pred, sd)
	}
	if !d.learn(v, k, predS, haveS) {
		d.restart(ns, v)
	}
	return r
}

// restart starts the model again from the point (ns, v), as if it were the
// stream's first, after an overflow. The clock and a hold-off in progress
// are kept: they belong to the stream, not to the model.
func (d *Seasonal) restart(ns int64, v float64) {
	clk, hold := d.clk, d.hold
	d.Reset()
	d.clk, d.hold = clk, hold
	d.t0, d.level, d.flat, d.n = ns, v, v, 1
}

// probe learns the sampling interval, then sizes the season profile.
func (d *Seasonal) probe(ns int64) {
	if d.width != 0 {
		return
	}
	if gap := ns - d.clk.prevOr(ns); gap > 0 && (d.step == 0 || gap < d.step) {
		d.step = gap
	}
	if d.n < seasonalProbe || d.step == 0 {
		return
	}
	slots := int64(d.cfg.Period) / d.step
	if slots < 4 { // period too short for the sampling: no season
		d.width = -1
		return
	}
	slots = min(slots, int64(d.cfg.MaxSlots))
	d.width = int64(d.cfg.Period) / slots
	d.season = d.season[:slots]
	for i := range d.season {
		d.season[i] = math.NaN()
	}
}

func (d *Seasonal) slot(ns int64) int {
	if d.width <= 0 {
		return -1
	}
	return int(((ns - d.t0) / d.width) % int64(len(d.season)))
}

// learn folds v into the model; it reports false when the arithmetic
// overflowed, and the model must restart.
func (d *Seasonal) learn(v float64, k int, predS float64, haveS bool) bool {
	a := d.cfg.Alpha
	ef := v - d.flat
	d.varF = ewmaSq(d.varF, ef, d.n, d.cfg.Clip)
	d.flat += a * ef
	if k >= 0 {
		if haveS {
			es := v - predS
			d.varS = ewmaSq(d.varS, es, d.nS, d.cfg.Clip)
			d.nS++
			d.level += a * (v - d.season[k] - d.level)
			d.season[k] += d.cfg.Gamma * (v - d.level - d.season[k])
		} else {
			d.season[k] = v - d.level
		}
	} else {
		d.level = d.flat
	}
	if !finite(d.flat) || !finite(d.level) || !finite(d.varF) || !finite(d.varS) || k >= 0 && !finite(d.season[k]) && !math.IsNaN(d.season[k]) {
		return false // overflow: start over rather than carry Inf
	}
	d.n++
	return true
}

// ewmaSq folds the squared error e into the running mean square m, averaging
// evenly over the first points, with e clipped at clip standard deviations
// when clip > 0.
func ewmaSq(m, e float64, n int, clip float64) float64 {
	if clip > 0 && n > 20 && m > 0 {
		lim := clip * math.Sqrt(m)
		e = math.Max(-lim, math.Min(lim, e))
	}
	a := residVarAlpha
	if n < 1/residVarAlpha {
		a = 1 / float64(n+1)
	}
	return m + a*(e*e-m)
}
