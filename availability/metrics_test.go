package availability

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func attrString(s attribute.Set) string {
	var parts []string
	for _, kv := range s.ToSlice() {
		parts = append(parts, string(kv.Key)+"="+kv.Value.Emit())
	}
	return strings.Join(parts, ",")
}

// describe lists each metric with its unit and kind, and for the request
// duration histogram each series' attributes and count.
func describe(rm metricdata.ResourceMetrics) string {
	var lines []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			kind := fmt.Sprintf("%T", m.Data)
			kind = strings.TrimPrefix(kind, "metricdata.")
			lines = append(lines, fmt.Sprintf("%s unit=%q %s scope=%s", m.Name, m.Unit, kind, sm.Scope.Name))
			if h, ok := m.Data.(metricdata.Histogram[float64]); ok && m.Name == "http.server.request.duration" {
				for _, dp := range h.DataPoints {
					lines = append(lines, fmt.Sprintf("  {%s} count=%d", attrString(dp.Attributes), dp.Count))
				}
			}
		}
	}
	return strings.Join(sortSeries(lines), "\n") + "\n"
}

// sortSeries sorts the indented series lines under each metric line, and the
// metric blocks by name.
func sortSeries(lines []string) []string {
	type block struct {
		head   string
		series []string
	}
	var blocks []block
	for _, l := range lines {
		if strings.HasPrefix(l, "  ") {
			blocks[len(blocks)-1].series = append(blocks[len(blocks)-1].series, l)
			continue
		}
		blocks = append(blocks, block{head: l})
	}
	sort.Slice(blocks, func(i, j int) bool { return blocks[i].head < blocks[j].head })
	var out []string
	for _, b := range blocks {
		sort.Strings(b.series)
		out = append(out, b.head)
		out = append(out, b.series...)
	}
	return out
}

func TestMetricsGolden(t *testing.T) {
	m, reader, clk := newTestMonitor(t, WithRouteObjectives(RouteObjectives{Availability: 0.999, Latency: time.Second}))
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
	golden(t, "metrics.golden", describe(collect(t, reader)))
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
