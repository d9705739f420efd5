package availability

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nines-sre/nines/remediate/admit"
)

// allocsPerRequest measures the allocations of one request through h with a
// reused request and recorder, so that only the handler chain counts.
func allocsPerRequest(h http.Handler, target string) float64 {
	req := httptest.NewRequest("GET", target, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req) // warm up: routes, attribute sets, pools
	return testing.AllocsPerRun(200, func() {
		rec.Body.Reset()
		h.ServeHTTP(rec, req)
	})
}

func TestMiddlewareAddsNoAllocations(t *testing.T) {
	shedder, err := admit.NewShedder("allocs", admit.ShedderConfig{Rate: 1e9})
	if err != nil {
		t.Fatal(err)
	}
	m, _, _ := newTestMonitor(t, WithShedder(shedder),
		WithRouteObjectives(RouteObjectives{Availability: 0.999, Latency: 100 * time.Millisecond}))
	for _, target := range []string{"/users/1", "/fail", "/nowhere", "/silent"} {
		bare := allocsPerRequest(testMux(), target)
		wrapped := allocsPerRequest(m.Middleware(testMux()), target)
		t.Logf("%s: bare %.1f wrapped %.1f", target, bare, wrapped)
		if wrapped > bare {
			t.Errorf("%s: %.1f allocs wrapped, %.1f bare: the middleware adds %.1f", target, wrapped, bare, wrapped-bare)
		}
	}
}

func TestEndpointDoneDoesNotAllocate(t *testing.T) {
	m, _, _ := newTestMonitor(t, WithRouteObjectives(RouteObjectives{Availability: 0.999, Latency: time.Second}))
	for _, kind := range []EndpointKind{ServerEndpoint, ClientEndpoint} {
		e := m.Endpoint(kind, "/pkg.Service/Method")
		if n := testing.AllocsPerRun(200, func() {
			if m.Endpoint(kind, "/pkg.Service/Method").Admit(admit.Normal) == nil {
				e.Done(time.Millisecond, false)
			}
		}); n != 0 {
			t.Errorf("%v: Endpoint+Admit+Done: %.1f allocs, want 0", kind, n)
		}
	}
}
