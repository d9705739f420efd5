package detect

import (
	"math"
	"time"
)

// LevelShiftConfig configures a [LevelShift] detector. The zero value
// selects the documented defaults.
type LevelShiftConfig struct {
	// Slack is the CUSUM allowance k in baseline standard deviations: shifts
	// smaller than it are ignored. Zero means 0.5; must be positive.
	Slack float64
	// Limit is the CUSUM decision interval h in baseline standard
	// deviations; a sum reaching it is a detected shift and scores 0.5,
	// twice it 0.75 (the score is 1 - 2^(-sum/Limit)). Zero means 16; must
	// be positive. The textbook h of 4-8 assumes independent points; real
	// metrics are autocorrelated, so their sums grow faster by chance.
	Limit float64
	// Alpha is the smoothing factor of the baseline mean and variance, in
	// (0, 1). Zero means 0.003 (a memory of about 330 points, a day of
	// 5-minute samples): a shift is judged against the level of the last
	// day, not of the last hour, as in the ensemble's CUSUM. The first
	// 1/Alpha points are averaged evenly; the sums start after 30.
	Alpha float64
	// Threshold is the score at or above which Result.Anomaly is set, in
	// (0, 1]. Zero means 0.5, that is when the sum reaches Limit.
	Threshold float64
	// Suppress is how many points after a detection score 0 and are not
	// flagged, so one excursion is reported once. Zero means 100; negative
	// disables (every point is scored on its own).
	Suppress int
}

func (c LevelShiftConfig) withDefaults() (LevelShiftConfig, error) {
	if c.Slack == 0 {
		c.Slack = 0.5
	}
	if c.Limit == 0 {
		c.Limit = 16
	}
	if c.Alpha == 0 {
		c.Alpha = 0.003
	}
	if !(c.Slack > 0) || math.IsInf(c.Slack, 0) {
		return c, invalid("LevelShiftConfig.Slack", c.Slack, "must be positive")
	}
	if !(c.Limit > 0) || math.IsInf(c.Limit, 0) {
		return c, invalid("LevelShiftConfig.Limit", c.Limit, "must be positive")
	}
	if !(c.Alpha > 0 && c.Alpha < 1) {
		return c, invalid("LevelShiftConfig.Alpha", c.Alpha, "outside (0, 1)")
	}
	var err error
	if c.Suppress, err = suppress("LevelShiftConfig", c.Suppress); err != nil {
		return c, err
	}
	c.Threshold, err = threshold("LevelShiftConfig", c.Threshold)
	return c, err
}

// levelShiftWarmup is how many points the baseline learns before the sums
// start.
const levelShiftWarmup = 30

// LevelShift is a two-sided CUSUM change detector: it accumulates
// standardised deviations from a slowly moving baseline, less a slack, and
// scores the larger of the upward and downward sums against the decision
// limit. It catches sustained shifts of the mean, including ones too small
// for any single point to look odd, and is deaf to isolated spikes. After a
// detection the sums restart and the baseline jumps to the recent level,
// and the next Suppress points (default 100) score 0 and are not flagged,
// so one shift, and the settling after it, is reported once. Cost: O(1)
// time per point, 208 bytes of state.
//
// Create one with [NewLevelShift]; the zero value is not usable. Not safe
// for concurrent use. Most callers want [LevelShift.ObserveAt].
type LevelShift struct {
	cfg      LevelShiftConfig
	clk      clock
	base     EWMA    // slow baseline
	recent   float64 // fast mean, the level a restart jumps to
	up, down float64 // CUSUM sums in standard deviations
	z        float64 // last larger sum, for the ensemble
	hold     holdoff
}

// NewLevelShift returns a LevelShift detector, or an error naming the
// invalid field.
func NewLevelShift(cfg LevelShiftConfig) (*LevelShift, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	d := &LevelShift{cfg: c}
	d.Reset()
	return d, nil
}

// Name returns "levelshift".
func (d *LevelShift) Name() string { return "levelshift" }

// Reset forgets the stream.
func (d *LevelShift) Reset() {
	// The baseline averages its first 1/Alpha points evenly, as a
	// bias-corrected EWMA does: an EWMA started from its first few points
	// carries their weight for hundreds of points, and a variance from the
	// first 30 points of an autocorrelated or daily-cycling stream is far
	// too small (on NAB's daily-cycle streams the sums then stood at
	// hundreds of standard deviations for days).
	even := int(math.Min(math.Ceil(1/d.cfg.Alpha), 1<<30))
	*d = LevelShift{cfg: d.cfg, hold: holdoff{n: d.cfg.Suppress}, base: EWMA{cfg: EWMAConfig{Alpha: d.cfg.Alpha, Warmup: even}}}
}

// Observe is ObserveAt with the current time.
func (d *LevelShift) Observe(v float64) Result { return d.ObserveAt(time.Now(), v) }

// ObserveAt adds v's deviation to the sums, then learns it.
func (d *LevelShift) ObserveAt(t time.Time, v float64) Result {
	if !d.clk.admit(t, v) {
		return skipped
	}
	var r Result
	d.z = 0
	b := &d.base
	if b.n >= levelShiftWarmup {
		sd := math.Sqrt(b.vr)
		x := ratio(v-b.mean, sd)
		if v < b.mean {
			x = -x
		}
		x = math.Max(-4*d.cfg.Limit, math.Min(4*d.cfg.Limit, x)) // one wild point cannot decide
		d.up = math.Max(0, d.up+x-d.cfg.Slack)
		d.down = math.Max(0, d.down-x-d.cfg.Slack)
		d.z = math.Max(d.up, d.down)
		r.Score = halfLife(d.z / d.cfg.Limit)
		d.hold.apply(&r, d.cfg.Threshold)
		r.Expected, r.HasExpected = b.mean, true
		r.Lower, r.Upper = b.mean-d.cfg.Limit*sd, b.mean+d.cfg.Limit*sd
	}
	if d.recent == 0 && b.n == 0 {
		d.recent = v
	}
	d.recent += 0.2 * (v - d.recent)
	if !finite(d.recent) {
		d.recent = v
	}
	if math.Max(d.up, d.down) >= d.cfg.Limit { // shift found: restart on the new level
		d.up, d.down = 0, 0
		b.mean = d.recent
	}
	b.learn(v)
	return r
}
