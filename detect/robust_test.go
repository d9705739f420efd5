package detect

import (
	"math"
	"testing"
	"time"
)

// edgeStreams are value sequences at the limits of float64 that every
// detector must survive without NaN or out-of-range scores.
var edgeStreams = map[string][]float64{
	"maxfloat":     {math.MaxFloat64, -math.MaxFloat64, math.MaxFloat64, 0, -math.MaxFloat64},
	"huge":         {1e300, -1e300, 1e300, -1e300, 1e300},
	"tiny":         {5e-324, -5e-324, 1e-300, 0, 5e-324},
	"nonfinite":    {math.NaN(), math.Inf(1), math.Inf(-1), math.NaN()},
	"alternating":  {math.MaxFloat64, 1, -math.MaxFloat64, 1, math.SmallestNonzeroFloat64},
	"constantHuge": {1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308},
}

// TestEdgeStreamsDoNotPoison feeds each detector a warm-up, an edge burst
// (repeated so windows fill with it), then a long ordinary stream: every
// score stays in [0, 1], and once the burst has aged out the detector is
// quiet again, i.e. its state was not poisoned by Inf or NaN.
func TestEdgeStreamsDoNotPoison(t *testing.T) {
	for _, f := range Catalog() {
		for name, edge := range edgeStreams {
			d := f.New()
			i := 0
			feed := func(v float64) Result {
				r := d.ObserveAt(t0.Add(time.Duration(i)*step), v)
				i++
				if math.IsNaN(r.Score) || r.Score < 0 || r.Score > 1 {
					t.Fatalf("%s/%s point %d (%v): score %v", f.Name, name, i, v, r.Score)
				}
				if r.HasExpected && (math.IsNaN(r.Expected) || math.IsNaN(r.Lower) || math.IsNaN(r.Upper)) {
					t.Fatalf("%s/%s point %d: NaN band %+v", f.Name, name, i, r)
				}
				return r
			}
			for _, v := range stream(1, 600, 0, 1) {
				feed(v)
			}
			for range 20 {
				for _, v := range edge {
					feed(v)
				}
			}
			rs := make([]Result, 0, 6000)
			for _, v := range stream(2, 6000, 0, 1) {
				rs = append(rs, feed(v))
			}
			if got := anomaliesIn(rs, 4000, 6000); got > 20 {
				t.Errorf("%s/%s: %d anomalies in 2000 clean points long after the burst: state poisoned", f.Name, name, got)
			}
		}
	}
}

// TestResetEqualsFresh: a detector reset after any history scores a stream
// exactly as a freshly constructed one does.
func TestResetEqualsFresh(t *testing.T) {
	for _, f := range Catalog() {
		used := f.New()
		run(used, stream(9, 3000, 20, 3))
		used.ObserveAt(t0.Add(-time.Hour), 1e300)
		used.ObserveAt(t0.Add(time.Hour*1000), math.MaxFloat64)
		used.Reset()
		vs := stream(4, 2000, 20, 1)
		vs[1500] += 40
		got, want := run(used, vs), run(f.New(), vs)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s point %d: after Reset %+v, fresh %+v", f.Name, i, got[i], want[i])
			}
		}
	}
}

// TestTimestampRule: equal timestamps are accepted, earlier ones skipped,
// gaps accepted, for every detector.
func TestTimestampRule(t *testing.T) {
	for _, f := range Catalog() {
		d := f.New()
		for i := range 100 {
			d.ObserveAt(t0.Add(time.Duration(i)*step), 10)
		}
		last := t0.Add(99 * step)
		if r := d.ObserveAt(last, 10); r.Skipped {
			t.Errorf("%s: equal timestamp skipped", f.Name)
		}
		if r := d.ObserveAt(last.Add(-time.Nanosecond), 10); !r.Skipped || r.Score != 0 || r.Anomaly {
			t.Errorf("%s: earlier timestamp not skipped: %+v", f.Name, r)
		}
		if r := d.ObserveAt(last.Add(240*time.Hour), 10); r.Skipped || math.IsNaN(r.Score) {
			t.Errorf("%s: point after a gap: %+v", f.Name, r)
		}
	}
}

