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

// TestEnsembleSeasonalNeedsTwoPoints: below the absolute tier a seasonal
// deviation among the largest of the history counts only when the point
// before it was as rare. On a daily cycle with Gaussian noise, a lone point
// 4.4 of the seasonal model's standard deviations off its expectation (one
// in 100,000 for Gaussian errors, so among the largest of the history,
// yet short of the absolute tier's 1e-5 under the tail model) stays under
// the relative tier: it is inside the cycle's range and small next to the
// cycle's sway from the CUSUM's slow baseline, so only the seasonal model
// could report it. The same deviation on two consecutive points reaches
// the relative tier, and a lone one of 30 deviations the absolute tier.
// Every point is scored on its own (no hold-off).
func TestEnsembleSeasonalNeedsTwoPoints(t *testing.T) {
	const at = 2500 // on the cycle's rise, 8.7 days in
	base := stream(3, at+2, 20, 1)
	// observe runs a fresh ensemble over vs and returns the last result.
	observe := func(vs []float64) Result {
		e, err := NewEnsembleConfig(EnsembleConfig{Suppress: -1})
		if err != nil {
			t.Fatal(err)
		}
		rs := run(e, vs)
		return rs[len(rs)-1]
	}
	// deviate sets each of the points from at on to its expectation plus
	// z standard deviations, as the seasonal model sees it then.
	deviate := func(zs ...float64) []float64 {
		vs := append([]float64(nil), base[:at+len(zs)]...)
		for i, z := range zs {
			r := observe(vs[:at+i+1])
			vs[at+i] = r.Expected + z*(r.Upper-r.Expected)/bandZ
		}
		return vs
	}
	cases := []struct {
		name      string
		zs        []float64
		min, less float64 // the last point's score: at least min, below less
	}{
		{"lone", []float64{4.4}, 0, relTier},
		{"two in a row", []float64{4.4, 4.4}, relTier, absTier},
		{"lone, far beyond", []float64{30}, absTier, 1.01},
	}
	for _, c := range cases {
		if s := observe(deviate(c.zs...)).Score; s < c.min || s >= c.less {
			t.Errorf("%s: score %.3f, want in [%.2f, %.2f)", c.name, s, c.min, c.less)
		}
	}
}
