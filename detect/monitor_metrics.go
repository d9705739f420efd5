package detect

import (
	"context"
	"fmt"
	"math"

	"go.opentelemetry.io/otel/metric"
)

// instrumentationName is the meter name of package detect.
const instrumentationName = "github.com/nines-sre/nines/detect"

// instrument creates the Monitor's instruments (the telemetry schema of
// the root package documentation):
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
		// The table is read from one snapshot: no lock is held here.
		m.table.Range(func(_ string, s *monitorSeries) bool {
			o.ObserveFloat64(score, math.Float64frombits(s.score.Load()), s.scoreAttrs)
			return true
		})
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
// notify listeners, but are no longer exported. The Monitor starts no
// goroutine, so there is nothing to wait for. Shutdown is idempotent and
// safe for concurrent use; every call returns the first call's error.
func (m *Monitor) Shutdown(ctx context.Context) error {
	return m.lc.Shutdown(ctx, func(context.Context) error {
		if m.scoreReg != nil {
			if err := m.scoreReg.Unregister(); err != nil {
				return fmt.Errorf("detect: unregister anomaly.score: %w", err)
			}
		}
		return nil
	})
}
