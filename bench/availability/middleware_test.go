// Package availability compares the nines server middleware with its
// peers around the same handler: otelhttp (reporting to an SDK
// MeterProvider, as nines does, so that both do their real work per
// request) and prometheus/client_golang's promhttp.InstrumentHandlerDuration
// and InstrumentHandlerCounter pair (what many Go services use instead).
package availability

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/admit"
)

func handler() http.Handler {
	mux := http.NewServeMux()
	body := []byte(`{"id":"42","name":"widget"}`)
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	return mux
}

func meterProvider(b testing.TB) *sdkmetric.MeterProvider {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	return mp
}

// nines builds the full middleware: per-route availability and latency SLOs,
// the duration histogram, the detector aggregates, and admission through a
// shedder (with a limit far above the benchmark's rate, so that it admits
// every request after doing its work). The Monitor is started, as a
// service starts it: its recorder goroutine then makes the duration
// histogram's Record calls off the request path.
func nines(b testing.TB) http.Handler {
	mp := meterProvider(b)
	shedder, err := admit.NewShedder("bench", admit.ShedderConfig{Rate: 1e12},
		admit.WithMeterProvider(mp))
	if err != nil {
		b.Fatal(err)
	}
	m, err := availability.New(availability.WithMeterProvider(mp), availability.WithShedder(shedder),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999, Latency: 250 * time.Millisecond}),
		availability.WithDrainDelay(0)) // no load balancer to drain for at Cleanup
	if err != nil {
		b.Fatal(err)
	}
	if err := m.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = m.Shutdown(context.Background()) })
	return m.Middleware(handler())
}

// promhttpHandler is the pair of promhttp middlewares most Go services use:
// a request duration histogram and a request counter, both by code and
// method, on a registry of their own.
func promhttpHandler(b testing.TB) http.Handler {
	reg := prometheus.NewRegistry()
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "http_request_duration_seconds", Help: "Duration of HTTP requests.", Buckets: prometheus.DefBuckets,
	}, []string{"code", "method"})
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "http_requests_total", Help: "HTTP requests.",
	}, []string{"code", "method"})
	reg.MustRegister(duration, requests)
	return promhttp.InstrumentHandlerDuration(duration, promhttp.InstrumentHandlerCounter(requests, handler()))
}

func otelHandler(b testing.TB) http.Handler {
	return otelhttp.NewHandler(handler(), "items",
		otelhttp.WithMeterProvider(meterProvider(b)), otelhttp.WithTracerProvider(tracenoop.NewTracerProvider()))
}

func run(b *testing.B, h http.Handler) {
	req := httptest.NewRequest("GET", "/items/42", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("status %d", rec.Code)
	}
	b.ReportAllocs()
	for b.Loop() {
		rec.Body.Reset()
		h.ServeHTTP(rec, req)
	}
}

// BenchmarkServerMiddleware: lib=bare is the handler alone (the cost of
// net/http's mux and the recorder), lib=nines the full middleware,
// lib=promhttp the promhttp duration and counter pair, lib=otelhttp
// otelhttp.NewHandler alone. Compare each with bare in the same run.
func BenchmarkServerMiddleware(b *testing.B) {
	b.Run("lib=bare", func(b *testing.B) { run(b, handler()) })
	b.Run("lib=nines", func(b *testing.B) { run(b, nines(b)) })
	b.Run("lib=promhttp", func(b *testing.B) { run(b, promhttpHandler(b)) })
	b.Run("lib=otelhttp", func(b *testing.B) { run(b, otelHandler(b)) })
}

// BenchmarkServerMiddlewareParallel is the same under concurrent requests
// (one request and recorder per goroutine).
func BenchmarkServerMiddlewareParallel(b *testing.B) {
	par := func(b *testing.B, h http.Handler) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			req := httptest.NewRequest("GET", "/items/42", nil)
			rec := httptest.NewRecorder()
			for pb.Next() {
				rec.Body.Reset()
				h.ServeHTTP(rec, req)
			}
		})
	}
	b.Run("lib=bare", func(b *testing.B) { par(b, handler()) })
	b.Run("lib=nines", func(b *testing.B) { par(b, nines(b)) })
	b.Run("lib=promhttp", func(b *testing.B) { par(b, promhttpHandler(b)) })
	b.Run("lib=otelhttp", func(b *testing.B) { par(b, otelHandler(b)) })
}

// BenchmarkFloor measures, in isolation, what every request through the
// nines middleware must pay with every feature on: the two clock reads
// (admission instant, end), the shedder's admission, one SDK histogram
// Record with a cached 3-attribute set (method, route, status: the
// http.server.request.duration series of a 200), and the counters' atomic
// adds (two SLOs, the latency bucket, the error count). Their sum is the
// floor of lib=nines minus lib=bare; compare within one run.
func BenchmarkFloor(b *testing.B) {
	b.Run("part=clock", func(b *testing.B) {
		b.ReportAllocs()
		var d time.Duration
		for b.Loop() {
			start := time.Now()
			d += time.Since(start)
		}
		sinkDuration = d
	})
	b.Run("part=shedder", func(b *testing.B) {
		sh, err := admit.NewShedder("bench", admit.ShedderConfig{Rate: 1e12}, admit.WithMeterProvider(meterProvider(b)))
		if err != nil {
			b.Fatal(err)
		}
		t := time.Now()
		b.ReportAllocs()
		for b.Loop() {
			if err := sh.AllowAt(t, "", admit.Normal); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("part=record", func(b *testing.B) {
		h, err := meterProvider(b).Meter("bench").Float64Histogram("http.server.request.duration",
			metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10))
		if err != nil {
			b.Fatal(err)
		}
		opts := []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(
			attribute.String("http.request.method", "GET"), attribute.String("http.route", "/items/{id}"),
			attribute.Int("http.response.status_code", 200)))}
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			h.Record(ctx, 0.0004, opts...)
		}
	})
	b.Run("part=atomics", func(b *testing.B) {
		var c [4]struct {
			n atomic.Uint64
			_ [56]byte
		}
		b.ReportAllocs()
		for b.Loop() {
			c[0].n.Add(1)
			c[1].n.Add(1)
			c[2].n.Add(1)
			c[3].n.Add(1)
		}
	})
}

var sinkDuration time.Duration
