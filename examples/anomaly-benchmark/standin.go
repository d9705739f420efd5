package main

import (
	"math"
	"time"

	"github.com/nines-sre/nines/detect"
)

// factory mirrors detect.Factory until the detectors land on main.
type factory struct {
	Name string
	New  func() detect.Detector
}

// catalog lists the detectors the benchmark runs.
func catalog() []factory {
	return []factory{
		{Name: "zero", New: func() detect.Detector { return &zeroDetector{} }},
		{Name: "random", New: func() detect.Detector { r := &randomDetector{}; r.Reset(); return r }},
		{Name: "zscore", New: func() detect.Detector { return &zscoreDetector{} }},
	}
}

// zeroDetector never detects: NAB's null detector.
type zeroDetector struct{}

func (zeroDetector) ObserveAt(time.Time, float64) detect.Result { return detect.Result{} }
func (zeroDetector) Name() string                               { return "zero" }
func (zeroDetector) Reset()                                     {}

// randomDetector scores uniformly at random from a fixed seed: NAB's random
// baseline, deterministic per stream.
type randomDetector struct{ state uint64 }

func (r *randomDetector) ObserveAt(time.Time, float64) detect.Result {
	r.state ^= r.state << 13
	r.state ^= r.state >> 7
	r.state ^= r.state << 17
	s := float64(r.state>>11) / (1 << 53)
	return detect.Result{Score: s, Anomaly: s >= 0.999}
}
func (r *randomDetector) Name() string { return "random" }
func (r *randomDetector) Reset()       { r.state = 0x9E3779B97F4A7C15 }

// zscoreDetector is a running mean/variance z-score (Welford).
type zscoreDetector struct {
	n        float64
	mean, m2 float64
}

func (z *zscoreDetector) ObserveAt(_ time.Time, v float64) detect.Result {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return detect.Result{Skipped: true}
	}
	var score float64
	if z.n >= 2 {
		sd := math.Sqrt(z.m2 / (z.n - 1))
		if sd > 0 {
			d := math.Abs(v-z.mean) / sd
			score = 1 - math.Exp(-d*d/18)
		}
	}
	z.n++
	delta := v - z.mean
	z.mean += delta / z.n
	z.m2 += delta * (v - z.mean)
	return detect.Result{Score: score, Anomaly: score >= 0.9}
}
func (z *zscoreDetector) Name() string { return "zscore" }
func (z *zscoreDetector) Reset()       { *z = zscoreDetector{} }
