// Package exporters sets up an OpenTelemetry SDK MeterProvider with
// Prometheus, OTLP and stdout exporters, and generates Prometheus recording
// and alerting rules from slo objectives.
package exporters
