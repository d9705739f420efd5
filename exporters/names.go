package exporters

// DefaultEventsMetric is the Prometheus name the OTel Prometheus exporter
// (as configured by New) gives the slo.events counter: dots become
// underscores and counters get _total. Its attributes slo.name and
// slo.outcome become the labels slo_name and slo_outcome; the exporter also
// adds otel_scope_name, otel_scope_version and otel_scope_schema_url, which
// the generated rules aggregate away. A unit of "1" or "{event}" adds no
// suffix to a counter. TestPrometheusNaming locks this mapping.
const DefaultEventsMetric = "slo_events_total"
