package otlp_test

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"

	"github.com/nines-sre/nines/exporters"
	"github.com/nines-sre/nines/exporters/otlp"
)

// Prometheus for local scrapes and OTLP/HTTP to a collector, in one
// Provider. The collector here is a stand-in on loopback that prints what
// it receives.
func ExampleWithHTTP() {
	col := newHTTPCollector()
	defer col.Close()

	ctx := context.Background()
	prov, err := exporters.New(ctx,
		exporters.WithPrometheus(),
		otlp.WithHTTP(otlpmetrichttp.WithEndpointURL(col.URL+"/v1/metrics")),
		exporters.WithExportInterval(15*time.Second),
	)
	if err != nil {
		panic(err)
	}
	requests, _ := prov.MeterProvider().Meter("example").Int64Counter("demo.requests")
	requests.Add(ctx, 1)
	if err := prov.Shutdown(ctx); err != nil { // flushes to the collector
		panic(err)
	}
	fmt.Println("collector received:", col.names())
	fmt.Println("metrics handler:", prov.MetricsHandler() != nil)
	// Output:
	// collector received: [demo.requests]
	// metrics handler: true
}
