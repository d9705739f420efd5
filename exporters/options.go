package exporters

import (
	"io"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
)

// Option configures New. Options are applied in order; each exporter option
// enables its exporter, and any combination may be given. With no exporter
// option New enables Prometheus only.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	prometheus     bool
	otlpHTTP       []otlpmetrichttp.Option
	otlpHTTPOn     bool
	otlpGRPC       []otlpmetricgrpc.Option
	otlpGRPCOn     bool
	stdout         io.Writer
	resource       *resource.Resource
	exportInterval time.Duration
	readers        []sdkmetric.Reader
	views          []sdkmetric.View
}

func (c *config) anyExporter() bool {
	return c.prometheus || c.otlpHTTPOn || c.otlpGRPCOn || c.stdout != nil || len(c.readers) > 0
}

// WithPrometheus enables the OpenTelemetry Prometheus exporter on a private
// prometheus.Registry (never the global one), served by
// [Provider.MetricsHandler]. It is the default when no exporter option is
// given.
func WithPrometheus() Option {
	return optionFunc(func(c *config) { c.prometheus = true })
}

// WithOTLPHTTP enables an OTLP/HTTP exporter configured by opts, for example
// otlpmetrichttp.WithEndpointURL("http://collector:4318/v1/metrics"). With no
// opts the exporter's own defaults and OTEL_EXPORTER_OTLP_* variables apply.
func WithOTLPHTTP(opts ...otlpmetrichttp.Option) Option {
	return optionFunc(func(c *config) {
		c.otlpHTTPOn = true
		c.otlpHTTP = append(c.otlpHTTP, opts...)
	})
}

// WithOTLPGRPC enables an OTLP/gRPC exporter configured by opts, for example
// otlpmetricgrpc.WithEndpoint("collector:4317"). With no opts the exporter's
// own defaults and OTEL_EXPORTER_OTLP_* variables apply.
func WithOTLPGRPC(opts ...otlpmetricgrpc.Option) Option {
	return optionFunc(func(c *config) {
		c.otlpGRPCOn = true
		c.otlpGRPC = append(c.otlpGRPC, opts...)
	})
}

// WithStdout enables the stdout exporter writing one JSON document per export to w
// (os.Stdout in most programs). A nil w is an error at New.
func WithStdout(w io.Writer) Option {
	return optionFunc(func(c *config) {
		c.stdout = w
		if w == nil {
			c.stdout = nilWriter{}
		}
	})
}

// nilWriter marks an explicit WithStdout(nil) so New can reject it.
type nilWriter struct{}

func (nilWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

// WithResource sets the resource describing this process (service.name and
// so on). Nil or unset means resource.Default().
func WithResource(r *resource.Resource) Option {
	return optionFunc(func(c *config) { c.resource = r })
}

// WithExportInterval sets how often the push exporters (OTLP, stdout)
// export. Zero or unset means the SDK default (60 s, or
// OTEL_METRIC_EXPORT_INTERVAL). It does not affect Prometheus, which is
// pulled.
func WithExportInterval(d time.Duration) Option {
	return optionFunc(func(c *config) { c.exportInterval = d })
}

// WithReader adds a reader of your own, for example an
// sdkmetric.NewManualReader() in tests or a reader for an exporter this
// package does not wrap. It counts as an exporter: with only WithReader,
// Prometheus is not enabled. Shutdown shuts it down with the others.
func WithReader(r sdkmetric.Reader) Option {
	return optionFunc(func(c *config) {
		if r != nil {
			c.readers = append(c.readers, r)
		}
	})
}

// WithView adds views to the MeterProvider, for example to set the
// histogram buckets of http.server.request.duration.
func WithView(views ...sdkmetric.View) Option {
	return optionFunc(func(c *config) { c.views = append(c.views, views...) })
}
