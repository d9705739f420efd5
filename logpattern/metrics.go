package logpattern

import "go.opentelemetry.io/otel/metric"

func (m *Miner) registerMetrics(mp metric.MeterProvider) error { return nil }
