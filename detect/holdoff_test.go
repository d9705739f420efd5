package detect

import "testing"

// TestHoldoffScript steps the hold-off through a detection, its hold and
// the re-arm, and checks that disabling it flags every point.
func TestHoldoffScript(t *testing.T) {
	steps := []struct {
		n     int
		score float64
		want  Result
	}{
		{2, 0.3, Result{Score: 0.3}},
		{2, 0.9, Result{Score: 0.9, Anomaly: true}},   // detection: hold 2
		{2, 0.95, Result{}},                           // held
		{2, 0.99, Result{}},                           // held
		{2, 0.99, Result{Score: 0.99, Anomaly: true}}, // re-armed
		{2, 0.2, Result{}},                            // held
		{-1, 0.9, Result{Score: 0.9, Anomaly: true}},
		{-1, 0.9, Result{Score: 0.9, Anomaly: true}},
	}
	var h holdoff
	for i, s := range steps {
		if h.n != s.n {
			h = holdoff{n: s.n}
		}
		r := Result{Score: s.score}
		h.apply(&r, 0.5)
		if r != s.want {
			t.Fatalf("step %d: got %+v, want %+v", i, r, s.want)
		}
	}
}

// TestSingleDetectorsReportAnExcursionOnce checks the default hold-off on
// every single detector: a long excursion far from a noisy level is one
// detection, not one per point, and the next incident after the hold-off is
// reported again.
func TestSingleDetectorsReportAnExcursionOnce(t *testing.T) {
	const n = 4000
	for _, name := range []string{"ewma", "mad", "levelshift", "seasonal", "spot"} {
		vs := stream(7, n, 0, 1)
		for i := 3000; i < 3040; i++ {
			vs[i] += 40
		}
		vs[3500] += 40
		rs := run(fresh(name), vs)
		if got := anomaliesIn(rs, 3000, 3100); got != 1 {
			t.Errorf("%s: %d detections in the excursion, want 1", name, got)
		}
		if name != "levelshift" && anomaliesIn(rs, 3500, 3501) != 1 {
			t.Errorf("%s: the next spike, after the hold-off, is missed", name)
		}
	}
}

// TestMADFloor: on a flat line with a 2% wobble the default floor keeps
// the wobble quiet while a 50% jump is still flagged; without the floor
// the wobble is flagged.
func TestMADFloor(t *testing.T) {
	vs := make([]float64, 300)
	for i := range vs {
		vs[i] = 100
	}
	vs[200] = 102
	vs[250] = 150
	for _, c := range []struct {
		floor        float64
		wobble, jump bool
	}{{0, false, true}, {-1, true, false}} { // without floor the jump is held off
		d := must(NewMAD(MADConfig{Floor: c.floor}))
		rs := run(d, vs)
		if rs[200].Anomaly != c.wobble || rs[250].Anomaly != c.jump {
			t.Errorf("floor %v: wobble %v, jump %v", c.floor, rs[200].Anomaly, rs[250].Anomaly)
		}
	}
}
