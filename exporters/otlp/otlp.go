package otlp

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/nines-sre/nines/exporters"
)

// WithHTTP returns an option for exporters.New that adds an OTLP/HTTP
// metric exporter configured by opts, for example
// otlpmetrichttp.WithEndpointURL("http://collector:4318/v1/metrics").
// With no opts the exporter's own defaults and the OTEL_EXPORTER_OTLP_*
// variables apply. It exports every exporters.WithExportInterval; each
// call adds one exporter.
func WithHTTP(opts ...otlpmetrichttp.Option) exporters.Option {
	return exporters.WithExporter(func(ctx context.Context) (sdkmetric.Exporter, error) {
		exp, err := otlpmetrichttp.New(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("otlp: http: %w", err)
		}
		return exp, nil
	})
}

// WithGRPC returns an option for exporters.New that adds an OTLP/gRPC
// metric exporter configured by opts, for example
// otlpmetricgrpc.WithEndpoint("collector:4317"). With no opts the
// exporter's own defaults and the OTEL_EXPORTER_OTLP_* variables apply.
// The connection is made lazily, so an absent collector is not an error
// at New. It exports every exporters.WithExportInterval; each call adds
// one exporter.
func WithGRPC(opts ...otlpmetricgrpc.Option) exporters.Option {
	return exporters.WithExporter(func(ctx context.Context) (sdkmetric.Exporter, error) {
		exp, err := otlpmetricgrpc.New(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("otlp: grpc: %w", err)
		}
		return exp, nil
	})
}
