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
	score, err := meter.Float64ObservableGauge("anomaly.score",
		metric.WithDescription("Last anomaly score of each series, in [0, 1]."),
		metric.WithUnit("1"))
	if err != nil {
		return fmt.Errorf("detect: anomaly.score: %w", err)
	}
	// A separate registration (rather than a callback option on the
	// instrument) so that Shutdown can take it back.
	m.scoreReg, err = meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		// The table is an immutable snapshot: no lock is held here.
		for _, s := range *m.table.Load() {
			o.ObserveFloat64(score, math.Float64frombits(s.score.Load()), s.scoreAttrs)
		}
		return nil
	}, score)
	if err != nil {
		return fmt.Errorf("detect: anomaly.score callback: %w", err)
	}
	return nil
}

// Shutdown unregisters the Monitor's anomaly.score callback, so that a
// MeterProvider that outlives the Monitor stops reading (and holding) it.
// The Monitor keeps working: later observations still score points and
// notify listeners, but are no longer exported. Shutdown is idempotent and
// safe for concurrent use; it returns the error of the first call.
func (m *Monitor) Shutdown(context.Context) error {
	m.shutOnce.Do(func() {
		if m.scoreReg != nil {
			if err := m.scoreReg.Unregister(); err != nil {
				m.shutErr = fmt.Errorf("detect: unregister anomaly.score: %w", err)
			}
		}
	})
	return m.shutErr
}
