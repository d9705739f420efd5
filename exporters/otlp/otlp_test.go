package otlp_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	collectormetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/nines-sre/nines/exporters"
	"github.com/nines-sre/nines/exporters/otlp"
)

// addCounter records n on a synchronous counter named name.
func addCounter(t testing.TB, p *exporters.Provider, name string, n int64) {
	t.Helper()
	c, err := p.MeterProvider().Meter("otlp-test").Int64Counter(name)
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

// httpCollector is an OTLP/HTTP collector on loopback that records the
// names of the metrics it receives.
type httpCollector struct {
	*httptest.Server
	mu  sync.Mutex
	got []string
}

func newHTTPCollector() *httpCollector {
	c := &httpCollector{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req collectormetrics.ExportMetricsServiceRequest
		if r.URL.Path != "/v1/metrics" || proto.Unmarshal(body, &req) != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		c.mu.Lock()
		c.got = append(c.got, metricNames(&req)...)
		c.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		b, _ := proto.Marshal(&collectormetrics.ExportMetricsServiceResponse{})
		w.Write(b)
	}))
	return c
}

func (c *httpCollector) names() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.got)
}

// Prometheus and OTLP/HTTP side by side: the collector receives the
// counter at ForceFlush and the exposition still has it.
func TestHTTPExports(t *testing.T) {
	col := newHTTPCollector()
	defer col.Close()
	ctx := context.Background()
	p, err := exporters.New(ctx, exporters.WithPrometheus(), otlp.WithHTTP(otlpmetrichttp.WithEndpointURL(col.URL+"/v1/metrics")))
	if err != nil {
		t.Fatal(err)
	}
	addCounter(t, p, "demo.requests", 1)
	if err := p.ForceFlush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := col.names(); !slices.Contains(got, "demo.requests") {
		t.Errorf("collector received %v after ForceFlush, want demo.requests", got)
	}
	if err := p.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if p.MetricsHandler() == nil {
		t.Error("WithPrometheus given, but no MetricsHandler")
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

// OTLP/gRPC alone: Prometheus is off, and Shutdown flushes to the collector.
func TestGRPCExports(t *testing.T) {
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
	p, err := exporters.New(ctx, otlp.WithGRPC(otlpmetricgrpc.WithEndpoint(lis.Addr().String()), otlpmetricgrpc.WithInsecure()))
	if err != nil {
		t.Fatal(err)
	}
	if p.MetricsHandler() != nil {
		t.Error("Prometheus enabled although only otlp.WithGRPC was given")
	}
	addCounter(t, p, "demo.requests", 1)
	if err := p.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	if !slices.Contains(col.got, "demo.requests") {
		t.Fatalf("collector received %v, want demo.requests", col.got)
	}
}

// A collector that never answers: Shutdown with a cancelled ctx returns
// context.Canceled itself, not wrapped.
func TestShutdownReturnsContextError(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)

	p, err := exporters.New(context.Background(), otlp.WithHTTP(otlpmetrichttp.WithEndpointURL(srv.URL+"/v1/metrics"), otlpmetrichttp.WithRetry(otlpmetrichttp.RetryConfig{Enabled: false})))
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

// A configuration the OTLP exporter rejects (TLS settings for a plain-HTTP
// endpoint) fails New with an error that says which exporter, and leaves
// nothing running (goleak checks).
func TestRejectedConfigFailsNew(t *testing.T) {
	var buf strings.Builder
	p, err := exporters.New(context.Background(),
		exporters.WithStdout(&buf),
		otlp.WithHTTP(otlpmetrichttp.WithInsecure(), otlpmetrichttp.WithTLSClientConfig(&tls.Config{})))
	if err == nil {
		p.Shutdown(context.Background())
		t.Fatal("New accepted TLS settings for an insecure endpoint")
	}
	if !strings.HasPrefix(err.Error(), "exporters: WithExporter: otlp: http: ") || errors.Is(err, exporters.ErrInvalidConfig) {
		t.Errorf("error %q, want it prefixed with the exporter", err)
	}
}
