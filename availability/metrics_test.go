package availability

import (
	"flag"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/internal/metrictest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// describe renders the instrumentation scopes, the schema of every metric,
// then each series of http.server.request.duration with its count (its sum
// is measured time, not a golden value).
func describe(c metrictest.Collection) []string {
	var lines []string
	for _, s := range c.Scopes() {
		lines = append(lines, "scope "+s)
	}
	lines = append(lines, c.Schema()...)
	d, _ := c.Metric("http.server.request.duration")
	for _, p := range d.Points {
		var attrs []string
		for _, kv := range p.Attrs.ToSlice() {
			attrs = append(attrs, string(kv.Key)+"="+kv.Value.Emit())
		}
		lines = append(lines, fmt.Sprintf("http.server.request.duration {%s} count=%d", strings.Join(attrs, ","), p.Count))
	}
	return lines
}

func TestMetricsGolden(t *testing.T) {
	m, mp, clk := newTestMonitor(t, WithRouteObjectives(RouteObjectives{Availability: 0.999, Latency: time.Second}),
		WithDetectorStep(time.Second), WithDetectorMinRequests(1))
	h := m.Middleware(testMux())
	for _, r := range []struct{ method, target string }{
		{"GET", "/users/1"}, {"GET", "/users/2"}, {"GET", "/fail"}, {"GET", "/panic"},
		{"GET", "/nowhere"}, {"BREW", "/users/1"}, {"get", "/users/1"},
	} {
		serve(h, r.method, r.target)
	}
	srvClient := &http.Client{Transport: m.RoundTripper(roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	}))}
	resp, err := srvClient.Get("http://backend.internal:8080/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	m.TickAt(clk.Add(time.Second))
	metrictest.GoldenFile(t, "testdata/metrics.golden", describe(mp.Collect(t)), *update)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
