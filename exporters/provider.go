package exporters

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/otlptranslator"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// ErrInvalidOption is wrapped by the errors of New and PrometheusRules for
// options that cannot work, such as WithStdout(nil), a negative export
// interval or an evaluation interval that does not divide 5m.
var ErrInvalidOption = errors.New("exporters: invalid option")

// Provider is an OpenTelemetry SDK MeterProvider wired to the exporters
// chosen at New, with one Shutdown that flushes and stops them all.
//
// The zero value is not usable; build one with New. A Provider is safe for
// concurrent use. Most callers want MeterProvider (to hand to the other
// nines packages' WithMeterProvider options), MetricsHandler (to serve
// /metrics) and Shutdown (last thing in main).
type Provider struct {
	mp       *sdkmetric.MeterProvider
	registry *prometheus.Registry
	handler  http.Handler

	shutdownOnce sync.Once
	shutdownErr  error
}

// New builds a MeterProvider with the exporters selected by opts. With no
// exporter option it enables Prometheus only, which needs no collector.
//
// The Prometheus exporter is pulled and starts nothing. The push exporters
// (OTLP, stdout) are driven by an SDK periodic reader, whose export goroutine
// starts here, as the SDK does; Shutdown stops it. ctx bounds the creation of
// the OTLP exporters (the gRPC one dials lazily, so an absent collector is
// not an error here). On error nothing is left running.
func New(ctx context.Context, opts ...Option) (*Provider, error) {
	var c config
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if !c.anyExporter() {
		c.prometheus = true
	}
	if _, bad := c.stdout.(nilWriter); bad {
		return nil, fmt.Errorf("%w: WithStdout: nil writer", ErrInvalidOption)
	}
	if c.exportInterval < 0 {
		return nil, fmt.Errorf("%w: WithExportInterval: %v is negative", ErrInvalidOption, c.exportInterval)
	}

	p := &Provider{}
	var readers []sdkmetric.Reader
	// On failure, shut down what was already built so no goroutine leaks.
	fail := func(err error) (*Provider, error) {
		for _, r := range readers {
			_ = r.Shutdown(context.WithoutCancel(ctx))
		}
		return nil, err
	}
	var periodic []sdkmetric.PeriodicReaderOption
	if c.exportInterval > 0 {
		periodic = append(periodic, sdkmetric.WithInterval(c.exportInterval))
	}

	if c.prometheus {
		p.registry = prometheus.NewRegistry()
		exp, err := otelprom.New(
			otelprom.WithRegisterer(p.registry),
			// Pin the naming so the generated rules (PrometheusRules) match
			// whatever the exporter's default becomes.
			otelprom.WithTranslationStrategy(otlptranslator.UnderscoreEscapingWithSuffixes),
		)
		if err != nil {
			return fail(fmt.Errorf("exporters: prometheus: %w", err))
		}
		readers = append(readers, exp)
		p.handler = promhttp.HandlerFor(p.registry, promhttp.HandlerOpts{})
	}
	if c.otlpHTTPOn {
		exp, err := otlpmetrichttp.New(ctx, c.otlpHTTP...)
		if err != nil {
			return fail(fmt.Errorf("exporters: otlp http: %w", err))
		}
		readers = append(readers, sdkmetric.NewPeriodicReader(exp, periodic...))
	}
	if c.otlpGRPCOn {
		exp, err := otlpmetricgrpc.New(ctx, c.otlpGRPC...)
		if err != nil {
			return fail(fmt.Errorf("exporters: otlp grpc: %w", err))
		}
		readers = append(readers, sdkmetric.NewPeriodicReader(exp, periodic...))
	}
	if c.stdout != nil {
		exp, err := stdoutmetric.New(stdoutmetric.WithWriter(c.stdout))
		if err != nil {
			return fail(fmt.Errorf("exporters: stdout: %w", err))
		}
		readers = append(readers, sdkmetric.NewPeriodicReader(exp, periodic...))
	}

	readers = append(readers, c.readers...)
	mpOpts := make([]sdkmetric.Option, 0, len(readers)+2)
	for _, r := range readers {
		mpOpts = append(mpOpts, sdkmetric.WithReader(r))
	}
	if len(c.views) > 0 {
		mpOpts = append(mpOpts, sdkmetric.WithView(c.views...))
	}
	if c.resource != nil {
		mpOpts = append(mpOpts, sdkmetric.WithResource(c.resource))
	}
	p.mp = sdkmetric.NewMeterProvider(mpOpts...)
	return p, nil
}

// MeterProvider returns the SDK MeterProvider. Pass it to the
// WithMeterProvider options of the other packages, or to otel.SetMeterProvider.
func (p *Provider) MeterProvider() *sdkmetric.MeterProvider { return p.mp }

// MetricsHandler serves the Prometheus exposition of this Provider's private
// registry, or returns nil when Prometheus is not enabled.
func (p *Provider) MetricsHandler() http.Handler { return p.handler }

// Registry returns the private Prometheus registry, or nil when Prometheus is
// not enabled. Register process or Go collectors on it if you want them.
func (p *Provider) Registry() *prometheus.Registry { return p.registry }

// ForceFlush exports pending data through every push exporter now.
func (p *Provider) ForceFlush(ctx context.Context) error {
	return wrapErr("flush", ctx, p.mp.ForceFlush(ctx))
}

// Shutdown flushes every exporter and stops them. It is idempotent: later
// calls return the first call's result without doing anything. After
// Shutdown, instruments from MeterProvider record nothing.
func (p *Provider) Shutdown(ctx context.Context) error {
	p.shutdownOnce.Do(func() {
		p.shutdownErr = wrapErr("shutdown", ctx, p.mp.Shutdown(ctx))
	})
	return p.shutdownErr
}

// wrapErr prefixes err with the package and operation, except that a
// cancelled or expired ctx is reported as ctx.Err() itself.
func wrapErr(op string, ctx context.Context, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return ctx.Err()
	}
	return fmt.Errorf("exporters: %s: %w", op, err)
}
