package exporters

import (
	"context"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// stuckExporter's Shutdown blocks until release is closed.
type stuckExporter struct {
	sdkmetric.Exporter
	entered, release chan struct{}
}

func (e stuckExporter) Export(context.Context, *metricdata.ResourceMetrics) error { return nil }
func (e stuckExporter) ForceFlush(context.Context) error                          { return nil }
func (e stuckExporter) Shutdown(context.Context) error {
	close(e.entered)
	<-e.release
	return nil
}
func (e stuckExporter) Temporality(k sdkmetric.InstrumentKind) metricdata.Temporality {
	return sdkmetric.DefaultTemporalitySelector(k)
}
func (e stuckExporter) Aggregation(k sdkmetric.InstrumentKind) sdkmetric.Aggregation {
	return sdkmetric.DefaultAggregationSelector(k)
}

// TestConcurrentShutdownHonoursItsOwnContext: while a first Shutdown is
// stuck in an exporter, a second one returns its own ctx.Err() instead of
// waiting without bound (it used to wait inside sync.Once), and once the
// first finishes, a third returns the first's result.
func TestConcurrentShutdownHonoursItsOwnContext(t *testing.T) {
	exp := stuckExporter{entered: make(chan struct{}), release: make(chan struct{})}
	p, err := New(context.Background(), WithExporter(func(context.Context) (sdkmetric.Exporter, error) { return exp, nil }))
	if err != nil {
		t.Fatal(err)
	}
	first := make(chan error, 1)
	go func() { first <- p.Shutdown(context.Background()) }()
	<-exp.entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Shutdown(ctx); err != context.Canceled {
		t.Fatalf("second Shutdown while the first is stuck = %v, want context.Canceled", err)
	}
	close(exp.release)
	if err := <-first; err != nil {
		t.Fatalf("first Shutdown = %v", err)
	}
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatalf("third Shutdown = %v, want the first's nil", err)
	}
}
