package nines_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/exporters"
	"github.com/nines-sre/nines/slo"
	"github.com/nines-sre/nines/slo/openslo"
)

// The tests in this file run the README's snippets (sections "One Monitor
// around a service", "OpenSLO", "Fleet-wide SLOs in Prometheus" and
// "Exporters") as written, and check that they do what the README says.
// ExampleWithHTTP in exporters/otlp runs the OTLP line of "Exporters".

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
		availability.WithMetricsHandler(prov.MetricsHandler()),
	)
	if err != nil {
		t.Fatal(err)
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
	if code != 200 || !strings.Contains(body, want) || !strings.Contains(body, `slo_name="route:GET__hello:availability"`) {
		t.Errorf("GET /metrics = %d without the /hello route's %s...:\n%.1500s", code, want, body)
	}
}

// OpenSLO: every objective openslo.Parse returns is one slo.New accepts.
func TestReadmeOpenSLO(t *testing.T) {
	data, err := os.ReadFile("slo/openslo/testdata/openslo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	objs, err := openslo.Parse(data)
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
