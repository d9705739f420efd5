package exporters

import (
	"context"
	"io"

	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// WithExporter adds a push exporter: New calls build with its own ctx, and
// a periodic reader exports through the result every WithExportInterval
// until Shutdown. It counts as an exporter (Prometheus is then enabled only
// by WithPrometheus). An error from build fails New, which then shuts down
// whatever it had already built; a nil build is an error at New.
//
// It is how exporters this package does not link are plugged in: the OTLP
// options of package [github.com/nines-sre/nines/exporters/otlp] are
// WithExporter calls, so that a Prometheus-only service links no gRPC.
func WithExporter(build func(ctx context.Context) (sdkmetric.Exporter, error)) Option {
	return withPush("WithExporter", build)
}

func withPush(option string, build func(ctx context.Context) (sdkmetric.Exporter, error)) Option {
	return optionFunc(func(c *providerConfig) {
		c.push = append(c.push, pushExporter{option: option, build: build})
	})
}

// WithStdout enables the stdout exporter, writing one JSON document per
// export to w (os.Stdout in most programs). A nil w is an error at New.
func WithStdout(w io.Writer) Option {
	if w == nil {
		return withPush("WithStdout", nil)
	}
	return withPush("WithStdout", func(context.Context) (sdkmetric.Exporter, error) {
		return stdoutmetric.New(stdoutmetric.WithWriter(w))
	})
}
