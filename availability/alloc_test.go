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

// TestRoundTripperAddsNoAllocations: around a base transport that
// allocates nothing, RoundTripper allocates nothing either, breaker permit
// included.
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
		if n := testing.AllocsPerRun(200, func() { _, _ = rt.RoundTrip(req) }); n != 0 {
			t.Errorf("status %d: %.1f allocs per round trip, want 0", status, n)
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
	for _, kind := range []EndpointKind{ServerEndpoint, ClientEndpoint} {
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
			}); n != 0 {
				t.Errorf("%v: Endpoint+Admit+%s: %.1f allocs, want 0", kind, finish, n)
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

// TestShedPathAllocations: a shed request costs what answering it costs
// (the recorder copies the header map) plus the mux's routing lookup, which
// allocates only for a pattern with wildcards (the matched values).
func TestShedPathAllocations(t *testing.T) {
	shedder, err := admit.NewShedder("allocs", admit.ShedderConfig{})
	if err != nil {
		t.Fatal(err)
	}
	shedder.SetLevel(admit.Critical)
	m, _, _ := newTestMonitor(t, WithShedder(shedder))
	answer := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header()["Retry-After"] = retryAfterValue
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	mux := testMux()
	for _, target := range []string{"/fail", "/nowhere", "/users/1"} {
		bare := allocsPerRequest(answer, target)
		_, _ = mux.Handler(httptest.NewRequest("GET", target, nil))
		routing := testing.AllocsPerRun(200, func() { _, _ = mux.Handler(httptest.NewRequest("GET", target, nil)) }) -
			testing.AllocsPerRun(200, func() { _ = httptest.NewRequest("GET", target, nil) })
		shed := allocsPerRequest(m.Middleware(mux), target)
		t.Logf("%s: answer %.1f routing %.1f shed %.1f", target, bare, routing, shed)
		if shed > bare+max(routing, 0) {
			t.Errorf("%s: shed request %.1f allocs, answering alone %.1f, routing %.1f", target, shed, bare, routing)
		}
	}
}
