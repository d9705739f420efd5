// Package otlp adds OpenTelemetry Protocol (OTLP) metric exporters to an
// [exporters.Provider]: [WithHTTP] and [WithGRPC] return options for
// [exporters.New], in any combination with its own:
//
//	prov, err := exporters.New(ctx,
//		exporters.WithPrometheus(), // keep /metrics as well
//		otlp.WithHTTP(otlpmetrichttp.WithEndpointURL("http://collector:4318/v1/metrics")),
//		exporters.WithExportInterval(15*time.Second),
//	)
//
// It is a package of its own because the OTLP exporters link gRPC and
// protobuf (the HTTP one too, for its generated types): about 10 MB of
// binary that a Prometheus-only service, which imports only exporters,
// never links.
//
// # Performance
//
// Nothing here is on the request path: an SDK periodic reader collects and
// exports every interval (exporters.WithExportInterval, default 60 s) in
// its own goroutine, started by exporters.New and stopped by
// Provider.Shutdown, which flushes first.
//
// # Cardinality
//
// The exporters send what the MeterProvider holds, series for series; they
// add only the resource attributes (exporters.WithResource).
package otlp
