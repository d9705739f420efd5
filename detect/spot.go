package detect

import (
	"math"
	"slices"
	"time"
)

// SPOTConfig configures a [SPOT] detector. The zero value selects the
// documented defaults.
type SPOTConfig struct {
	// Risk is q, the probability of a normal point exceeding the alarm
	// threshold z_q, in (0, 0.01]. Zero means 1e-3 (Siffer et al.'s usual
	// choice): at most about one alarm per 1000 ordinary points, before the
	// hold-off (Suppress) folds the alarms of one excursion into one.
	Risk float64
	// Level is the quantile of the initial threshold t above which points
	// are peaks, in [0.8, 0.999]. Zero means 0.98.
	Level float64
	// Init is how many points calibrate the first thresholds, in
	// [32, 4096]. Zero means 320: with Level 0.98 that leaves about six
	// peaks per tail for the first GPD fit (at 128 there were two or
	// three, and the first thresholds were mostly noise), while the
	// state stays under 4 KiB.
	Init int
	// MaxPeaks caps the peaks kept per tail for the GPD fit (oldest
	// evicted first), in [8, 4096]. Zero means 64.
	MaxPeaks int
	// Depth is the DSPOT drift window: the detector models the residual
	// from an exponential moving average of normal points with memory
	// Depth. Zero means 20; negative disables the drift (plain SPOT on raw
	// values).
	Depth int
	// Threshold is the score at or above which Result.Anomaly is set, in
	// (0, 1]. Zero means 0.5, which is exactly the EVT threshold z_q.
	Threshold float64
	// Suppress is how many points after a detection score 0 and are not
	// flagged, so one excursion is reported once. Zero means 100; negative
	// disables (every point is scored on its own).
	Suppress int
}

func (c SPOTConfig) withDefaults() (SPOTConfig, error) {
	if c.Risk == 0 {
		c.Risk = 1e-3
	}
	if c.Level == 0 {
		c.Level = 0.98
	}
	if c.Init == 0 {
		c.Init = 320
	}
	if c.MaxPeaks == 0 {
		c.MaxPeaks = 64
	}
	if c.Depth == 0 {
		c.Depth = 20
	}
	switch {
	case !(c.Risk > 0 && c.Risk <= 0.01):
		return c, invalid("SPOTConfig.Risk", c.Risk, "outside (0, 0.01]")
	case !(c.Level >= 0.8 && c.Level <= 0.999):
		return c, invalid("SPOTConfig.Level", c.Level, "outside [0.8, 0.999]")
	case c.Init < 32 || c.Init > 4096:
		return c, invalid("SPOTConfig.Init", c.Init, "outside [32, 4096]")
	case c.MaxPeaks < 8 || c.MaxPeaks > 4096:
		return c, invalid("SPOTConfig.MaxPeaks", c.MaxPeaks, "outside [8, 4096]")
	}
	var err error
	if c.Suppress, err = suppress("SPOTConfig", c.Suppress); err != nil {
		return c, err
	}
	c.Threshold, err = threshold("SPOTConfig", c.Threshold)
	return c, err
}

// SPOT is the streaming peaks-over-threshold detector of Siffer et al.
// (KDD 2017), in its drift-aware form DSPOT, on both tails: above an
// initial quantile t the excesses are modelled by a generalised Pareto
// distribution (fitted by the method of moments on the most recent peaks, the shape
// clamped at 0 so the tail is never bounded)
// and the alarm threshold z_q is the value exceeded with probability Risk.
// Users choose a false-alarm rate, not a threshold in the stream's units.
// It catches extreme values, spikes and dips, in any distribution with a
// regular tail. Anomalies are neither learnt as peaks nor folded into the
// drift, except that after more than Depth anomalies in a row the drift
// follows the stream again (a lasting level shift is scored high for Depth
// points, not forever). After a detection the next Suppress points
// (default 100) score 0 and are not flagged, so one excursion is one alarm;
// the hold-off changes only the reported Result, not what is learnt. The
// score is 1 - 2^(-ln(p)/ln(Risk)) for a point of tail probability p, so
// 0.5 is z_q and 0.75 a point as rare as Risk squared. Cost: O(1) per
// ordinary point, O(MaxPeaks) when a peak refits the tail, one sort of
// Init values at the end of calibration; 8*(Init+2*MaxPeaks)+280 bytes
// (3.8 KiB at the defaults).
//
// Create one with [NewSPOT]; the zero value is not usable. Not safe for
// concurrent use. Most callers want [SPOT.ObserveAt].
type SPOT struct {
	cfg    SPOTConfig
	clk    clock
	calib  []float64 // residuals during calibration
	upper  tail
	lower  tail
	drift  float64
	nDrift int
	n      int64 // points since calibration began
	run    int   // consecutive anomalies
	hold   holdoff
}

