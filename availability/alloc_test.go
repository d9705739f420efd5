package availability

import (
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
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

// neverTrips is a breaker configuration for tests of the admitted path.
var neverTrips = breaker.Config{ConsecutiveFailures: math.MaxUint32}

// permitAllocs is what the breaker's own two-step admission allocates per
// call (Allow and Permit.Done): a client Call carries its permit and must
// add nothing to it.
func permitAllocs(t *testing.T) float64 {
	b, err := breaker.New[struct{}]("allocs", breaker.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return testing.AllocsPerRun(200, func() {
		p, err := b.Allow()
		if err != nil {
			t.Fatal(err)
		}
		p.Done(nil)
	})
}

// TestRoundTripperAddsNoAllocations: around a base transport that
// allocates nothing, RoundTripper adds nothing beyond the breaker permit.
func TestRoundTripperAddsNoAllocations(t *testing.T) {
	m, _, _ := newTestMonitor(t, WithRouteObjectives(RouteObjectives{Availability: 0.999, Latency: time.Second}),
		WithClientBreakers(neverTrips))
	for _, status := range []int{200, 503} {
		resp := &http.Response{StatusCode: status, Body: http.NoBody}
		rt := m.RoundTripper(roundTripFunc(func(*http.Request) (*http.Response, error) { return resp, nil }))
		req := httptest.NewRequest("GET", "http://backend.internal/x", nil)
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if n, want := testing.AllocsPerRun(200, func() { _, _ = rt.RoundTrip(req) }), permitAllocs(t); n != want {
			t.Errorf("status %d: %.1f allocs per round trip, want %.1f (the breaker permit's)", status, n, want)
		}
	}
}

func TestCallDoesNotAllocate(t *testing.T) {
	shedder, err := admit.NewShedder("allocs", admit.ShedderConfig{Rate: 1e9})
	if err != nil {
		t.Fatal(err)
	}
	m, _, _ := newTestMonitor(t, WithShedder(shedder), WithClientBreakers(neverTrips),
		WithRouteObjectives(RouteObjectives{Availability: 0.999, Latency: time.Second}))
	const name = "/pkg.Service/Method"
	permit := permitAllocs(t)
	for _, kind := range []EndpointKind{ServerEndpoint, ClientEndpoint} {
		want := 0.0
		if kind == ClientEndpoint {
			want = permit // the breaker's own, nothing of ours
		}
		m.Endpoint(kind, name)
		// The finishing method is chosen by a switch, not a func value:
		// passing &c to an unknown function would move c to the heap.
		for _, finish := range []string{"Done", "DoneBad", "DoneAt", "Cancel"} {
			if n := testing.AllocsPerRun(200, func() {
				c, err := m.Endpoint(kind, name).Admit(admit.Normal)
				if err != nil {
					t.Fatal(err)
				}
				switch finish {
				case "Done":
					c.Done(false)
				case "DoneBad":
					c.Done(true)
				case "DoneAt":
					c.DoneAt(t0, false)
				case "Cancel":
					c.Cancel()
				}
			}); n != want {
				t.Errorf("%v: Endpoint+Admit+%s: %.1f allocs, want %.1f", kind, finish, n, want)
			}
		}
	}
	shedder.SetLevel(admit.Critical)
	if n := testing.AllocsPerRun(200, func() {
		if _, err := m.Endpoint(ServerEndpoint, name).Admit(admit.Normal); err == nil {
			t.Fatal("admitted below the shedding level")
		}
	}); n != 0 {
		t.Errorf("refused server Admit: %.1f allocs, want 0", n)
	}
}
