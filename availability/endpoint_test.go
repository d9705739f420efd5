package availability

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
	"github.com/nines-sre/nines/slo"
)

// recordingDetector remembers what it was fed, per detector instance.
type recordingDetector struct {
	mu     sync.Mutex
	values []float64
}

func (d *recordingDetector) ObserveAt(_ time.Time, v float64) detect.Result {
	d.mu.Lock()
	d.values = append(d.values, v)
	d.mu.Unlock()
	return detect.Result{}
}
func (d *recordingDetector) Name() string { return "recording" }
func (d *recordingDetector) Reset()       {}

func TestClientEndpointAdmitDone(t *testing.T) {
	m, _, _ := newTestMonitor(t, WithClientBreakers(breaker.Config{ConsecutiveFailures: 2, OpenTimeout: time.Hour}))
	e := m.Endpoint(ClientEndpoint, "inventory")
	for i := range 2 {
		c, err := e.Admit(admit.Normal)
		if err != nil {
			t.Fatalf("call %d refused: %v", i, err)
		}
		c.Done(true)
	}
	_, err := e.Admit(admit.Normal)
	if !errors.Is(err, breaker.ErrOpen) || !strings.HasPrefix(err.Error(), "availability: inventory: ") {
		t.Fatalf("Admit after two failures: %v, want ErrOpen", err)
	}
	if e.Name() != "inventory" || e.Kind() != ClientEndpoint || e.Kind().String() != "client" {
		t.Errorf("endpoint %q %v", e.Name(), e.Kind())
	}
}

func TestServerEndpointAdmitSheds(t *testing.T) {
	s, err := admit.NewShedder("t", admit.ShedderConfig{})
	if err != nil {
		t.Fatal(err)
	}
	s.SetLevel(admit.Normal)
	m, _, _ := newTestMonitor(t, WithShedder(s))
	e := m.Endpoint(ServerEndpoint, "/svc/M")
	if c, err := e.AdmitAt(t0, admit.Sheddable); !errors.Is(err, admit.ErrShed) || c.e != nil {
		t.Errorf("sheddable below the level: %+v, %v; want the zero Call and ErrShed", c, err)
	}
	if _, err := e.AdmitAt(t0, admit.Critical); err != nil {
		t.Errorf("critical: %v", err)
	}
	if e.refused.Load() != 1 || m.shedTotal.Load() != 1 {
		t.Errorf("shed endpoint %d, monitor %d; want 1, 1", e.refused.Load(), m.shedTotal.Load())
	}
	if e.requests() != 0 {
		t.Error("a shed call was counted as a request")
	}
}

func TestNewValidation(t *testing.T) {
	for _, tc := range []struct {
		opt  Option
		want string
	}{
		{WithTickInterval(time.Microsecond), "WithTickInterval = 1µs"},
		{WithTickInterval(time.Hour), "WithTickInterval = 1h0m0s"},
		{WithMaxRoutes(-1), "WithMaxRoutes = -1"},
		{WithMaxRoutes(MaxMaxRoutes + 1), "WithMaxRoutes = 10001"},
		{WithRouteObjectives(RouteObjectives{Availability: 1}), "RouteObjectives.Availability = 1"},
		{WithRouteObjectives(RouteObjectives{Availability: math.NaN()}), "RouteObjectives.Availability = NaN"},
		{WithRouteObjectives(RouteObjectives{Latency: -time.Second}), "RouteObjectives.Latency = -1s"},
		{WithRouteObjectives(RouteObjectives{Latency: time.Second, LatencyTarget: 2}), "RouteObjectives.LatencyTarget = 2"},
		{WithRouteObjectives(RouteObjectives{LatencyTarget: 0.9}), "RouteObjectives.LatencyTarget = 0.9: is set without a Latency"},
		{WithRouteObjectives(RouteObjectives{Availability: 0.999, LatencyTarget: 0.99}), "RouteObjectives.LatencyTarget = 0.99: is set without a Latency"},
		{WithRouteObjectives(RouteObjectives{LatencyTarget: math.NaN()}), "RouteObjectives.LatencyTarget = NaN"},
		{WithRouteObjectives(RouteObjectives{Availability: 0.9, Window: slo.Window{Rolling: time.Minute}}), "RouteObjectives"},
		{WithClientBreakers(breaker.Config{FailureRatio: 2}), "WithClientBreakers"},
	} {
		_, err := New(tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "availability: invalid config: ") ||
			!errors.Is(err, ErrInvalidConfig) {
			t.Errorf("New(%s...): %v", tc.want, err)
		}
	}
	m, err := New(nil, WithHealth(nil), WithDetector(nil), WithClock(nil))
	if err != nil {
		t.Fatalf("nil options: %v", err)
	}
	defer m.Shutdown(context.Background())
	if m.Health() == nil || m.SLOs() == nil || m.Detectors() == nil {
		t.Error("nil accessor")
	}
}

