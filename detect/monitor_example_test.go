package detect_test

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/nines-sre/nines/detect"
)

// monitorExampleDetector flags values above 100: a stand-in for a real detector.
type monitorExampleDetector struct{}

func (monitorExampleDetector) ObserveAt(_ time.Time, v float64) detect.Result {
	s := 0.0
	if v > 100 {
		s = 1
	}
	return detect.Result{Score: s, Anomaly: s == 1, Skipped: math.IsNaN(v)}
}
func (monitorExampleDetector) Name() string { return "threshold" }
func (monitorExampleDetector) Reset()       {}

func ExampleMonitor() {
	m, err := detect.NewMonitor(func() detect.Detector { return monitorExampleDetector{} },
		detect.WithMaxSeries(2),
		detect.WithAnomalyListener(func(a detect.Anomaly) {
			fmt.Printf("anomaly on %s: %v (detector %s)\n", a.Series, a.Value, a.Detector)
		}))
	if err != nil {
		fmt.Println(err)
		return
	}
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m.ObserveAt("checkout.p99", t, 80)
	m.ObserveAt("checkout.p99", t.Add(time.Minute), 250)
	m.ObserveAt("search.p99", t, 40)
	_, err = m.ObserveAt("third.series", t, 1)
	fmt.Println(errors.Is(err, detect.ErrTooManySeries), m.Refused())
	// Output:
	// anomaly on checkout.p99: 250 (detector threshold)
	// true 1
}
