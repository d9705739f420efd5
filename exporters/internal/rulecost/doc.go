// Command rulecost measures what the fleet rules cost a real Prometheus:
// it backfills days of one-minute data for one objective (two replicas'
// slo_events_total, and the recorded series each rule variant reads, as if
// the rules had run all along) with `promtool tsdb create-blocks-from
// openmetrics`, starts one Prometheus per variant on its own copy of the
// TSDB, side by side on the same machine, both evaluating every -eval, and
// samples each rule group's and each rule's evaluationTime from
// /api/v1/rules, one sample per evaluation. It prints min, median and max
// per group and the median of each rule.
//
// The variants are "old", the five-minute increase() chunk rules main
// generated before the running total (testdata/old-rules.yml, kept
// verbatim), and "new", what exporters.PrometheusRules generates now for
// the same objective (99.9 % over 30 days).
//
//	go run ./exporters/internal/rulecost -samples 40
//
// It is a measurement, not a test: it takes several minutes (the backfill
// of 30 days alone takes a minute of CPU) and its figures depend on the
// machine. On a shared, loaded machine take many samples and read the
// medians. Loopback only; it stops what it started.
package main
