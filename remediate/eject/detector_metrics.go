package eject

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

const meterName = "github.com/nines-sre/nines/remediate/eject"

// detectorMetrics counts outlier incidents. They are rare (a few per hour
// at worst), so synchronous instruments are cheap and need no callback to
// unregister.
type detectorMetrics struct {
	opened metric.Int64Counter
	active metric.Int64UpDownCounter
	// attrs holds one attribute set per metric judged.
	attrs map[string]metric.MeasurementOption
}

func newDetectorMetrics(mp metric.MeterProvider, dependency string, metrics []string) (detectorMetrics, error) {
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	meter := mp.Meter(meterName)
	opened, err := meter.Int64Counter("peer.outliers",
		metric.WithDescription("Replicas found deviating from their peers (outlier incidents opened), by dependency and the metric they deviate on."))
	if err != nil {
		return detectorMetrics{}, err
	}
	active, err := meter.Int64UpDownCounter("peer.outliers.active",
		metric.WithDescription("Outlier incidents open now, by dependency and metric: ejected replicas and those the maximum ejected share kept in."))
	if err != nil {
		return detectorMetrics{}, err
	}
	attrs := make(map[string]metric.MeasurementOption, len(metrics))
	for _, m := range metrics {
		attrs[m] = metric.WithAttributeSet(attribute.NewSet(
			attribute.String("peer.dependency", dependency), attribute.String("peer.metric", m)))
	}
	return detectorMetrics{opened: opened, active: active, attrs: attrs}, nil
}

func (m detectorMetrics) fired(metricName string) {
	m.opened.Add(context.Background(), 1, m.attrs[metricName])
	m.active.Add(context.Background(), 1, m.attrs[metricName])
}

func (m detectorMetrics) resolved(metricName string) {
	m.active.Add(context.Background(), -1, m.attrs[metricName])
}
