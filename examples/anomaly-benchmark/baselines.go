package main

import (
	"time"

	"github.com/nines-sre/nines/detect"
)

// baselines are NAB's reference points, run after the catalog with
// -baselines: "null" never detects (NAB score 0 by construction) and
// "random" scores uniformly at random from a fixed seed per file.
func baselines() []detect.Factory {
	return []detect.Factory{
		{Name: "null", New: func() detect.Detector { return nullDetector{} }},
		{Name: "random", New: func() detect.Detector { r := &randomDetector{}; r.Reset(); return r }},
	}
}

// nullDetector never detects.
type nullDetector struct{}

func (nullDetector) ObserveAt(time.Time, float64) detect.Result { return detect.Result{} }
func (nullDetector) Name() string                               { return "null" }
func (nullDetector) Reset()                                     {}

// randomDetector scores uniformly at random (xorshift64 from a fixed seed)
// and flags the top 0.1%.
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
