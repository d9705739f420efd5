package eject_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/nines-sre/nines/remediate/eject"
)

// The view of a dependency with one failing replica: every replica of the
// Ejector listed once, sorted; the failing one an outlier on its error
// ratio, then ejected until its ejection time; an idle one not measured.
func TestDetectorView(t *testing.T) {
	var backends []string
	for i := range 10 {
		backends = append(backends, fmt.Sprintf("10.0.0.%02d:80", i+1))
	}
	stats, _ := eject.NewStats(eject.StatsConfig{})
	ejector, _ := eject.NewEjector(eject.EjectorConfig{Replicas: backends, BaseEjectionTime: 10 * time.Second})
	detector, err := eject.NewDetector(eject.DetectorConfig{Dependency: "inventory", Stats: stats, Ejector: ejector})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	var now time.Time
	for step := 1; step <= 6; step++ {
		now = start.Add(time.Duration(step) * time.Second)
		for i, b := range backends[:9] { // the tenth gets no call
			for call := range 20 {
				stats.Record(b, time.Duration(10+i%2)*time.Millisecond, i == 2 && call%5 == 0)
			}
		}
		if _, err := detector.StepAt(now); err != nil {
			t.Fatal(err)
		}
	}
	v := detector.View()
	if v.Dependency != "inventory" || !v.Ejecting || v.MaxEjected != 1 || len(v.Replicas) != 10 {
		t.Fatalf("view %+v, want inventory, ejecting, max 1, 10 replicas", v)
	}
	for i, r := range v.Replicas {
		if r.Replica != backends[i] {
			t.Errorf("replica %d is %q, want %q (sorted)", i, r.Replica, backends[i])
		}
		if want := i == 2; r.Outlier != want || (r.Metric == "error_ratio") != want {
			t.Errorf("%s outlier %v on %q, want %v", r.Replica, r.Outlier, r.Metric, want)
		}
		if want := i < 9; r.Measured != want || (r.Calls == 20) != want {
			t.Errorf("%s measured %v with %d calls, want %v", r.Replica, r.Measured, r.Calls, want)
		}
		if r.Ejected {
			t.Errorf("%s ejected before any ejection", r.Replica)
		}
	}
	if r := v.Replicas[2]; r.ErrorRatio != 0.2 || r.Latency <= 0 {
		t.Errorf("outlier's last step: error ratio %v latency %v, want 0.2 and > 0", r.ErrorRatio, r.Latency)
	}
	if err := ejector.EjectAt(now, backends[2]); err != nil {
		t.Fatal(err)
	}
	r := detector.View().Replicas[2]
	if !r.Ejected || !r.Until.Equal(now.Add(10*time.Second)) || r.Ejections != 1 {
		t.Errorf("after the ejection: %+v, want ejected until +10s, ejection 1", r)
	}
}

// Without an Ejector the view lists the measured replicas only.
func TestDetectorViewWithoutEjector(t *testing.T) {
	stats, _ := eject.NewStats(eject.StatsConfig{})
	detector, _ := eject.NewDetector(eject.DetectorConfig{Dependency: "search", Stats: stats})
	if v := detector.View(); v.Ejecting || v.MaxEjected != 0 || len(v.Replicas) != 0 {
		t.Fatalf("empty view %+v", v)
	}
	stats.Record("a:1", time.Millisecond, false)
	_, _ = detector.StepAt(time.Unix(1, 0))
	if v := detector.View(); len(v.Replicas) != 1 || v.Replicas[0].Replica != "a:1" || v.Replicas[0].Ejected {
		t.Fatalf("view %+v, want a:1 measured", v)
	}
}