func TestSLONameCollisions(t *testing.T) {
	m, _, _ := newTestMonitor(t, WithRouteObjectives(RouteObjectives{Availability: 0.99, Latency: time.Second}))
	a := m.Endpoint(ServerEndpoint, "GET /a/b")
	b := m.Endpoint(ServerEndpoint, "GET /a.b")
	got := []string{a.avail.Name(), a.lat.Name(), b.avail.Name(), b.lat.Name(), a.ID(), b.ID()}
	want := []string{"route:GET:a.b:availability", "route:GET:a.b:latency", "route:GET:a.b-2:availability", "route:GET:a.b-2:latency",
		"GET:a.b", "GET:a.b-2"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("SLO names %v, want %v", got, want)
		}
	}
}

func TestMiddlewarePriorityClassifier(t *testing.T) {
	s, err := admit.NewShedder("t", admit.ShedderConfig{})
	if err != nil {
		t.Fatal(err)
	}
	s.SetLevel(admit.Critical)
	m, _, _ := newTestMonitor(t, WithShedder(s), WithPriority(func(r *http.Request) admit.Priority {
		if r.Header.Get("X-Priority") == "critical" {
			return admit.Critical
		}
		return admit.Normal
	}))
	h := m.Middleware(testMux())
	if rec := serve(h, "GET", "/users/1"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("normal request under a critical-only level: %d, want 503", rec.Code)
	}
	req := httptest.NewRequest("GET", "/users/1", nil)
	req.Header.Set("X-Priority", "critical")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("critical request: %d, want 200", rec.Code)
	}
}

func TestEndpointEmptyName(t *testing.T) {
	m, _, _ := newTestMonitor(t)
	if e := m.Endpoint(ServerEndpoint, ""); e.Name() != RouteUnmatched {
		t.Errorf("server endpoint \"\" named %q", e.Name())
	}
	if e := m.Endpoint(ClientEndpoint, ""); e.Name() != RouteOther {
		t.Errorf("client endpoint \"\" named %q", e.Name())
	}
	if e := m.Endpoint(EndpointKind(7), "x"); e.Kind() != ServerEndpoint {
		t.Errorf("unknown kind became %v", e.Kind())
	}
}

// One spelling per endpoint: the ID of each kind of name, as every SLO,
// series and breaker name uses it.
func TestEndpointIDs(t *testing.T) {
	for name, want := range map[string]string{
		"GET /products/{id}":    "GET:products.id",
		"POST /orders/":         "POST:orders.",
		"/":                     "root",
		"GET /":                 "GET:root",
		"GET /files/{path...}":  "GET:files.path...",
		"example.com/x":         "example.com.x",
		"/pkg.v1.Stock/Reserve": "pkg.v1.Stock.Reserve",
		"127.0.0.1:8080":        "127.0.0.1:8080",
		"inventory":             "inventory",
		"GET /héllo":            "GET:h__llo",
		RouteUnmatched:          RouteUnmatched,
		"DELETE /a b":           "DELETE:a_b",
	} {
		if got := spellID(name); got != want {
			t.Errorf("spellID(%q) = %q, want %q", name, got, want)
		}
	}
	m, _, _ := newTestMonitor(t, WithRouteObjectives(RouteObjectives{Availability: 0.99}),
		WithDependencies(Dependency{Name: "inventory", Hosts: []string{"Inv.internal:8080"}}),
		WithClientBreakers(breaker.Config{}))
	e := m.Endpoint(ServerEndpoint, "GET /products/{id}")
	if e.seriesP99 != "route:GET:products.id:p99" || e.avail.Name() != "route:GET:products.id:availability" {
		t.Errorf("route names %q, %q", e.seriesP99, e.avail.Name())
	}
	d := m.Endpoint(ClientEndpoint, m.clientName("inv.internal:8080"))
	if d.ID() != "inventory" || d.breaker.Name() != "client:inventory" || d.avail.Name() != "client:inventory:availability" {
		t.Errorf("dependency names %q, %q, %q", d.ID(), d.breaker.Name(), d.avail.Name())
	}
}
