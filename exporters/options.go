package exporters

import (
	"context"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
)

// Option configures New. Options are applied in order; each exporter option
// enables its exporter, and any combination may be given. With no exporter
// option New enables Prometheus only. Options for other exporters, such as
// OTLP in package [github.com/nines-sre/nines/exporters/otlp], are built
// on [WithExporter].
type Option interface {
	apply(*providerConfig)
}

type optionFunc func(*providerConfig)

func (f optionFunc) apply(c *providerConfig) { f(c) }

type providerConfig struct {
	prometheus     bool
	push           []pushExporter
	resource       *resource.Resource
	exportInterval time.Duration
	readers        []sdkmetric.Reader
	views          []sdkmetric.View
}

// pushExporter is a push exporter to build at New, with the option that
// asked for it, for error messages.
type pushExporter struct {
	option string
	build  func(ctx context.Context) (sdkmetric.Exporter, error)
}

func (c *providerConfig) anyExporter() bool {
	return c.prometheus || len(c.push) > 0 || len(c.readers) > 0
}

// WithPrometheus enables the OpenTelemetry Prometheus exporter on a private
// prometheus.Registry (never the global one), served by
// [Provider.MetricsHandler]. It is the default when no exporter option is
// given.
func WithPrometheus() Option {
	return optionFunc(func(c *providerConfig) { c.prometheus = true })
}

// WithResource sets the resource describing this process (service.name and
// so on). Nil or unset means resource.Default().
func WithResource(r *resource.Resource) Option {
	return optionFunc(func(c *providerConfig) { c.resource = r })
}

// WithExportInterval sets how often the push exporters (OTLP, stdout,
// WithExporter) export. Zero or unset means the SDK default (60 s, or
// OTEL_METRIC_EXPORT_INTERVAL); a negative interval is an error at New. It
// does not affect Prometheus, which is pulled.
func WithExportInterval(d time.Duration) Option {
	return optionFunc(func(c *providerConfig) { c.exportInterval = d })
}

// WithReader adds a reader of your own, for example an
// sdkmetric.NewManualReader() in tests. It counts as an exporter: with
// only WithReader, Prometheus is not enabled. Shutdown shuts it down with
// the others.
func WithReader(r sdkmetric.Reader) Option {
	return optionFunc(func(c *providerConfig) {
		if r != nil {
			c.readers = append(c.readers, r)
		}
	})
}

// WithView adds views to the MeterProvider, for example to set the
// histogram buckets of http.server.request.duration.
func WithView(views ...sdkmetric.View) Option {
	return optionFunc(func(c *providerConfig) { c.views = append(c.views, views...) })
}
