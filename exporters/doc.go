// Package exporters connects nines to monitoring systems: it builds an
// OpenTelemetry SDK MeterProvider with a Prometheus exporter (and stdout or
// any push exporter on request), and it generates Prometheus recording and
// alerting rules from slo objectives so a Prometheus server computes, for
// the whole fleet, the same SLIs, burn rates, budgets and alerts each
// process computes for itself.
//
// This is the only nines package (with its sub-package otlp, tests and
// examples) that imports the OpenTelemetry SDK.
//
// # MeterProvider
//
// [New] with no options gives a Prometheus-only Provider that needs no
// collector: serve [Provider.MetricsHandler] on /metrics. The Prometheus
// exporter uses a private registry, never prometheus.DefaultRegisterer.
// [WithStdout] and [WithExporter] add push exporters, in any combination;
// [WithReader] adds a reader of your own (a ManualReader in tests).
// [Provider.Shutdown] flushes and stops them all, once. Invalid options
// fail New with an error wrapping [ErrInvalidConfig] that names the option.
//
// OTLP lives in the sub-package [github.com/nines-sre/nines/exporters/otlp]
// (otlp.WithHTTP, otlp.WithGRPC, options for New built on WithExporter):
// the OTLP exporters link gRPC and protobuf, which a service that imports
// only this package never links. A Prometheus-only HTTP service
// (examples/httpservice) builds to about 16 MB instead of 25 MB.
//
// # Metric names in Prometheus
//
// The OTel Prometheus exporter (configured by New with underscore escaping
// and suffixes) names slo.events slo_events_total ([DefaultEventsMetric]);
// a counter gets no unit suffix for unit "", "1" or "{event}". Attributes
// become labels with dots replaced: slo.name -> slo_name, slo.outcome ->
// slo_outcome. Every series also carries otel_scope_name,
// otel_scope_version and otel_scope_schema_url, plus the job and instance
// labels Prometheus adds at scrape; the rules sum them away. Gauges with
// unit "1" get _ratio: slo.objective, slo.error_budget.remaining,
// slo.burn_rate{slo.window} and slo.alert.status become
// slo_objective_ratio, slo_error_budget_remaining_ratio,
// slo_burn_rate_ratio{slo_window} and slo_alert_status_ratio (tests lock
// all of these against a real slo.Set).
//
// # Prometheus rules
//
// [PrometheusRules] writes one rule group per objective:
//
//	slo:events:increase5m{slo_name, slo_outcome}  increase of slo_events_total over 5m, summed over replicas
//	slo:error_ratio{slo_name, slo_window}         bad/total over the window (one rule per window)
//	slo:sli{slo_name, slo_window}                 1 - error ratio
//	slo:burn_rate{slo_name, slo_window}           error ratio / (1 - target)
//	slo:error_budget:remaining{slo_name}          1 - period burn rate x observed share of the period (rolling only)
//	alert SLOErrorBudgetBurn{severity, slo_name, slo_window, slo_short_window}  one per tier
//
// The raw counters are read once, by the 5-minute increase: increase()
// handles counter resets per series (a restarted replica) before replicas
// are summed. A 5m range needs at least two scrapes in it, so scrape at
// least every 2.5 minutes (1 minute or less is better). Every longer window
// is a sum of recorded increments, sum_over_time(...[w-1ms:5m]): the
// subquery's 5m step visits w/5m non-overlapping increments (the 1ms keeps
// Prometheus 2's closed ranges from counting one twice), so the ratio is
// occurrence-weighted — bad events over all events in the window, never an
// average of ratios. A window without events is 0, never NaN. The rule
// groups' evaluation interval must divide 5m (the default global 1m does),
// and the recorded increments must be retained for the whole period
// (Prometheus keeps 15 days by default: set --storage.tsdb.retention.time
// to at least 30d for a 30-day objective, or the period is cut short).
//
// Subquery steps are aligned to multiples of 5 minutes, so a long window
// covers exactly w but ends at the last 5-minute boundary: it lags the 5m
// window by up to 5 minutes, so the rules can fire a tier a few minutes
// after the process does (TestRulesAgreeWithInProcess models this exactly).
// An outage pages within about 5 minutes plus the alert's for: (1m by
// default, [WithAlertFor]); a tier resolves once its short window is clean.
//
// The budget remaining is computed as slo.Status computes it: the period's
// burn rate times the share of the period observed so far (5m steps that
// hold data), so a steady burn rate of 1 reaches 0 exactly at the period's
// end and a young fleet is not judged as if its first hour had lasted 30
// days.
//
// A tier fires when both of its windows' burn rates exceed
// BudgetPercent/100 x period / Long (strict >); for 30 days the default
// tiers give 14.4 and 6 (page), 3 and 1 (ticket), as in the SRE Workbook.
//
// Supported: request and latency objectives (a latency objective's events
// are classified in process, so its counter is the same), rolling windows
// (up to slo's 366 days), and calendar windows, whose tiers use the unit's
// nominal length (7, 30, 90 days) and which get no period error ratio and no
// budget remaining: PromQL cannot sum from a calendar boundary, and a
// rolling approximation would disagree with the process near the boundary.
// Use each process's slo.error_budget.remaining for those. Timeslice
// budgeting is rejected with [ErrUnsupported]. Every window must be a
// multiple of 5 minutes; invalid objectives are rejected with
// [ErrInvalidConfig] and an error naming the objective and field.
//
// # Performance
//
// Nothing here is on the request path. A Prometheus scrape collects every
// instrument's observable callbacks once. The rules cost Prometheus one
// range read of the raw counters per evaluation; each window's rule reads
// w/5m recorded samples per outcome (8640 for a 30-day period), which is
// why increments are recorded once and the period is bounded.
//
// # Cardinality
//
// The recorded series per objective are 2 increments (good, bad), one error
// ratio, SLI and burn rate per window (8 windows with the default tiers),
// and one budget: about 27 series, whatever the number of replicas, since
// instance and scope labels are summed away. Alerts carry slo_name,
// severity and the tier's two windows. Since instance and job are summed
// away, an objective's name must be unique across everything one
// Prometheus scrapes: two services exporting slo_name="availability" would
// be counted as one fleet.
package exporters
