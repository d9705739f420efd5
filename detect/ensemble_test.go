package detect

import (
	"testing"
	"time"
)

// TestEnsembleSuppressesRepeats: a burst of outliers right after a
// detection is reported once, and a later incident is reported again.
func TestEnsembleSuppressesRepeats(t *testing.T) {
	vs := stream(9, 3000, 20, 1)
	for i := 2000; i < 2010; i++ {
		vs[i] += 40
	}
	vs[2600] += 60
	rs := run(NewEnsemble(), vs)
	if got := anomaliesIn(rs, 2000, 2100); got != 1 {
		t.Errorf("burst: %d anomalies, want exactly 1", got)
	}
	for i := 2001; i < 2100; i++ {
		if rs[i].Score != 0 {
			t.Fatalf("point %d inside the suppression scored %v", i, rs[i].Score)
		}
	}
	if !rs[2600].Anomaly {
		t.Errorf("second incident not reported: %+v", rs[2600])
	}
}

// TestEnsembleResetIsFresh: Reset gives exactly the results of a new
// ensemble on the same stream.
func TestEnsembleResetIsFresh(t *testing.T) {
	vs := stream(4, 1500, 20, 1)
	d := NewEnsemble()
	run(d, stream(5, 1000, 5, 3))
	d.Reset()
	a, b := run(d, vs), run(NewEnsemble(), vs)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("point %d: after Reset %+v, fresh %+v", i, a[i], b[i])
		}
	}
}

// TestEnsembleNewRange: a value far beyond anything seen is an anomaly
// even on a stream whose residuals are wild.
func TestEnsembleNewRange(t *testing.T) {
	d := NewEnsemble()
	vs := stream(6, 2000, 0, 10) // noisy, no season
	run(d, vs)
	if r := d.ObserveAt(t0.Add(3000*time.Hour), 1000); !r.Anomaly {
		t.Errorf("value 10x beyond the range: %+v", r)
	}
}
