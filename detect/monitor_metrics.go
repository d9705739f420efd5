package detect

import (
	"context"
	"fmt"
	"math"

	"go.opentelemetry.io/otel/metric"
)

// instrumentationName is the meter name of package detect.
const instrumentationName = "github.com/nines-sre/nines/detect"

// instrument creates the Monitor's instruments (DESIGN.md schema):
// anomaly.score, an observable gauge read from each series' last score at
// collection, and anomaly.detections, a counter added to once per anomaly.
func (m *Monitor) instrument(mp metric.MeterProvider) error {
	meter := mp.Meter(instrumentationName)
	var err error
	m.detections, err = meter.Int64Counter("anomaly.detections",
		metric.WithDescription("Points flagged as anomalous, per series and detector."))
	if err != nil {
		return fmt.Errorf("detect: anomaly.detections: %w", err)
	}
	_, err = meter.Float64ObservableGauge("anomaly.score",
		metric.WithDescription("Last anomaly score of each series, in [0, 1]."),
		metric.WithUnit("1"),
		metric.WithFloat64Callback(func(_ context.Context, o metric.Float64Observer) error {
			// The table is an immutable snapshot: no lock is held here.
			for _, s := range *m.table.Load() {
				o.Observe(math.Float64frombits(s.score.Load()), s.scoreAttrs)
			}
			return nil
		}))
	if err != nil {
		return fmt.Errorf("detect: anomaly.score: %w", err)
	}
	return nil
}
