package exporters

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// fakeExporter is a push exporter that records the metric names it is
// given and whether it was shut down; with block set, Export waits for its
// ctx to end, like a collector that never answers.
type fakeExporter struct {
	block bool

	mu       sync.Mutex
	names    []string
	shutdown bool
}

func (f *fakeExporter) Temporality(k sdkmetric.InstrumentKind) metricdata.Temporality {
	return sdkmetric.DefaultTemporalitySelector(k)
}

func (f *fakeExporter) Aggregation(k sdkmetric.InstrumentKind) sdkmetric.Aggregation {
	return sdkmetric.DefaultAggregationSelector(k)
}

func (f *fakeExporter) Export(ctx context.Context, rm *metricdata.ResourceMetrics) error {
	if f.block {
		<-ctx.Done()
		return ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			f.names = append(f.names, m.Name)
		}
	}
	return nil
}

func (f *fakeExporter) ForceFlush(context.Context) error { return nil }

func (f *fakeExporter) Shutdown(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shutdown = true
	return nil
}

func (f *fakeExporter) state() ([]string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.names...), f.shutdown
}

func built(e sdkmetric.Exporter) func(context.Context) (sdkmetric.Exporter, error) {
	return func(context.Context) (sdkmetric.Exporter, error) { return e, nil }
}

// WithExporter's exporter is built with New's ctx, counts as an exporter
// (no Prometheus), receives the data at ForceFlush and is shut down once.
func TestWithExporterExports(t *testing.T) {
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "new's ctx")
	fake := &fakeExporter{}
	p, err := New(ctx, WithExporter(func(got context.Context) (sdkmetric.Exporter, error) {
		if got.Value(key{}) != "new's ctx" {
			t.Error("build was not given New's ctx")
		}
		return fake, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if p.MetricsHandler() != nil {
		t.Error("Prometheus enabled although only WithExporter was given")
	}
	addCounter(t, p, "demo.requests", 1)
	if err := p.ForceFlush(ctx); err != nil {
		t.Fatal(err)
	}
	if names, _ := fake.state(); len(names) != 1 || names[0] != "demo.requests" {
		t.Errorf("exporter received %v after ForceFlush, want [demo.requests]", names)
	}
	if err := p.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if _, down := fake.state(); !down {
		t.Error("Shutdown did not shut the exporter down")
	}
}

// When a later exporter cannot be built, New fails naming the option and
// shuts down the exporters it had already built.
func TestWithExporterBuildErrorStopsTheOthers(t *testing.T) {
	first := &fakeExporter{}
	boom := errors.New("boom")
	p, err := New(context.Background(), WithPrometheus(), WithExporter(built(first)),
		WithExporter(func(context.Context) (sdkmetric.Exporter, error) { return nil, boom }))
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "exporters: WithExporter: boom") || p != nil {
		t.Fatalf("New = %v, %v; want the build error, prefixed", p, err)
	}
	if _, down := first.state(); !down {
		t.Error("the exporter built before the failure was left running")
	}
}

// An exporter that cannot finish: Shutdown with a cancelled ctx returns
// context.Canceled itself, not wrapped.
func TestShutdownReturnsContextError(t *testing.T) {
	p, err := New(context.Background(), WithExporter(built(&fakeExporter{block: true})))
	if err != nil {
		t.Fatal(err)
	}
	addCounter(t, p, "demo.requests", 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Shutdown(ctx); err != context.Canceled {
		t.Fatalf("Shutdown(cancelled ctx) = %v, want context.Canceled unchanged", err)
	}
}
