package exporters

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	collectormetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
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

func metricNames(req *collectormetrics.ExportMetricsServiceRequest) []string {
	var names []string
	for _, rm := range req.GetResourceMetrics() {
		for _, sm := range rm.GetScopeMetrics() {
			for _, m := range sm.GetMetrics() {
				names = append(names, m.GetName())
			}
		}
	}
	return names
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

func TestOTLPHTTPExports(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req collectormetrics.ExportMetricsServiceRequest
		if r.URL.Path != "/v1/metrics" || proto.Unmarshal(body, &req) != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, metricNames(&req)...)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		b, _ := proto.Marshal(&collectormetrics.ExportMetricsServiceResponse{})
		w.Write(b)
	}))
	defer srv.Close()

	ctx := context.Background()
	p, err := New(ctx, WithPrometheus(), WithOTLPHTTP(otlpmetrichttp.WithEndpointURL(srv.URL+"/v1/metrics")))
	if err != nil {
		t.Fatal(err)
	}
	addCounter(t, p, "demo.requests", 1)
	if err := p.ForceFlush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !contains(got, "demo.requests") {
		t.Fatalf("collector received %v, want demo.requests", got)
	}
}

type grpcCollector struct {
	collectormetrics.UnimplementedMetricsServiceServer
	mu  sync.Mutex
	got []string
}

func (c *grpcCollector) Export(_ context.Context, req *collectormetrics.ExportMetricsServiceRequest) (*collectormetrics.ExportMetricsServiceResponse, error) {
	c.mu.Lock()
	c.got = append(c.got, metricNames(req)...)
	c.mu.Unlock()
	return &collectormetrics.ExportMetricsServiceResponse{}, nil
}

func TestOTLPGRPCExports(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	col := &grpcCollector{}
	collectormetrics.RegisterMetricsServiceServer(srv, col)
	go srv.Serve(lis)
	defer srv.Stop()

	ctx := context.Background()
	p, err := New(ctx, WithOTLPGRPC(otlpmetricgrpc.WithEndpoint(lis.Addr().String()), otlpmetricgrpc.WithInsecure()))
	if err != nil {
		t.Fatal(err)
	}
	addCounter(t, p, "demo.requests", 1)
	if err := p.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	if !contains(col.got, "demo.requests") {
		t.Fatalf("collector received %v, want demo.requests", col.got)
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
		"WithStdout":         WithStdout(nil),
		"WithExportInterval": WithExportInterval(-1),
	} {
		p, err := New(context.Background(), opt)
		if !errors.Is(err, ErrInvalidOption) || !strings.Contains(err.Error(), name) || p != nil {
			t.Errorf("New(%s) = %v, %v; want ErrInvalidOption naming %s", name, p, err, name)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
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

func TestShutdownReturnsContextError(t *testing.T) {
	// The collector never answers, so the export waits on ctx.
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)

	p, err := New(context.Background(), WithOTLPHTTP(otlpmetrichttp.WithEndpointURL(srv.URL+"/v1/metrics"), otlpmetrichttp.WithRetry(otlpmetrichttp.RetryConfig{Enabled: false})))
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
