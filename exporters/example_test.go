package exporters_test

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/nines-sre/nines/exporters"
	"github.com/nines-sre/nines/slo"
)

// The default Provider exports to Prometheus only; serve MetricsHandler on
// /metrics and pass MeterProvider to the other packages.
func ExampleNew() {
	ctx := context.Background()
	p, err := exporters.New(ctx)
	if err != nil {
		panic(err)
	}
	defer p.Shutdown(ctx)

	requests, _ := p.MeterProvider().Meter("example").Int64Counter("demo.requests")
	requests.Add(ctx, 3)

	rec := httptest.NewRecorder()
	p.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, "demo_requests_total") {
			fmt.Println(line)
		}
	}
	// Output:
	// demo_requests_total{otel_scope_name="example",otel_scope_schema_url="",otel_scope_version=""} 3
}

// Rules for one objective: a 99.9% availability over 7 rolling days that
// pages when 10% of the week's budget burns within an hour.
func ExamplePrometheusRules() {
	rules, err := exporters.PrometheusRules([]slo.Objective{{
		Name:   "checkout",
		Target: 0.999,
		Window: slo.Window{Rolling: 7 * 24 * time.Hour},
		Tiers: []slo.Tier{
			{Severity: slo.SeverityPage, BudgetPercent: 10, Long: time.Hour, Short: 5 * time.Minute},
		},
	}}, exporters.WithEvaluationInterval(time.Minute))
	if err != nil {
		panic(err)
	}
	fmt.Print(string(rules))
	// Output:
	// groups:
	//   - name: nines-slo-checkout
	//     interval: 1m
	//     rules:
	//       - record: slo:events:total
	//         expr: |-
	//           sum by (slo_name, slo_outcome) (
	//               (slo_events_total{slo_name="checkout"} - last_over_time(slo:events:seen{slo_name="checkout"}[10m])) >= 0
	//             or
	//               (slo_events_total{slo_name="checkout"} and last_over_time(slo:events:seen{slo_name="checkout"}[10m]))
	//             or
	//               last_over_time(slo:events:total{slo_name="checkout"}[1h])
	//             or
	//               label_replace(label_replace(vector(0), "slo_name", "checkout", "", ""), "slo_outcome", "good", "", "")
	//             or
	//               label_replace(label_replace(vector(0), "slo_name", "checkout", "", ""), "slo_outcome", "bad", "", "")
	//           )
	//         labels:
	//           slo_name: checkout
	//       - record: slo:events:seen
	//         expr: slo_events_total{slo_name="checkout"}
	//         labels:
	//           slo_name: checkout
	//       - record: slo:events:origin
	//         expr: |-
	//           last_over_time(slo:events:origin{slo_name="checkout"}[1h])
	//           or
	//           max by (slo_name) (slo_events_total{slo_name="checkout"}) * 0 + time()
	//         labels:
	//           slo_name: checkout
	//       - record: slo:events:increase
	//         expr: |-
	//           (
	//             slo:events:total{slo_name="checkout"} - last_over_time(slo:events:total{slo_name="checkout"}[1h] offset 5m)
	//           )
	//           and on (slo_name) (slo:events:origin{slo_name="checkout"} <= time() - 300)
	//           or
	//           slo:events:total{slo_name="checkout"}
	//         labels:
	//           slo_name: checkout
	//           slo_window: 5m
	//       - record: slo:events:increase
	//         expr: |-
	//           (
	//             slo:events:total{slo_name="checkout"} - last_over_time(slo:events:total{slo_name="checkout"}[1h] offset 30m)
	//           )
	//           and on (slo_name) (slo:events:origin{slo_name="checkout"} <= time() - 1800)
	//           or
	//           slo:events:total{slo_name="checkout"}
	//         labels:
	//           slo_name: checkout
	//           slo_window: 30m
	//       - record: slo:events:increase
	//         expr: |-
	//           (
	//             slo:events:total{slo_name="checkout"} - last_over_time(slo:events:total{slo_name="checkout"}[1h] offset 1h)
	//           )
	//           and on (slo_name) (slo:events:origin{slo_name="checkout"} <= time() - 3600)
	//           or
	//           slo:events:total{slo_name="checkout"}
	//         labels:
	//           slo_name: checkout
	//           slo_window: 1h
	//       - record: slo:events:increase
	//         expr: |-
	//           (
	//             slo:events:total{slo_name="checkout"} - last_over_time(slo:events:total{slo_name="checkout"}[1h] offset 2h)
	//           )
	//           and on (slo_name) (slo:events:origin{slo_name="checkout"} <= time() - 7200)
	//           or
	//           slo:events:total{slo_name="checkout"}
	//         labels:
	//           slo_name: checkout
	//           slo_window: 2h
	//       - record: slo:events:increase
	//         expr: |-
	//           (
	//             slo:events:total{slo_name="checkout"} - last_over_time(slo:events:total{slo_name="checkout"}[1h] offset 6h)
	//           )
	//           and on (slo_name) (slo:events:origin{slo_name="checkout"} <= time() - 21600)
	//           or
	//           slo:events:total{slo_name="checkout"}
	//         labels:
	//           slo_name: checkout
	//           slo_window: 6h
	//       - record: slo:events:increase
	//         expr: |-
	//           (
	//             slo:events:total{slo_name="checkout"} - last_over_time(slo:events:total{slo_name="checkout"}[1h] offset 1d)
	//           )
	//           and on (slo_name) (slo:events:origin{slo_name="checkout"} <= time() - 86400)
	//           or
	//           slo:events:total{slo_name="checkout"}
	//         labels:
	//           slo_name: checkout
	//           slo_window: 1d
	//       - record: slo:events:increase
	//         expr: |-
	//           (
	//             slo:events:total{slo_name="checkout"} - last_over_time(slo:events:total{slo_name="checkout"}[1h] offset 3d)
	//           )
	//           and on (slo_name) (slo:events:origin{slo_name="checkout"} <= time() - 259200)
	//           or
	//           slo:events:total{slo_name="checkout"}
	//         labels:
	//           slo_name: checkout
	//           slo_window: 3d
	//       - record: slo:events:increase
	//         expr: |-
	//           (
	//             slo:events:total{slo_name="checkout"} - last_over_time(slo:events:total{slo_name="checkout"}[1h] offset 7d)
	//           )
	//           and on (slo_name) (slo:events:origin{slo_name="checkout"} <= time() - 604800)
	//           or
	//           slo:events:total{slo_name="checkout"}
	//         labels:
	//           slo_name: checkout
	//           slo_window: 7d
	//       - record: slo:error_ratio
	//         expr: |-
	//           sum by (slo_name, slo_window) (slo:events:increase{slo_name="checkout",slo_outcome="bad"})
	//           /
	//           (sum by (slo_name, slo_window) (slo:events:increase{slo_name="checkout"}) > 0)
	//           or
	//           sum by (slo_name, slo_window) (slo:events:increase{slo_name="checkout"}) * 0
	//         labels:
	//           slo_name: checkout
	//       - record: slo:sli
	//         expr: 1 - slo:error_ratio{slo_name="checkout"}
	//         labels:
	//           slo_name: checkout
	//       - record: slo:burn_rate
	//         expr: slo:error_ratio{slo_name="checkout"} / 0.001
	//         labels:
	//           slo_name: checkout
	//       - record: slo:error_budget:remaining
	//         expr: |-
	//           1 - (
	//             slo:burn_rate{slo_name="checkout",slo_window="7d"}
	//           * on (slo_name)
	//             (
	//               clamp_max((time() - slo:events:origin{slo_name="checkout"}) / 604800, 1)
	//               or label_replace(vector(0), "slo_name", "checkout", "", "")
	//             )
	//           )
	//         labels:
	//           slo_name: checkout
	//       - alert: SLOErrorBudgetBurn
	//         expr: |-
	//           max without (slo_window) (slo:burn_rate{slo_name="checkout",slo_window="1h"}) > 16.8
	//           and on (slo_name)
	//           max without (slo_window) (slo:burn_rate{slo_name="checkout",slo_window="5m"}) > 16.8
	//           and on (slo_name)
	//           sum by (slo_name) (slo:events:increase{slo_name="checkout",slo_window="1h"}) >= 60
	//           and on (slo_name)
	//           sum by (slo_name) (slo:events:increase{slo_name="checkout",slo_window="5m"}) >= 60
	//         for: 1m
	//         labels:
	//           long_window: 1h
	//           severity: page
	//           short_window: 5m
	//           slo_name: checkout
	//         annotations:
	//           description: 'Error budget burn rate over 1h is {{ $value | printf "%.3g" }}, above 16.8 there and over 5m (each holding at least 60 events): at this rate 10% of the 7d budget is spent every 1h.'
	//           summary: SLO {{ $labels.slo_name }} is burning its error budget too fast
}