// tail is one side's GPD model over residual excesses.
type tail struct {
	t            float64   // peak threshold
	peaks        []float64 // ring of excesses over t
	head         int
	nPeaks       int64 // peaks ever seen
	gamma, sigma float64
}

// NewSPOT returns a SPOT detector, or an error naming the invalid field.
func NewSPOT(cfg SPOTConfig) (*SPOT, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &SPOT{
		cfg:   c,
		hold:  holdoff{n: c.Suppress},
		calib: make([]float64, 0, c.Init),
		upper: tail{peaks: make([]float64, 0, c.MaxPeaks)},
		lower: tail{peaks: make([]float64, 0, c.MaxPeaks)},
	}, nil
}

// Name returns "spot".
func (d *SPOT) Name() string { return "spot" }

// Reset forgets the stream, keeping the buffers.
func (d *SPOT) Reset() {
	*d = SPOT{
		cfg:   d.cfg,
		hold:  holdoff{n: d.cfg.Suppress},
		calib: d.calib[:0],
		upper: tail{peaks: d.upper.peaks[:0]},
		lower: tail{peaks: d.lower.peaks[:0]},
	}
}

// Observe is ObserveAt with the current time.
func (d *SPOT) Observe(v float64) Result { return d.ObserveAt(time.Now(), v) }

// ObserveAt scores v against the fitted tails, then learns it unless it is
// an anomaly.
func (d *SPOT) ObserveAt(t time.Time, v float64) Result {
	if !d.clk.admit(t, v) {
		return skipped
	}
	x := v - d.drift
	if !finite(x) {
		// Overflow: restart the model, keeping the stream's clock and
		// any hold-off in progress.
		clk, hold := d.clk, d.hold
		d.Reset()
		d.clk, d.hold = clk, hold
		return Result{}
	}
	if len(d.calib) < cap(d.calib) {
		d.calib = append(d.calib, x)
		d.learnDrift(v)
		if len(d.calib) == cap(d.calib) {
			d.calibrate()
		}
		return Result{}
	}
	d.n++
	// Residuals within a millionth of the level are noise-free data
	// settling, not evidence.
	if math.Abs(x) <= 1e-6*math.Abs(d.drift) {
		x = 0
	}
	up, lo := d.upper.logP(x, d.n), d.lower.logP(-x, d.n)
	lr := math.Log(d.cfg.Risk)
	raw := halfLife(math.Min(up, lo) / lr)
	r := Result{Score: raw}
	d.hold.apply(&r, d.cfg.Threshold)
	zu, zl := d.upper.alarm(d.cfg.Risk, d.n), d.lower.alarm(d.cfg.Risk, d.n)
	r.Expected, r.Lower, r.Upper, r.HasExpected = d.drift, d.drift-zl, d.drift+zu, true
	if raw >= 0.5 {
		d.run++
	} else {
		d.run = 0
	}
	switch {
	case raw >= 0.5 && d.run > max(d.cfg.Depth, 1):
		// A whole drift window of anomalies: the level has moved, so
		// follow it rather than alarm forever.
		d.learnDrift(v)
	case raw >= 0.5: // beyond z_q: an anomaly, learnt nowhere
	case x > d.upper.t:
		d.upper.add(x - d.upper.t)
	case -x > d.lower.t:
		d.lower.add(-x - d.lower.t)
	default:
		d.learnDrift(v)
	}
	return r
}

