package availability

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/remediate/admit"
)

// BenchmarkMiddleware measures the middleware's own work around a tiny
// handler: lib=bare is the mux alone, glue the middleware on a no-op
// MeterProvider without a shedder (clock reads, counters, route lookup,
// the writer), shedder the same with a shedder. bench/availability measures
// the whole, on an SDK MeterProvider, against its peers.
func BenchmarkMiddleware(b *testing.B) {
	mux := http.NewServeMux()
	body := []byte(`{"id":"42"}`)
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) })
	run := func(b *testing.B, h http.Handler) {
		req := httptest.NewRequest("GET", "/items/42", nil)
		rec := httptest.NewRecorder()
		b.ReportAllocs()
		for b.Loop() {
			rec.Body.Reset()
			h.ServeHTTP(rec, req)
		}
	}
	objectives := WithRouteObjectives(RouteObjectives{Availability: 0.999, Latency: 250 * time.Millisecond})
	b.Run("lib=bare", func(b *testing.B) { run(b, mux) })
	b.Run("lib=glue", func(b *testing.B) {
		m, err := New(WithMeterProvider(noop.NewMeterProvider()), objectives)
		if err != nil {
			b.Fatal(err)
		}
		run(b, m.Middleware(mux))
	})
	b.Run("lib=shedder", func(b *testing.B) {
		sh, err := admit.NewShedder("bench", admit.ShedderConfig{Rate: 1e12})
		if err != nil {
			b.Fatal(err)
		}
		m, err := New(WithMeterProvider(noop.NewMeterProvider()), objectives, WithShedder(sh))
		if err != nil {
			b.Fatal(err)
		}
		run(b, m.Middleware(mux))
	})
}
