package detect

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

const step = 5 * time.Minute

// stream is a synthetic series with a daily pattern and noise.
func stream(seed uint64, n int, daily, noise float64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	v := make([]float64, n)
	for i := range v {
		phase := 2 * math.Pi * float64(i) / 288
		v[i] = 100 + daily*math.Sin(phase) + noise*rng.NormFloat64()
	}
	return v
}

// run feeds vs at 5-minute steps and returns the results.
func run(d Detector, vs []float64) []Result {
	rs := make([]Result, len(vs))
	for i, v := range vs {
		rs[i] = d.ObserveAt(t0.Add(time.Duration(i)*step), v)
	}
	return rs
}

func anomaliesIn(rs []Result, from, to int) int {
	n := 0
	for _, r := range rs[from:to] {
		if r.Anomaly {
			n++
		}
	}
	return n
}

func fresh(name string) Detector {
	for _, f := range Catalog() {
		if f.Name == name {
			return f.New()
		}
	}
	panic(name)
}

// TestCatchesItsKind checks each detector flags the anomaly kind it is
// documented to catch soon after it starts, and nothing in the clean part.
func TestCatchesItsKind(t *testing.T) {
	const n, at = 3000, 2500
	spike := func(v []float64) { v[at] += 30 }
	shift := func(v []float64) {
		for i := at; i < len(v); i++ {
			v[i] += 6
		}
	}
	flat := func(v []float64) { // the daily pattern stops
		for i := at; i < len(v); i++ {
			v[i] = 100 + 0.01*float64(i%3)
		}
	}
	cases := []struct {
		det    string
		daily  float64
		inject func([]float64)
		within int
	}{
		{"ewma", 0, spike, 1},
		{"mad", 0, spike, 1},
		{"spot", 0, spike, 1},
		{"levelshift", 0, shift, 30},
		{"seasonal", 20, spike, 1},
		{"seasonal", 20, flat, 60},
		{"ensemble", 20, spike, 1},
		{"ensemble", 20, shift, 30},
		{"ensemble", 20, flat, 60},
	}
	for _, c := range cases {
		vs := stream(7, n, c.daily, 1)
		c.inject(vs)
		rs := run(fresh(c.det), vs)
		if got := anomaliesIn(rs, at, at+c.within); got == 0 {
			t.Errorf("%s daily=%v: no detection within %d points of the anomaly", c.det, c.daily, c.within)
		}
		if got := anomaliesIn(rs, 1000, at); got > 2 {
			t.Errorf("%s daily=%v: %d false alarms on the clean part", c.det, c.daily, got)
		}
	}
}

// TestSinglesQuietOnClean checks a clean stream raises (almost) nothing
// from the single detectors; TestQuietOnClean holds the default ensemble to
// the stricter goal on longer streams.
func TestSinglesQuietOnClean(t *testing.T) {
	for _, f := range Catalog() {
		if f.Name == "ensemble" {
			continue
		}
		daily := 0.0 // only the seasonal model expects a daily cycle
		if f.Name == "seasonal" {
			daily = 20
		}
		for seed := uint64(1); seed <= 3; seed++ {
			rs := run(f.New(), stream(seed, 4000, daily, 1))
			limit := 4
			if f.Name == "spot" {
				// Risk 1e-3 is one alarm per 1000 ordinary points by
				// definition, 3.5 expected here; the tail is fitted from
				// a few dozen peaks, so allow twice that.
				limit = 7
			}
			if got := anomaliesIn(rs, 500, len(rs)); got > limit {
				t.Errorf("%s seed %d: %d anomalies on a clean stream", f.Name, seed, got)
			}
		}
	}
}

// TestEdgeValues: NaN/Inf and out-of-order points are skipped, constant
// streams and huge values never yield NaN or out-of-range scores.
func TestEdgeValues(t *testing.T) {
	for _, f := range Catalog() {
		d := f.New()
		check := func(r Result, what string) {
			if math.IsNaN(r.Score) || r.Score < 0 || r.Score > 1 {
				t.Fatalf("%s %s: score %v", f.Name, what, r.Score)
			}
		}
		for i := range 300 {
			check(d.ObserveAt(t0.Add(time.Duration(i)*step), 42), "constant")
		}
		at := t0.Add(300 * step)
		for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			if r := d.ObserveAt(at, v); !r.Skipped || r.Score != 0 {
				t.Errorf("%s: %v not skipped: %+v", f.Name, v, r)
			}
		}
		if r := d.ObserveAt(t0, 42); !r.Skipped {
			t.Errorf("%s: out-of-order point not skipped", f.Name)
		}
		for i, v := range []float64{1e300, -1e300, 1e300, 0, 1e-300, 42} {
			check(d.ObserveAt(at.Add(time.Duration(i)*step), v), "huge")
		}
		d.Reset()
		check(d.ObserveAt(t0, 1), "after reset")
	}
}

func TestConfigValidation(t *testing.T) {
	bad := []error{
		second(NewEWMA(EWMAConfig{Alpha: 1})),
		second(NewEWMA(EWMAConfig{Warmup: -1})),
		second(NewEWMA(EWMAConfig{Threshold: 2})),
		second(NewMAD(MADConfig{Window: 3})),
		second(NewLevelShift(LevelShiftConfig{Limit: -1})),
		second(NewLevelShift(LevelShiftConfig{Slack: math.NaN()})),
		second(NewSeasonal(SeasonalConfig{Period: -time.Hour})),
		second(NewSeasonal(SeasonalConfig{MaxSlots: 2})),
		second(NewSeasonal(SeasonalConfig{Clip: -1})),
		second(NewSPOT(SPOTConfig{Risk: 0.5})),
		second(NewSPOT(SPOTConfig{Init: 8})),
		second(NewEWMA(EWMAConfig{Suppress: maxHoldoff + 1})),
		second(NewMAD(MADConfig{Suppress: maxHoldoff + 1})),
		second(NewLevelShift(LevelShiftConfig{Suppress: maxHoldoff + 1})),
		second(NewSeasonal(SeasonalConfig{Suppress: maxHoldoff + 1})),
		second(NewSPOT(SPOTConfig{Suppress: maxHoldoff + 1})),
		second(NewEnsembleConfig(EnsembleConfig{Threshold: -1})),
	}
	for i, err := range bad {
		if err == nil {
			t.Errorf("case %d: invalid config accepted", i)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestZeroAllocs(t *testing.T) {
	for _, f := range Catalog() {
		d := f.New()
		vs := stream(3, 1000, 20, 1)
		i := 0
		allocs := testing.AllocsPerRun(2000, func() {
			d.ObserveAt(t0.Add(time.Duration(i)*step), vs[i%len(vs)])
			i++
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocs per observation", f.Name, allocs)
		}
	}
}
