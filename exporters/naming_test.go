package exporters

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

func scrape(t *testing.T, p *Provider) string {
	t.Helper()
	rec := httptest.NewRecorder()
	p.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, err := io.ReadAll(rec.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPrometheusNaming locks how the OTel Prometheus exporter names the slo
// instruments, because the generated rules (PrometheusRules) select them by
// these exact names: slo.events becomes slo_events_total whatever its unit
// ("", "1" or "{event}": counters get no _ratio suffix), attributes become
// slo_name and slo_outcome, and every series carries otel_scope_* labels,
// which the rules aggregate away.
func TestPrometheusNaming(t *testing.T) {
	for _, unit := range []string{"", "1", "{event}"} {
		t.Run("unit="+unit, func(t *testing.T) {
			p, err := New(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer p.Shutdown(context.Background())
			m := p.MeterProvider().Meter("github.com/nines-sre/nines/slo")
			_, err = m.Int64ObservableCounter("slo.events", metric.WithUnit(unit),
				metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
					o.Observe(7, metric.WithAttributes(attribute.String("slo.name", "checkout"), attribute.String("slo.outcome", "good")))
					o.Observe(2, metric.WithAttributes(attribute.String("slo.name", "checkout"), attribute.String("slo.outcome", "bad")))
					return nil
				}))
			if err != nil {
				t.Fatal(err)
			}
			out := scrape(t, p)
			for _, want := range []string{
				"# TYPE " + DefaultEventsMetric + " counter\n",
				DefaultEventsMetric + `{otel_scope_name="github.com/nines-sre/nines/slo",otel_scope_schema_url="",otel_scope_version="",slo_name="checkout",slo_outcome="bad"} 2` + "\n",
				DefaultEventsMetric + `{otel_scope_name="github.com/nines-sre/nines/slo",otel_scope_schema_url="",otel_scope_version="",slo_name="checkout",slo_outcome="good"} 7` + "\n",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("exposition lacks %q; got:\n%s", want, out)
				}
			}
		})
	}
}
