package eval

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nines-sre/nines/detect"
)

// jumpDetector scores 1 and flags when a value differs from the previous
// one by more than 5, and counts its own observations to check freshness.
type jumpDetector struct {
	prev float64
	n    int
}

func (d *jumpDetector) ObserveAt(_ time.Time, v float64) detect.Result {
	d.n++
	jump := d.n > 1 && math.Abs(v-d.prev) > 5
	d.prev = v
	if jump {
		return detect.Result{Score: 1, Anomaly: true}
	}
	return detect.Result{Score: 0.2}
}
func (d *jumpDetector) Name() string { return "jump" }
func (d *jumpDetector) Reset()       { *d = jumpDetector{} }

func TestRun(t *testing.T) {
	ts := stamps(40)
	values := make([]float64, 40)
	values[20] = 10 // jump at 20 and back at 21
	a, err := NewFile("c/a.csv", ts, values, []Window{{ts[18], ts[25]}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewFile("c/b.csv", ts[:10], make([]float64, 10), nil)
	c, _ := NewCorpus(a, b)
	made := 0
	r, err := c.Run(func() detect.Detector { made++; return &jumpDetector{} })
	if err != nil {
		t.Fatal(err)
	}
	if made != 2 || r.Points != 50 || len(r.Scores) != 2 {
		t.Fatalf("made %d detectors, %d points, %d files", made, r.Points, len(r.Scores))
	}
	if r.Flags["c/a.csv"][20] != 1 || r.Flags["c/a.csv"][21] != 1 || r.Scores["c/a.csv"][19] != 0.2 {
		t.Errorf("flags/scores wrong around the jump")
	}
	// Detections at rows 20 and 21 of an 8-row window starting at 18: the
	// earliest (row 20, position -6/8) counts, nothing else fires.
	res, err := c.DefaultThreshold(r, Standard)
	if err != nil {
		t.Fatal(err)
	}
	want := 100 * (positionReward(-6.0/8)/earliestReward + 1) / 2
	if math.Abs(res.Normalized-want) > 1e-9 {
		t.Errorf("default-threshold NAB = %v, want %v", res.Normalized, want)
	}
	if r.PointsPerSecond() < 0 || (Run{}).PointsPerSecond() != 0 {
		t.Error("PointsPerSecond")
	}

	noValues, _ := NewFile("c/x.csv", ts, nil, nil)
	c2, _ := NewCorpus(noValues)
	if _, err := c2.Run(func() detect.Detector { return &jumpDetector{} }); err == nil {
		t.Error("Run over a file without values = nil error")
	}
	if _, err := c.Run(func() detect.Detector { return nil }); err == nil {
		t.Error("Run with a nil detector = nil error")
	}
}

func TestLoadLabels(t *testing.T) {
	p := filepath.Join(t.TempDir(), "labels.json")
	os.WriteFile(p, []byte(`{"a/x.csv": []}`), 0o644)
	if l, err := LoadLabels(p); err != nil || len(l) != 1 {
		t.Errorf("LoadLabels = %v, %v", l, err)
	}
	if _, err := LoadLabels(p + ".missing"); err == nil {
		t.Error("LoadLabels of a missing file = nil error")
	}
}
