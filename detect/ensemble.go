package detect

import (
	"fmt"
	"math"
	"time"
)

// EnsembleConfig configures an [Ensemble]. The zero value selects the
// documented defaults, which are the package's default detector.
type EnsembleConfig struct {
	// ShortWindow is the memory, in points, of the short-term mean of the
	// raw score. Zero means 8.
	ShortWindow int
	// LongWindow is the memory, in points, of the long-term distribution
	// of the raw score. Zero means 1000.
	LongWindow int
	// Suppress is how many points after a detection have their score
	// damped, so one incident is reported once. Zero means 200; negative
	// disables.
	Suppress int
	// Threshold is the score at or above which Result.Anomaly is set, in
	// (0, 1]. Zero means 0.5.
	Threshold float64
}

func (c EnsembleConfig) withDefaults() (EnsembleConfig, error) {
	if c.ShortWindow == 0 {
		c.ShortWindow = 8
	}
	if c.LongWindow == 0 {
		c.LongWindow = 1000
	}
	if c.Suppress == 0 {
		c.Suppress = 200
	}
	if c.ShortWindow < 1 || c.LongWindow < 2*c.ShortWindow {
		return c, fmt.Errorf("detect: EnsembleConfig.ShortWindow %d and LongWindow %d: need 1 <= 2*ShortWindow <= LongWindow", c.ShortWindow, c.LongWindow)
	}
	t, err := threshold("EnsembleConfig", c.Threshold)
	c.Threshold = t
	return c, err
}

// Ensemble is the package's default detector. ...
type Ensemble struct {
	cfg      EnsembleConfig
	clk      clock
	seasonal Seasonal
	mad      MAD
	shift    LevelShift
	short    float64 // EWMA of the raw score
	longM    float64 // EWMA mean of short
	longV    float64 // EWMA variance of short
	n        int
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

// NewDefault is NewEnsemble.
func NewDefault() *Ensemble { return NewEnsemble() }

// NewEnsembleConfig returns an ensemble with cfg, or an error naming the
// invalid field.
func NewEnsembleConfig(cfg EnsembleConfig) (*Ensemble, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s, _ := NewSeasonal(SeasonalConfig{MaxSlots: 144})
	m, _ := NewMAD(MADConfig{Window: 32})
	l, _ := NewLevelShift(LevelShiftConfig{})
	return &Ensemble{cfg: c, seasonal: *s, mad: *m, shift: *l}, nil
}

// Name returns "ensemble".
func (e *Ensemble) Name() string { return "ensemble" }

// Reset forgets the stream.
func (e *Ensemble) Reset() {
	e.seasonal.Reset()
	e.mad.Reset()
	e.shift.Reset()
	e.clk, e.short, e.longM, e.longV, e.n, e.quiet = clock{}, 0, 0, 0, 0, 0
}

// Observe is ObserveAt with the current time.
func (e *Ensemble) Observe(v float64) Result { return e.ObserveAt(time.Now(), v) }

// ObserveAt scores v, then learns it.
func (e *Ensemble) ObserveAt(t time.Time, v float64) Result {
	if !e.clk.admit(t, v) {
		return skipped
	}
	rs := e.seasonal.ObserveAt(t, v)
	rm := e.mad.ObserveAt(t, v)
	rl := e.shift.ObserveAt(t, v)
	raw := math.Max(rs.Score, math.Max(rm.Score, rl.Score))
	r := rs
	r.Score = e.likelihood(raw)
	if e.quiet > 0 {
		e.quiet--
		r.Score *= 0.5
	}
	r.Anomaly = r.Score >= e.cfg.Threshold
	if r.Anomaly && e.cfg.Suppress > 0 {
		e.quiet = e.cfg.Suppress
	}
	return r
}

// likelihood turns the raw score into the tail probability of its
// short-term mean under the long-term distribution (HTM's anomaly
// likelihood), on the package's score scale.
func (e *Ensemble) likelihood(raw float64) float64 {
	e.n++
	as := 1 / float64(min(e.n, e.cfg.ShortWindow))
	e.short += as * (raw - e.short)
	al := 1 / float64(min(e.n, e.cfg.LongWindow))
	d := e.short - e.longM
	z := ratio(d, math.Sqrt(e.longV)+1e-3)
	if d < 0 {
		z = 0
	}
	e.longM += al * d
	e.longV = (1 - al) * (e.longV + d*al*d)
	if e.n < 2*e.cfg.ShortWindow {
		return 0
	}
	return scoreFromLogP(logTwoSided(z) - math.Ln2)
}
