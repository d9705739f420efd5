package exporters

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/otlptranslator"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// newPrometheus builds the Prometheus exporter on a private registry and
// the handler that serves it.
func (p *Provider) newPrometheus() (sdkmetric.Reader, error) {
	registry := prometheus.NewRegistry()
	exp, err := otelprom.New(
		otelprom.WithRegisterer(registry),
		// Pin the naming so the generated rules (PrometheusRules) match
		// whatever the exporter's default becomes.
		otelprom.WithTranslationStrategy(otlptranslator.UnderscoreEscapingWithSuffixes),
	)
	if err != nil {
		return nil, fmt.Errorf("exporters: prometheus: %w", err)
	}
	p.registry = registry
	p.handler = promhttp.HandlerFor(registry, promhttp.HandlerOpts{})
	return exp, nil
}
