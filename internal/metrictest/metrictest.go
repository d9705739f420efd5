// Package metrictest is the one metric test kit of nines: a MeterProvider
// backed by a manual reader, a collection flattened to metrics and points
// that tests can look up by name and attributes, and golden renderings of
// the values (Lines) and of the schema (Schema: name, kind, unit and
// attribute keys, the contract the root package documentation's
// telemetry schema locks).
//
// It imports the OTel SDK, so only tests may import it.
package metrictest

import (
	"context"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// Provider is an SDK MeterProvider read by a manual reader: pass it where a
// metric.MeterProvider is wanted, then Collect.
type Provider struct {
	*sdkmetric.MeterProvider
	reader *sdkmetric.ManualReader
}

// NewProvider returns a Provider that is shut down when the test ends.
// opts configure the reader (a delta temporality selector, for example).
func NewProvider(t testing.TB, opts ...sdkmetric.ManualReaderOption) *Provider {
	t.Helper()
	reader := sdkmetric.NewManualReader(opts...)
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() {
		if err := mp.Shutdown(context.Background()); err != nil {
			t.Errorf("metrictest: MeterProvider.Shutdown: %v", err)
		}
	})
	return &Provider{MeterProvider: mp, reader: reader}
}

// Collect reads every instrument once (running the observable callbacks)
// and fails the test if the reader fails.
func (p *Provider) Collect(t testing.TB) Collection {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := p.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatalf("metrictest: Collect: %v", err)
	}
	return flatten(rm)
}
