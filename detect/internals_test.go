package detect

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestMADWindowMatchesBruteForce checks the incrementally sorted window and
// the O(n) MAD against sorting the last Window points from scratch.
func TestMADWindowMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2))
	d := must(NewMAD(MADConfig{Window: 9})).(*MAD)
	var all []float64
	for i := range 500 {
		v := float64(rng.IntN(7)) // many ties
		if i%50 == 0 {
			v = 1000
		}
		d.ObserveAt(t0.Add(time.Duration(i)*time.Second), v)
		all = append(all, v)
		win := slices.Clone(all[max(0, len(all)-9):])
		slices.Sort(win)
		if !slices.Equal(win, d.sorted) {
			t.Fatalf("step %d: sorted window %v, want %v", i, d.sorted, win)
		}
		if len(win) < 3 {
			continue
		}
		med := win[len(win)/2]
		if len(win)%2 == 0 {
			med = (win[len(win)/2-1] + win[len(win)/2]) / 2
		}
		devs := make([]float64, len(win))
		var sum float64
		for j, x := range win {
			devs[j] = math.Abs(x - med)
			sum += devs[j]
		}
		slices.Sort(devs)
		// centre's MAD is the lower median of the deviations.
		want := 1.4826 * devs[(len(devs)-1)/2]
		if want == 0 {
			want = 1.2533 * sum / float64(len(devs))
		}
		gm, gs := d.centre()
		if gm != med || math.Abs(gs-want) > 1e-9 {
			t.Fatalf("step %d: centre = %v, %v; want %v, %v", i, gm, gs, med, want)
		}
	}
}

// TestTailCal checks the calibrated tail probability falls as deviations
// get rarer and extrapolates beyond the history.
func TestTailCal(t *testing.T) {
	var c tailCal
	if got := c.logTail(5); got != 0 {
		t.Fatalf("empty calibrator: %v, want 0", got)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		c.add(math.Abs(rng.NormFloat64()))
	}
	prev := 1.0
	for _, z := range []float64{0, 1, 2, 3, 5, 20, 1e6, math.Inf(1)} {
		lp := c.logTail(z)
		if lp > prev || lp > 0 || math.IsNaN(lp) {
			t.Fatalf("logTail(%v) = %v after %v: not a falling log-probability", z, lp, prev)
		}
		prev = lp
	}
	if lp := c.logTail(1); lp < math.Log(0.2) || lp > math.Log(0.5) {
		t.Errorf("P(|Z| >= bin of 1) = %v, want about 0.3", math.Exp(lp))
	}
	if c.logTail(100) >= math.Log(1.0/calMemory) {
		t.Errorf("a deviation far beyond the history is not rarer than 1/memory")
	}
}

// TestSeasonalGapKeepsPhase: after a gap of whole days the seasonal model
// still expects the right value for the hour, because slots come from the
// timestamp.
func TestSeasonalGapKeepsPhase(t *testing.T) {
	d := must(NewSeasonal(SeasonalConfig{})).(*Seasonal)
	day := func(i int) float64 { return 100 + 50*math.Sin(2*math.Pi*float64(i%288)/288) }
	for i := range 288 * 4 {
		d.ObserveAt(t0.Add(time.Duration(i)*step), day(i))
	}
	for i := 288*6 + 50; i < 288*6+60; i++ { // two days missing
		r := d.ObserveAt(t0.Add(time.Duration(i)*step), day(i))
		if !r.HasExpected || math.Abs(r.Expected-day(i)) > 2 || r.Anomaly {
			t.Fatalf("after the gap, point %d: %+v, want expected %v", i, r, day(i))
		}
	}
}
