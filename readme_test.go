package nines_test

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/exporters"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/slo"
	"github.com/nines-sre/nines/slo/openslo"
)

// The tests in this file run the README's snippets (sections "One Monitor
// around a service", "Health checks", "SLOs", "OpenSLO", "Fleet-wide SLOs
// in Prometheus" and "Exporters") as written, and check that they do what
// the README says. ExampleWithHTTP in exporters/otlp runs the OTLP line of
// "Exporters"; ExampleBreaker_Execute in remediate/breaker runs "Defending
// a dependency".

func get(t *testing.T, client *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// One Monitor around a service: the MeterProvider from exporters.New
// reaches Prometheus through the Monitor's /metrics, the middleware
// measures the routes, the client goes through the Monitor's breakers.
func TestReadmeMonitorAroundAService(t *testing.T) {
	ctx := context.Background()
	prov, err := exporters.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer prov.Shutdown(ctx)
	m, err := availability.New(
		availability.WithMeterProvider(prov.MeterProvider()),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999, Latency: 300 * time.Millisecond, LatencyTarget: 0.99}),
		availability.WithRoutes("GET /hello"),
		availability.WithDependencies(availability.Dependency{Name: "inventory", Hosts: []string{"inventory.internal"}}),
		availability.WithMetricsHandler(prov.MetricsHandler()),
		availability.WithDrainDelay(0), // not in the README: the test does not wait out the drain
	)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := exporters.PrometheusRules(m.Objectives())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"slo_name: route:GET:hello:availability", "slo_name: client:inventory:latency"} {
		if !strings.Contains(string(rules), want) {
			t.Errorf("rules from m.Objectives() before any traffic lack %q", want)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "hello") })
	srv := httptest.NewServer(m.Middleware(mux))
	defer srv.Close()
	ops := httptest.NewServer(m.Handler())
	defer ops.Close()
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Shutdown(ctx)

	client := &http.Client{Transport: m.RoundTripper(nil)}
	defer client.CloseIdleConnections()
	if code, body := get(t, client, srv.URL+"/hello"); code != 200 || body != "hello" {
		t.Fatalf("GET /hello through the Monitor's client = %d %q", code, body)
	}
	plain := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if code, _ := get(t, plain, ops.URL+"/readyz"); code != 200 {
		t.Errorf("GET /readyz = %d, want 200", code)
	}
	code, body := get(t, plain, ops.URL+"/metrics")
	want := `slo_events_total{otel_scope_name=`
	if code != 200 || !strings.Contains(body, want) || !strings.Contains(body, `slo_name="route:GET:hello:availability"`) {
		t.Errorf("GET /metrics = %d without the /hello route's %s...:\n%.1500s", code, want, body)
	}
}

// OpenSLO: every objective openslo.Parse returns is one slo.New accepts.
func TestReadmeOpenSLO(t *testing.T) {
	data, err := os.ReadFile("slo/openslo/testdata/openslo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	objs, _, err := openslo.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3 {
		t.Fatalf("Parse returned %d objectives, want the 3 of the file", len(objs))
	}
	for _, o := range objs {
		if _, err := slo.New(o); err != nil {
			t.Errorf("slo.New(%s): %v", o.Name, err)
		}
	}
}

// Fleet-wide SLOs: the rules written to a file are a Prometheus rule file
// with the series and alert the README names, for every objective.
func TestReadmeFleetRules(t *testing.T) {
	objectives := []slo.Objective{
		{Name: "checkout", Target: 0.999, Window: slo.Window{Rolling: 30 * 24 * time.Hour}},
		{Name: "search", Target: 0.99, Window: slo.Window{Rolling: 7 * 24 * time.Hour}},
	}
	rules, err := exporters.PrometheusRules(objectives)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "nines-slo.rules.yml")
	if err := os.WriteFile(file, rules, 0o644); err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(written)
	if !strings.HasPrefix(text, "groups:\n") {
		t.Fatalf("rule file does not start with groups:\n%.300s", text)
	}
	for _, want := range []string{
		"name: nines-slo-checkout", "name: nines-slo-search",
		"record: slo:error_ratio", "record: slo:burn_rate", "record: slo:sli",
		"record: slo:error_budget:remaining", "alert: SLOErrorBudgetBurn",
		"severity: page", "severity: ticket",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("rule file lacks %q", want)
		}
	}
}

