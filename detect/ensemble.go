package detect

import (
	"fmt"
	"math"
	"time"
)

// EnsembleConfig configures an [Ensemble]. The zero value selects the
// documented defaults, which are the package's default detector.
type EnsembleConfig struct {
	// Suppress is how many points after a detection score 0, so one
	// incident is reported once. Zero means 100; negative disables.
	Suppress int
	// Threshold is the score at or above which Result.Anomaly is set (and
	// the suppression starts), in (0, 1]. Zero means 0.5.
	Threshold float64
}

func (c EnsembleConfig) withDefaults() (EnsembleConfig, error) {
	if c.Suppress == 0 {
		c.Suppress = 100
	}
	t, err := threshold("EnsembleConfig", c.Threshold)
	c.Threshold = t
	return c, err
}

const (
	// ensembleLogScale is the natural log of the combined tail
	// probability that scores 1: p = e^-11.6, so the default threshold 0.5
	// is p = 3e-3 of the components' own recent history (with calMemory =
	// 2000 points, a deviation in the top few of that history).
	ensembleLogScale = -11.6
	// ensemblePeriod and ensembleSlots shape the seasonal component: a
	// weekly profile, which also holds a daily pattern, in hourly slots at
	// most.
	ensemblePeriod = 7 * 24 * time.Hour
	ensembleSlots  = 168
	// ensembleShiftLimit and ensembleShiftAlpha shape the CUSUM
	// component. Its own decision limit is moot here (the calibrator
	// decides), so the limit is set so high that the sums are not restarted
	// by every moderate shift, and the baseline has a memory of about 330
	// points (a day of 5-minute samples): a shift is judged against the
	// level of the last day, not of the last hour.
	ensembleShiftLimit = 1000
	ensembleShiftAlpha = 0.003
	// rangeGain converts an excursion beyond the all-time range, as a
	// fraction of the range, into the deviation fed to its calibrator:
	// 5% of the range is a deviation of 1.
	rangeGain = 20
	// rangeWarmup is how many points shape the range before it is judged.
	rangeWarmup = 100
)

// Ensemble is the package's default detector. It has three components:
//
//   - a [Seasonal] model with a weekly period (hourly slots; a plain level
//     until a week has passed or when the season does not help): spikes,
//     dips and broken daily or weekly patterns;
//   - a [LevelShift] CUSUM against a slow baseline (about a day of
//     5-minute samples): sustained shifts too small for one point;
//   - range novelty: how far the value leaves the range of everything seen
//     so far (HTM's "spatial anomaly"): new highs and lows.
//
// Each component's deviation is turned into its empirical tail probability
// under that component's own history of the last ~2000 points, so a
// stream whose residuals are routinely wild is judged by its own standard
// and components with different habits become comparable. The ensemble
// takes the smallest probability p and scores ln(p)/-11.6 on [0, 1]. After
// a detection the score is held at 0 for Suppress points, so one incident
// is one alarm. One parameter set serves every stream; everything else is
// learnt online. Cost: O(1) per point (a few hundred operations), about
// 3 KiB of state.
//
// Create one with [NewEnsemble]; the zero value is not usable. Not safe for
// concurrent use. Most callers want [Ensemble.ObserveAt].
type Ensemble struct {
	cfg      EnsembleConfig
	clk      clock
	seasonal Seasonal
	shift    LevelShift
	lo, hi   float64 // all-time range
	n        int
	cal      [3]tailCal // seasonal, shift, range
	quiet    int        // points left in the suppression after a detection
}

// NewEnsemble returns the default ensemble.
func NewEnsemble() *Ensemble {
	e, err := NewEnsembleConfig(EnsembleConfig{})
	if err != nil {
		panic(err) // unreachable: the defaults are valid
	}
	return e
}

// NewDefault returns the package's default detector, the ensemble.
func NewDefault() *Ensemble { return NewEnsemble() }

// NewEnsembleConfig returns an ensemble with cfg, or an error naming the
// invalid field.
func NewEnsembleConfig(cfg EnsembleConfig) (*Ensemble, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s, err := NewSeasonal(SeasonalConfig{Period: ensemblePeriod, MaxSlots: ensembleSlots, Clip: 5, Suppress: -1})
	if err != nil {
		return nil, fmt.Errorf("detect: ensemble: %w", err)
	}
	l, err := NewLevelShift(LevelShiftConfig{Limit: ensembleShiftLimit, Alpha: ensembleShiftAlpha, Suppress: -1})
	if err != nil {
		return nil, fmt.Errorf("detect: ensemble: %w", err)
	}
	return &Ensemble{cfg: c, seasonal: *s, shift: *l}, nil
}

// Name returns "ensemble".
func (e *Ensemble) Name() string { return "ensemble" }

// Reset forgets the stream, keeping the buffers.
func (e *Ensemble) Reset() {
	e.seasonal.Reset()
	e.shift.Reset()
	e.clk, e.lo, e.hi, e.n, e.cal, e.quiet = clock{}, 0, 0, 0, [3]tailCal{}, 0
}

// Observe is ObserveAt with the current time.
func (e *Ensemble) Observe(v float64) Result { return e.ObserveAt(time.Now(), v) }

// ObserveAt scores v, then learns it. Expected and the band are the
// seasonal component's.
func (e *Ensemble) ObserveAt(t time.Time, v float64) Result {
	if !e.clk.admit(t, v) {
		return skipped
	}
	r := e.seasonal.ObserveAt(t, v)
	e.shift.ObserveAt(t, v)
	zs := [3]float64{e.seasonal.z, e.shift.z, e.rangeNovelty(v)}
	lp := 0.0
	for i, z := range zs {
		lp = math.Min(lp, e.cal[i].logTail(z))
		e.cal[i].add(z)
	}
	r.Score = clamp01(lp / ensembleLogScale)
	if e.quiet > 0 {
		e.quiet--
		r.Score = 0
	}
	r.Anomaly = r.Score >= e.cfg.Threshold
	if r.Anomaly && e.cfg.Suppress > 0 {
		e.quiet = e.cfg.Suppress
	}
	return r
}

// rangeNovelty returns how far v leaves the all-time range, in units of 5%
// of the range, then widens the range to include v.
func (e *Ensemble) rangeNovelty(v float64) float64 {
	if e.n == 0 {
		e.lo, e.hi = v, v
	}
	e.n++
	z := 0.0
	if span := e.hi - e.lo; span > 0 && e.n > rangeWarmup {
		z = math.Max(0, math.Max(v-e.hi, e.lo-v)/span*rangeGain)
	}
	e.lo, e.hi = math.Min(e.lo, v), math.Max(e.hi, v)
	return z
}
