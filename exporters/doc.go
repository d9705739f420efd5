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
// (examples/httpservice) builds to about 23 MB with go build (16 MB with
// -ldflags="-s -w"), against 27 MB (19 MB) when it also passes
// otlp.WithHTTP() and otlp.WithGRPC() to New (Go 1.26, linux/amd64).
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
// [PrometheusRules] writes one rule group per objective, evaluated in
// order:
//
//	slo:events:total{slo_name, slo_outcome}         fleet events counted since slo:events:origin; never resets
//	slo:events:seen{<each scraped series' labels>}  the counters as the last evaluation saw them
//	slo:events:origin{slo_name}                     Unix time the total started
//	slo:events:increase{slo_name, slo_outcome, slo_window}  events in the window (one rule per window)
//	slo:error_ratio{slo_name, slo_window}           bad/total events over the window
//	slo:sli{slo_name, slo_window}                   1 - error ratio
//	slo:burn_rate{slo_name, slo_window}             error ratio / (1 - target)
//	slo:error_budget:remaining{slo_name}            1 - period burn rate x observed share of the period (rolling only)
//	alert SLOErrorBudgetBurn{slo_name, severity, long_window, short_window}  one per tier
//	alert SLOEventsAbsent{slo_name, severity="ticket"}  with WithAbsentAlert only
//
// Why a running total: a window's events are slo:events:total now minus
// slo:events:total w ago, exactly the scrapes in (T-w, T]. Each
// evaluation adds, per scraped series, the counter's growth since the
// value the previous evaluation saw (slo:events:seen): the counter itself
// after a reset (a restarted replica), nothing for a series seen for the
// first time. Successive evaluations tile the scrapes, so no event falls
// between two of them whatever the scrape offset — recording
// increase(x[5m]) chunks instead loses what happens between the last
// scrape of one chunk and the first of the next (a 55-second outage
// between scrapes at :30 vanished from every window). No rule uses
// increase() or rate(), so nothing is extrapolated and Prometheus 2's
// closed ranges and Prometheus 3's left-open ones give the same numbers
// (promtool tests of both run in CI).
//
// Agreement with the exact definition, bad/total over (T-w, T]: a window
// is off by at most the events of one scrape interval at each end (those
// after the last scrape, and those between the scrape before T-w and T-w),
// plus a new replica's events before its first scrape. A tier's condition
// holds within one scrape and one evaluation interval of the moment the
// exact windows cross its threshold, and fires for: later ([WithAlertFor],
// 1m by default); it resolves as soon as its short window is clean, within
// the same bounds. Evaluate every minute or faster (the default global
// evaluation_interval is 1m; [WithEvaluationInterval] must divide 5m).
//
// Gaps: the rules carry the total across a gap in evaluation of up to 1h
// (a Prometheus restart; the events of the gap are counted when it ends)
// and a series across a gap in its scrapes of up to 10m. After a longer
// gap the total starts over at 0 and slo:events:origin moves, so windows
// count from there as for a young fleet, never a mix of two totals.
// Prometheus must keep slo:events:total for the whole period (retention
// at least 30d for a 30-day objective; 15d is the default).
//
// Low traffic: a tier fires only when each of its windows holds at least
// slo.Tier.MinEventCount events, as in process (70, 167, 334 and 1000
// for the default tiers of 99.9%/30d); the alert's description says so.
// Unlike the process (slo.TierStatus.WarmingUp), the rules do not warm
// up: the fleet's history outlives any one replica's start, and a new
// objective's first hours are rare enough not to need it.
//
// The budget remaining is computed as slo.Status computes it: the period's
// burn rate times the share of the period observed so far (time since
// slo:events:origin), so a steady burn rate of 1 reaches 0 exactly at the
// period's end and a young fleet is not judged as if its first hour had
// lasted 30 days.
//
// A tier fires when both of its windows' burn rates exceed
// BudgetPercent/100 x period / Long (strict >); for 30 days the default
// tiers give 14.4 and 6 (page), 3 and 1 (ticket), as in the SRE Workbook.
// Alerts carry slo_name, severity (page or ticket) and the tier as
// long_window and short_window, for Alertmanager routing.
//
// Late events: a process counts a RecordAt event in the minute it
// happened, but the exported counter only grows, so Prometheus sees it
// when it is scraped. The rules attribute every event to its scrape:
// 2000 bad events replayed 2 hours late land in the current 5m and 1h
// windows and can page, while the process's own windows put them 2 hours
// back. The rules cannot do better without the event time, which a
// counter does not carry; replay late events in process only, or expect
// the fleet alert.
//
// Restarts: slo.events exports slo.SLO.ProcessEvents, what the process
// recorded since it started, so a restart is one counter reset to 0 even
// when the process restores its history from a snapshot; the rules never
// count restored history twice. CI's real-Prometheus check
// (.ci/checks/40-prometheus-e2e.sh) restarts a replica with its state
// directory mid-run and checks every window and the alerts against the
// exact values on Prometheus 2.42 and 3.
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
// instrument's observable callbacks once. Each evaluation of an
// objective's group reads the raw counters once per replica series (plus
// 10 minutes of slo:events:seen), and for each window two samples of
// slo:events:total: now and w ago (a 1h lookback at w ago, about 60
// samples). The cost does not grow with the window: a 30-day window costs
// what a 5-minute one does. Measured on Prometheus 2.42 with 30 days of
// backfilled data (go run ./exporters/internal/rulecost, which runs the
// former five-minute-chunk rules beside these): about 5 ms per objective
// per evaluation at best and 8.5 ms at the median on a shared 2-core
// machine (15 ms under heavy load), against 21 and 30 ms (44) for the
// former rules, whose 30-day error ratio alone walked 8640 subquery steps.
//
// # Cardinality
//
// The recorded series per objective are 2 totals (good, bad), one origin,
// 2 event counts, one error ratio, SLI and burn rate per window (8
// windows with the default tiers), and one budget: 44 series, whatever
// the number of replicas, plus slo:events:seen, one per scraped counter
// series (2 per replica). Since instance and job are summed away, an
// objective's name must be unique across everything one Prometheus
// scrapes: two services exporting slo_name="availability" would be
// counted as one fleet.
package exporters
