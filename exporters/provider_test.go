package exporters

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// addCounter records n on a synchronous counter named name.
func addCounter(t *testing.T, p *Provider, name string, n int64) {
	t.Helper()
	c, err := p.MeterProvider().Meter("exporters-test").Int64Counter(name)
	if err != nil {
		t.Fatal(err)
	}
	c.Add(context.Background(), n)
}

func TestDefaultIsPrometheusOnly(t *testing.T) {
	p, err := New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	if p.MetricsHandler() == nil || p.Registry() == nil {
		t.Fatal("default Provider has no Prometheus handler")
	}
	addCounter(t, p, "demo.requests", 3)
	if out := scrape(t, p); !strings.Contains(out, "demo_requests_total{") || !strings.Contains(out, "} 3\n") {
		t.Fatalf("exposition lacks demo_requests_total 3:\n%s", out)
	}
}

func TestStdoutReceivesDataOnShutdown(t *testing.T) {
	var buf lockedBuffer
	p, err := New(context.Background(), WithStdout(&buf))
	if err != nil {
		t.Fatal(err)
	}
	if p.MetricsHandler() != nil {
		t.Error("Prometheus enabled although only WithStdout was given")
	}
	addCounter(t, p, "demo.requests", 5)
	if buf.Len() != 0 {
		t.Fatal("stdout exporter wrote before flush or shutdown")
	}
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, `"Name":"demo.requests"`) {
		t.Fatalf("stdout output lacks demo.requests:\n%s", out)
	}
}

func TestShutdownIdempotent(t *testing.T) {
	var buf lockedBuffer
	p, err := New(context.Background(), WithStdout(&buf), WithPrometheus())
	if err != nil {
		t.Fatal(err)
	}
	addCounter(t, p, "demo.requests", 1)
	for i := range 3 {
		if err := p.Shutdown(context.Background()); err != nil {
			t.Fatalf("Shutdown #%d: %v", i+1, err)
		}
	}
	if n := strings.Count(buf.String(), `"Name":"demo.requests"`); n != 1 {
		t.Fatalf("stdout got %d exports over three Shutdowns, want 1", n)
	}
}

func TestNewRejectsInvalidOptions(t *testing.T) {
	for name, opt := range map[string]Option{
		"WithStdout(nil)":                 WithStdout(nil),
		"WithExporter(nil)":               WithExporter(nil),
		"WithExportInterval = -1ns: must": WithExportInterval(-1),
	} {
		p, err := New(context.Background(), opt)
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), name) || p != nil {
			t.Errorf("New(%s) = %v, %v; want ErrInvalidConfig naming %s", name, p, err, name)
		}
	}
}

// lockedBuffer is a bytes.Buffer safe for the exporter goroutine and the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *lockedBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

func TestWithReaderAndView(t *testing.T) {
	ctx := context.Background()
	r := sdkmetric.NewManualReader()
	rename := sdkmetric.NewView(sdkmetric.Instrument{Name: "demo.requests"}, sdkmetric.Stream{Name: "demo.renamed"})
	p, err := New(ctx, WithReader(r), WithView(rename))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(ctx)
	if p.MetricsHandler() != nil {
		t.Error("Prometheus enabled although only WithReader was given")
	}
	addCounter(t, p, "demo.requests", 2)
	var rm metricdata.ResourceMetrics
	if err := r.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	if len(rm.ScopeMetrics) != 1 || len(rm.ScopeMetrics[0].Metrics) != 1 || rm.ScopeMetrics[0].Metrics[0].Name != "demo.renamed" {
		t.Fatalf("manual reader collected %+v, want one metric demo.renamed", rm.ScopeMetrics)
	}
}
