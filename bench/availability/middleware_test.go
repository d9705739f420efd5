// Package availability compares the nines server middleware with otelhttp
// around the same handler, both reporting to an SDK MeterProvider, so that
// both do their real work per request.
package availability

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
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

func meterProvider(b *testing.B) *sdkmetric.MeterProvider {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	return mp
}

// nines builds the full middleware: per-route availability and latency SLOs,
// the duration histogram, the detector aggregates, and admission through a
// shedder (with a limit far above the benchmark's rate, so that it admits
// every request after doing its work).
func nines(b *testing.B) http.Handler {
	mp := meterProvider(b)
	shedder, err := admit.NewShedder("bench", admit.ShedderConfig{Rate: 1e12},
		admit.WithMeterProvider(mp))
	if err != nil {
		b.Fatal(err)
	}
	m, err := availability.New(availability.WithMeterProvider(mp), availability.WithShedder(shedder),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999, Latency: 250 * time.Millisecond}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = m.Shutdown(context.Background()) })
	return m.Middleware(handler())
}

func otelHandler(b *testing.B) http.Handler {
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
// lib=otelhttp otelhttp.NewHandler alone.
func BenchmarkServerMiddleware(b *testing.B) {
	b.Run("lib=bare", func(b *testing.B) { run(b, handler()) })
	b.Run("lib=nines", func(b *testing.B) { run(b, nines(b)) })
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
	b.Run("lib=otelhttp", func(b *testing.B) { par(b, otelHandler(b)) })
}