// Exporters: exporters.New(ctx) alone serves the Prometheus exposition on
// the mux's /metrics.
func TestReadmeExporters(t *testing.T) {
	ctx := context.Background()
	prov, err := exporters.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer prov.Shutdown(ctx)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", prov.MetricsHandler())

	c, err := prov.MeterProvider().Meter("readme").Int64Counter("demo.requests")
	if err != nil {
		t.Fatal(err)
	}
	c.Add(ctx, 2)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "demo_requests_total{") || !strings.Contains(body, "} 2\n") {
		t.Errorf("GET /metrics = %d:\n%.1000s", rec.Code, body)
	}
}

// fakeDB is the db of the Health checks snippet: PingContext fails while
// down is set.
type fakeDB struct{ down atomic.Bool }

func (d *fakeDB) PingContext(context.Context) error {
	if d.down.Load() {
		return errors.New("connection refused")
	}
	return nil
}

// waitStatus polls url until it answers want, failing the test after a
// generous bound (the checks run in the background; nothing is timed).
func waitStatus(t *testing.T, client *http.Client, url string, want int) string {
	t.Helper()
	var code int
	var body string
	for range 1000 {
		if code, body = get(t, client, url); code == want {
			return body
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("GET %s = %d %q, want %d", url, code, body, want)
	return ""
}

// Health checks: the db check gates readiness, SIGTERM drains readiness
// while liveness stays up.
func TestReadmeHealthChecks(t *testing.T) {
	ctx := context.Background()
	db := &fakeDB{}
	mux := http.NewServeMux()

	// As in the README, with a short Interval and no drain delay so that
	// the test is quick.
	r := health.NewRegistry(health.WithDrainDelay(0))
	if err := r.Register(health.Check{Name: "db", External: true, Interval: 20 * time.Millisecond, Func: func(ctx context.Context) health.Result {
		if err := db.PingContext(ctx); err != nil {
			return health.Fail(err)
		}
		return health.Pass()
	}}); err != nil {
		t.Fatal(err)
	}
	for path, g := range map[string]health.Group{"/livez": health.Liveness, "/readyz": health.Readiness, "/startupz": health.Startup} {
		mux.Handle(path, r.Handler(g))
		mux.Handle(path+"/", r.Handler(g))
	}
	stop := health.DrainOnSignal(ctx, r) // SIGTERM: readiness "draining", liveness stays up
	defer stop()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Shutdown(ctx)

	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := srv.Client()
	waitStatus(t, client, srv.URL+"/readyz", http.StatusOK)
	if code, _ := get(t, client, srv.URL+"/readyz/db"); code != http.StatusOK {
		t.Errorf("GET /readyz/db = %d, want 200", code)
	}
	db.down.Store(true)
	waitStatus(t, client, srv.URL+"/readyz", http.StatusServiceUnavailable)
	if code, _ := get(t, client, srv.URL+"/livez"); code != http.StatusOK {
		t.Errorf("GET /livez while the external db is down = %d, want 200", code)
	}
	db.down.Store(false)
	waitStatus(t, client, srv.URL+"/readyz", http.StatusOK)

	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	body := waitStatus(t, client, srv.URL+"/readyz?verbose", http.StatusServiceUnavailable)
	if !strings.Contains(body, "draining") {
		t.Errorf("/readyz?verbose after SIGTERM = %q, want it to say draining", body)
	}
	if code, _ := get(t, client, srv.URL+"/livez"); code != http.StatusOK {
		t.Errorf("GET /livez after SIGTERM = %d, want 200", code)
	}
}

// SLOs: Record counts per request, Status reports the burn rates, the
// budget and the tiers.
func TestReadmeSLO(t *testing.T) {
	s, err := slo.New(slo.Objective{Name: "checkout", Target: 0.999, Window: slo.Window{Rolling: 30 * 24 * time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		good := i%100 != 0 // 1% bad: ten times the 0.1% budget
		s.Record(good)
	}
	st := s.Status()
	if st.Good != 990 || st.Bad != 10 {
		t.Fatalf("Status counts %d good, %d bad, want 990, 10", st.Good, st.Bad)
	}
	w, ok := st.Window(5 * time.Minute)
	if !ok || math.Abs(w.BurnRate-10) > 1e-9 {
		t.Errorf("5m burn rate = %v (found %v), want 10", w.BurnRate, ok)
	}
	if st.BudgetRemaining >= 1 || len(st.Tiers) != 4 {
		t.Errorf("budget remaining %v with %d tiers, want < 1 and the 4 default tiers", st.BudgetRemaining, len(st.Tiers))
	}
}
