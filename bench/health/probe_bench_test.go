package health

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"
)

type contender struct {
	name     string
	build    func(testing.TB, *deps) http.Handler
	accept   string // Accept header of the probe; "" for none
	failFast bool   // check 0 fails at once instead of hanging (see deps)
}

var contenders = []contender{
	{"nines/text", ninesHandler, "", false},
	{"nines/text/fail-fast", ninesHandler, "", true},
	{"nines/health+json", ninesHandler, "application/health+json", false},
	{"alexliesenfeld/per-request", alexSync(0), "", false},
	{"alexliesenfeld/per-request/fail-fast", alexSync(0), "", true},
	{"alexliesenfeld/per-request-cache1s", alexSync(time.Second), "", false},
	{"alexliesenfeld/periodic", alexPeriodic, "", false},
	{"hellofresh", hellofreshHandler, "", false},
	{"hellofresh/fail-fast", hellofreshHandler, "", true},
}

// probeRequest returns the readiness probe a kubelet would send.
func probeRequest(accept string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/readyz", nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return req
}

// BenchmarkProbe measures one readiness probe through each contender's
// handler with 20 checks, one hanging, and counts the dependency calls the
// probes cause.
func BenchmarkProbe(b *testing.B) {
	for _, c := range contenders {
		b.Run(c.name, func(b *testing.B) {
			d := newDeps(b)
			d.failFast = c.failFast
			h := c.build(b, d)
			req := probeRequest(c.accept)
			// Every contender reports check 0 (hanging or failing) as down.
			if code := serve(h, req); code != http.StatusServiceUnavailable {
				b.Fatalf("probe answered %d, want 503", code)
			}
			before, goroutines := d.calls.Load(), runtime.NumGoroutine()
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
			calls := d.calls.Load() - before
			b.ReportMetric(float64(calls)*1000/float64(b.N), "depcalls/1000probes")
			// Goroutines still alive after the loop: a per-request library
			// leaves one blocked on the hung dependency per probe.
			grown := max(runtime.NumGoroutine()-goroutines, 0)
			b.ReportMetric(float64(grown)*1000/float64(b.N), "stuckgoroutines/1000probes")
		})
	}
}

func serve(h http.Handler, req *http.Request) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}