// TestStateStaysBounded: no detector's state grows over a long stream,
// edge values and gaps included.
func TestStateStaysBounded(t *testing.T) {
	for _, f := range Catalog() {
		d := f.New()
		before := stateBytes(d)
		vs := stream(6, 20000, 20, 2)
		for i := 0; i < len(vs); i += 997 {
			vs[i] = 1e300
		}
		for i, v := range vs {
			d.ObserveAt(t0.Add(time.Duration(i)*step+time.Duration(i/5000)*24*time.Hour), v)
		}
		if after := stateBytes(d); after != before {
			t.Errorf("%s: state grew from %d to %d bytes over 20000 points", f.Name, before, after)
		}
	}
}

// TestFirstChangeFromConstant locks the data rule of doc.go: a constant
// stream scores 0 while constant, and its first change is flagged by every
// detector (MAD only past 4.4 times its Floor, so the change here is 25% of
// the level); EWMA and Seasonal then score 1.
func TestFirstChangeFromConstant(t *testing.T) {
	for _, f := range Catalog() {
		for _, level := range []float64{0.001, 42, 1e9} {
			d := f.New()
			for i := range 1000 {
				if r := d.ObserveAt(t0.Add(time.Duration(i)*step), level); r.Score != 0 {
					t.Fatalf("%s level %v point %d: constant stream scores %v", f.Name, level, i, r.Score)
				}
			}
			r := d.ObserveAt(t0.Add(1000*step), level*1.25)
			if !r.Anomaly {
				t.Errorf("%s level %v: first change not flagged: %+v", f.Name, level, r)
			}
			if (f.Name == "ewma" || f.Name == "seasonal") && r.Score != 1 {
				t.Errorf("%s level %v: first change scores %v, want 1", f.Name, level, r.Score)
			}
		}
	}
}

// TestOverflowKeepsClock: an overflow that restarts a model must not
// forget the last accepted timestamp, else an out-of-order point right
// after it would be accepted.
func TestOverflowKeepsClock(t *testing.T) {
	for _, f := range Catalog() {
		for _, level := range []float64{10, 1e308} {
			d := f.New()
			i := 0
			next := func(v float64) Result {
				i++
				return d.ObserveAt(t0.Add(time.Duration(i)*step), v)
			}
			for range 400 {
				next(level)
			}
			for _, v := range []float64{-1e308, 1e308, -math.MaxFloat64, math.MaxFloat64} {
				next(v)
				if r := d.ObserveAt(t0, 10); !r.Skipped {
					t.Errorf("%s level %v: out-of-order point accepted after %v: %+v", f.Name, level, v, r)
				}
			}
		}
	}
}

// TestSeasonalOverflowRestartsFromThePoint: after an overflow Seasonal
// starts again from the point that overflowed, as a fresh detector whose
// first point it is would.
func TestSeasonalOverflowRestartsFromThePoint(t *testing.T) {
	// No hold-off: the overflowing point is itself flagged, and a hold-off
	// in progress rightly survives the restart.
	d := must(NewSeasonal(SeasonalConfig{Suppress: -1}))
	for i := range 400 {
		d.ObserveAt(t0.Add(time.Duration(i)*step), -1e308)
	}
	restart := t0.Add(400 * step)
	d.ObserveAt(restart, 1e308) // the flat error overflows
	ref := must(NewSeasonal(SeasonalConfig{Suppress: -1}))
	ref.ObserveAt(restart, 1e308)
	vs := stream(3, 600, 20, 1)
	for i, v := range vs {
		at := restart.Add(time.Duration(i+1) * step)
		if got, want := d.ObserveAt(at, v), ref.ObserveAt(at, v); got != want {
			t.Fatalf("point %d after the restart: %+v, fresh %+v", i, got, want)
		}
	}
}

// TestHugeOutlierRecovery locks the figures of doc.go's data rules: after
// one 1e10 point on a level-100 stream, MAD and SPOT flag a +30 spike 200
// points later, and every detector does 20000 points later.
func TestHugeOutlierRecovery(t *testing.T) {
	for _, f := range Catalog() {
		gap := 20000
		if f.Name == "mad" || f.Name == "spot" {
			gap = 200
		}
		vs := stream(1, 1000+gap+1, 0, 1)
		vs[1000] = 1e10
		vs[1000+gap] += 30
		if r := run(f.New(), vs)[1000+gap]; !r.Anomaly {
			t.Errorf("%s: +30 spike %d points after a 1e10 outlier not flagged: %+v", f.Name, gap, r)
		}
	}
}
