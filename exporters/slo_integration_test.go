package exporters

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/slo"
)

// TestSLOMetricsThroughPrometheus scrapes a real slo.Set through New's
// Prometheus exporter and checks the names the generated rules select
// (slo_events_total{slo_name, slo_outcome}) and the names of the other slo
// instruments, which dashboards and the end-to-end check read.
func TestSLOMetricsThroughPrometheus(t *testing.T) {
	ctx := context.Background()
	p, err := New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(ctx)
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return t0 }
	set, err := slo.NewSet(slo.WithMeterProvider(p.MeterProvider()), slo.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer set.Shutdown(ctx)
	s, err := slo.New(slo.Objective{Name: "checkout", Target: 0.999, Window: slo.Window{Rolling: 30 * day}}, slo.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Add(s); err != nil {
		t.Fatal(err)
	}
	s.AddAt(t0, 97, 3)

	var names []string
	seen := map[string]bool{}
	series := regexp.MustCompile(`^([a-z_]+)\{`)
	out := scrape(t, p)
	for _, line := range strings.Split(out, "\n") {
		if m := series.FindStringSubmatch(line); m != nil && strings.HasPrefix(m[1], "slo_") && !seen[m[1]] {
			seen[m[1]] = true
			names = append(names, m[1])
		}
	}
	sort.Strings(names)
	want := "slo_alert_status_ratio slo_burn_rate_ratio slo_error_budget_remaining_ratio slo_events_total slo_objective_ratio"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("slo series names\n got %s\nwant %s", got, want)
	}
	// 3 bad of 100 on a 0.999 objective: burn rate 30 (as 1-0.999 is in floats).
	for _, line := range []string{
		`slo_events_total{otel_scope_name="github.com/nines-sre/nines/slo",otel_scope_schema_url="",otel_scope_version="",slo_name="checkout",slo_outcome="bad"} 3`,
		`slo_events_total{otel_scope_name="github.com/nines-sre/nines/slo",otel_scope_schema_url="",otel_scope_version="",slo_name="checkout",slo_outcome="good"} 97`,
		`slo_burn_rate_ratio{otel_scope_name="github.com/nines-sre/nines/slo",otel_scope_schema_url="",otel_scope_version="",slo_name="checkout",slo_window="5m"} 29.9999`,
	} {
		if !strings.Contains(out, line) {
			t.Errorf("exposition lacks %s", line)
		}
	}
	if t.Failed() {
		t.Logf("exposition:\n%s", out)
	}
}
