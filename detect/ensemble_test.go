package detect

import (
	"math"
	"math/rand/v2"
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

// TestRepeated: relative-tier evidence repeated is absolute: range
// novelty's on two of the last 8 points, the current one among them, or two
// components' within the last 8 points at a point where one of them
// reached the tier. Each step lists the components at the relative tier
// (0 seasonal, 1 CUSUM, 2 range novelty); the last step is judged.
func TestRepeated(t *testing.T) {
	quiet := func(n int) [][]int { return make([][]int, n) }
	steps := func(parts ...[][]int) [][]int {
		var all [][]int
		for _, p := range parts {
			all = append(all, p...)
		}
		return all
	}
	cases := []struct {
		name  string
		steps [][]int
		want  bool
	}{
		{"range once", [][]int{{2}}, false},
		{"range twice in a row", [][]int{{2}, {2}}, true},
		{"range twice within 8", steps([][]int{{2}}, quiet(6), [][]int{{2}}), true},
		{"range twice 8 apart", steps([][]int{{2}}, quiet(7), [][]int{{2}}), false},
		{"range before, not now", [][]int{{2}, {2}, {}}, false},
		{"seasonal twice", [][]int{{0}, {0}}, false},
		{"CUSUM twice", [][]int{{1}, {1}}, false},
		{"seasonal, then CUSUM within 8", steps([][]int{{0}}, quiet(6), [][]int{{1}}), true},
		{"seasonal, then CUSUM 8 apart", steps([][]int{{0}}, quiet(7), [][]int{{1}}), false},
		{"two at once", [][]int{{0, 1}}, true},
		{"two before, not now", [][]int{{0}, {1}, {}}, false},
		{"CUSUM, then range once", [][]int{{1}, {2}}, true},
	}
	for _, c := range cases {
		var e Ensemble
		got := false
		for _, step := range c.steps {
			var hits [3]bool
			for _, i := range step {
				hits[i] = true
			}
			got = e.repeated(hits)
		}
		if got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestDriftOutOfRangeFlagged: at the default threshold, a stream that
// drifts out of its all-time range is flagged within 10 points of leaving
// it, though its seasonal model follows the drift and its CUSUM, on an
// autocorrelated stream, habitually wanders. The stream is AR(1) (0.99 of
// the last value plus noise of 0.1) for 5000 points a minute, then ramps up
// 0.1 a point; 8 seeds. Before range novelty's repeats counted as absolute
// evidence (repeated) no seed was flagged in 400 points of the ramp.
func TestDriftOutOfRangeFlagged(t *testing.T) {
	const at, ramp, within = 5000, 400, 10
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 11))
		d := NewDefault()
		x, hi, left, first := 0.0, math.Inf(-1), -1, -1
		for i := range at + ramp {
			x = 0.99*x + 0.1*rng.NormFloat64()
			v := 100 + x
			if i >= at {
				v += 0.1 * float64(i-at)
			}
			r := d.ObserveAt(t0.Add(time.Duration(i)*time.Minute), v)
			switch {
			case i < at:
				hi = math.Max(hi, v)
			case left < 0 && v > hi:
				left = i
			}
			if r.Anomaly && i >= at {
				first = i
				break
			}
		}
		switch {
		case left < 0:
			t.Fatalf("seed %d: the ramp never left the range (test broken)", seed)
		case first < 0:
			t.Errorf("seed %d: left the range %d points into the ramp, never flagged", seed, left-at)
		case first-left > within:
			t.Errorf("seed %d: flagged %d points after leaving the range, want within %d", seed, first-left, within)
		}
	}
}