func (d *SPOT) learnDrift(v float64) {
	if d.cfg.Depth < 0 {
		return
	}
	d.nDrift++
	a := 1 / float64(min(d.nDrift, d.cfg.Depth))
	d.drift += a * (v - d.drift)
}

// calibrate sets both tails' thresholds and first peaks from the
// calibration residuals.
func (d *SPOT) calibrate() {
	s := d.calib
	slices.Sort(s)
	n := len(s)
	i := min(n-1, int(d.cfg.Level*float64(n)))
	d.upper.t, d.lower.t = s[i], -s[n-1-i]
	for _, x := range s {
		if x > d.upper.t {
			d.upper.push(x - d.upper.t)
		}
		if -x > d.lower.t {
			d.lower.push(-x - d.lower.t)
		}
	}
	d.upper.fit()
	d.lower.fit()
	d.n = int64(n)
}

func (tl *tail) push(e float64) {
	tl.nPeaks++
	if len(tl.peaks) < cap(tl.peaks) {
		tl.peaks = append(tl.peaks, e)
		return
	}
	tl.peaks[tl.head] = e
	tl.head = (tl.head + 1) % len(tl.peaks)
}

func (tl *tail) add(e float64) { tl.push(e); tl.fit() }

// fit estimates the GPD shape and scale by the method of moments:
// gamma = (1 - m^2/s^2)/2, sigma = m (1 + m^2/s^2)/2.
func (tl *tail) fit() {
	var m, s2 float64
	k := float64(len(tl.peaks))
	for _, e := range tl.peaks {
		m += e
	}
	m /= k
	for _, e := range tl.peaks {
		s2 += (e - m) * (e - m)
	}
	s2 /= k
	switch {
	case len(tl.peaks) == 0 || !(m > 0):
		tl.gamma, tl.sigma = 0, 0
	case !(s2 > 0) || !finite(m*m/s2):
		tl.gamma, tl.sigma = 0, m // no spread: exponential tail
	default:
		r := m * m / s2
		tl.gamma, tl.sigma = 0.5*(1-r), 0.5*m*(1+r)
	}
	// A negative shape bounds the tail: with few peaks that end point is
	// unreliable and anything past it would be an anomaly forever (it is
	// never learnt). Fall back to the exponential tail instead.
	if tl.gamma < 0 {
		tl.gamma, tl.sigma = 0, m
	}
	if !finite(tl.sigma) {
		tl.gamma, tl.sigma = 0, math.MaxFloat64
	}
}

// logP returns ln P(X >= x) under the tail model, 0 at or below t.
func (tl *tail) logP(x float64, n int64) float64 {
	e := x - tl.t
	if !(e > 0) {
		return 0
	}
	frac := math.Log(float64(max(tl.nPeaks, 1)) / float64(max(n, 1)))
	z := ratio(e, tl.sigma)
	if math.IsInf(z, 1) {
		return math.Inf(-1)
	}
	if math.Abs(tl.gamma) < 1e-9 {
		return math.Min(0, frac-z)
	}
	b := 1 + tl.gamma*z
	if b <= 0 { // beyond the end point of a bounded tail
		return math.Inf(-1)
	}
	return math.Min(0, frac-math.Log(b)/tl.gamma)
}

// alarm returns z_q - 0 measured from the drift: t plus the excess whose
// tail probability is q.
func (tl *tail) alarm(q float64, n int64) float64 {
	r := q * float64(max(n, 1)) / float64(max(tl.nPeaks, 1))
	var e float64
	if math.Abs(tl.gamma) < 1e-9 {
		e = -tl.sigma * math.Log(r)
	} else {
		e = tl.sigma / tl.gamma * (math.Pow(r, -tl.gamma) - 1)
	}
	if !finite(e) {
		e = math.MaxFloat64
	}
	return tl.t + e
}
