package availability_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/remediate/admit"
)

// flagEvery flags every point, so that OnAnomaly shows what is fed.
type flagEvery struct{}

func (flagEvery) ObserveAt(time.Time, float64) detect.Result {
	return detect.Result{Score: 1, Anomaly: true}
}
func (flagEvery) Name() string { return "every" }
func (flagEvery) Reset()       {}

// The detectors get one point per series per step, computed over the whole
// step, on the tick that ends it: here the Monitor ticks every 10 seconds
// and the step is a minute. The second minute holds 3 requests, fewer than
// the minimum of 50 for the ratio and the p99, and than the tenth of it
// for the rate: it is skipped, not fed as zero.
func ExampleWithDetectorStep() {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	m, err := availability.New(
		availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithClock(func() time.Time { return now }),
		availability.WithDetectorStep(time.Minute),
		availability.WithDetectorMinRequests(50),
		availability.WithDetector(func() detect.Detector { return flagEvery{} }),
	)
	if err != nil {
		panic(err)
	}
	defer m.Shutdown(context.Background())
	m.Detectors().OnAnomaly(func(a detect.Anomaly) {
		if !strings.HasSuffix(a.Series, ":p99") {
			fmt.Println(a.Time.Format("15:04"), a.Series, a.Value)
		}
	})

	e := m.Endpoint(availability.ServerEndpoint, "GET /checkout")
	for minute, calls := range []int{120, 3, 60} {
		for i := range calls {
			call, _ := e.AdmitAt(now, admit.Normal)
			call.DoneAt(now.Add(10*time.Millisecond), minute == 0 && i < 6) // 5% fail in the first minute
		}
		for range 6 {
			now = now.Add(10 * time.Second)
			m.TickAt(now)
		}
	}
	// Output:
	// 10:01 route:GET:checkout:error_ratio 0.05
	// 10:01 route:GET:checkout:rate 2
	// 10:03 route:GET:checkout:error_ratio 0
	// 10:03 route:GET:checkout:rate 1
}
