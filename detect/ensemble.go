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
	// incident is reported once. Zero means 150; negative disables.
	Suppress int
	// Threshold is the score at or above which Result.Anomaly is set (and
	// the suppression starts), in (0, 1]. Zero means 0.5.
	Threshold float64
}

func (c EnsembleConfig) withDefaults() (EnsembleConfig, error) {
	if c.Suppress == 0 {
		c.Suppress = 150
	}
	t, err := threshold("EnsembleConfig", c.Threshold)
	c.Threshold = t
	return c, err
}

// ensembleLogScale is the natural log of the combined tail probability
// that scores 1: p = e^-11.6, so the default threshold 0.5 is p = 3e-3 of
// the detectors' own recent history (with calMemory = 2000, a deviation
// larger than any in the history).
const ensembleLogScale = -11.6

// Ensemble is the package's default detector. It runs a [Seasonal] model
// (at most 144 slots) and a [LevelShift] CUSUM on the stream, turns each
// one's raw deviation into its empirical tail probability under that
// detector's own history of the last ~2000 points (so a stream whose
// residuals are routinely wild is judged by its own standard), takes the
// smaller probability, and scores its logarithm on [0, 1]. After a
// detection the score is held at 0 for Suppress points so one incident is
// one alarm. It catches spikes, dips, level shifts and breaks of a daily
// pattern, on any scale, with no per-stream tuning. Cost: O(1) per point
// (about a hundred operations), about 2.3 KiB of state.
//
// Create one with [NewEnsemble]; the zero value is not usable. Not safe for
// concurrent use. Most callers want [Ensemble.ObserveAt].
type Ensemble struct {
	cfg      EnsembleConfig
	clk      clock
	seasonal Seasonal
	shift    LevelShift
	cal      [2]tailCal
	quiet    int // points left in the suppression after a detection
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
	s, err := NewSeasonal(SeasonalConfig{MaxSlots: 144})
	if err != nil {
		return nil, fmt.Errorf("detect: ensemble: %w", err)
	}
	l, err := NewLevelShift(LevelShiftConfig{})
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
	e.clk, e.cal, e.quiet = clock{}, [2]tailCal{}, 0
}

// Observe is ObserveAt with the current time.
func (e *Ensemble) Observe(v float64) Result { return e.ObserveAt(time.Now(), v) }

// ObserveAt scores v, then learns it. Expected and the band are the
// seasonal model's.
func (e *Ensemble) ObserveAt(t time.Time, v float64) Result {
	if !e.clk.admit(t, v) {
		return skipped
	}
	r := e.seasonal.ObserveAt(t, v)
	e.shift.ObserveAt(t, v)
	zs := [2]float64{e.seasonal.z, e.shift.z}
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
