package detect

import "time"

// Detector observes a metric stream one point at a time and scores each
// point as it arrives, with no look-ahead. A Detector holds the state of one
// stream: use a fresh one per stream.
//
// Implementations in this package are not safe for concurrent use; the
// Monitor serialises access per series.
type Detector interface {
	// ObserveAt scores the value v observed at t and then learns from it.
	ObserveAt(t time.Time, v float64) Result
	// Name is a short, stable identifier ("ewma", "mad", ...), used as the
	// anomaly.detector metric attribute and in benchmark output.
	Name() string
	// Reset forgets everything learnt, as if freshly constructed.
	Reset()
}

// Result is the verdict on one observation.
type Result struct {
	// Score is the anomaly score in [0, 1]; higher is more anomalous. It is
	// never NaN.
	Score float64
	// Anomaly reports Score at or above the detector's own default
	// threshold.
	Anomaly bool
	// Expected is the value the detector predicted, and Lower/Upper its
	// band; all three are meaningful only when HasExpected is true.
	Expected, Lower, Upper float64
	// HasExpected reports whether Expected, Lower and Upper are set.
	HasExpected bool
	// Skipped reports that the point was not used (NaN, Inf, out of
	// order); Score is then 0.
	Skipped bool
}
