package exporters

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/nines-sre/nines/internal/config"
	"github.com/nines-sre/nines/internal/lifecycle"
)

// ErrInvalidConfig is wrapped by the errors of New and PrometheusRules for
// options that cannot work, such as WithStdout(nil), a negative export
// interval or an evaluation interval that does not divide 5m, and for
// objectives PrometheusRules cannot turn into rules (those also wrap
// slo.ErrInvalidConfig when slo's own validation refused them); the message
// names the option, or the objective and field, and the value.
var ErrInvalidConfig = config.New("exporters")

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

	life lifecycle.Lifecycle // Shutdown only: New starts what the SDK starts
}

// New builds a MeterProvider with the exporters selected by opts. With no
// exporter option it enables Prometheus only, which needs no collector.
//
// The Prometheus exporter is pulled and starts nothing. The push exporters
// (stdout, WithExporter, OTLP) are driven by an SDK periodic reader, whose
// export goroutine starts here, as the SDK does; Shutdown stops it. ctx
// bounds the creation of the push exporters (the OTLP gRPC one dials
// lazily, so an absent collector is not an error here). On error nothing is
// left running.
func New(ctx context.Context, opts ...Option) (*Provider, error) {
	var c providerConfig
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if !c.anyExporter() {
		c.prometheus = true
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	p := &Provider{}
	readers, err := p.buildReaders(ctx, &c)
	if err != nil {
		return nil, err
	}
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

func (c *providerConfig) validate() error {
	for _, push := range c.push {
		if push.build == nil {
			return config.Errorf(ErrInvalidConfig, "%s(nil)", push.option)
		}
	}
	if c.exportInterval < 0 {
		return config.Error(ErrInvalidConfig, "WithExportInterval", c.exportInterval, "must not be negative")
	}
	return nil
}

// buildReaders builds the Prometheus exporter and the push exporters'
// periodic readers, then appends the caller's readers. On error it shuts
// down what it had built, so no export goroutine is left.
func (p *Provider) buildReaders(ctx context.Context, c *providerConfig) (readers []sdkmetric.Reader, err error) {
	defer func() {
		if err != nil {
			for _, r := range readers {
				_ = r.Shutdown(context.WithoutCancel(ctx))
			}
			readers = nil
		}
	}()
	if c.prometheus {
		r, err := p.newPrometheus()
		if err != nil {
			return readers, err
		}
		readers = append(readers, r)
	}
	var periodic []sdkmetric.PeriodicReaderOption
	if c.exportInterval > 0 {
		periodic = append(periodic, sdkmetric.WithInterval(c.exportInterval))
	}
	for _, push := range c.push {
		exp, err := push.build(ctx)
		if err != nil {
			return readers, fmt.Errorf("exporters: %s: %w", push.option, err)
		}
		readers = append(readers, sdkmetric.NewPeriodicReader(exp, periodic...))
	}
	return append(readers, c.readers...), nil
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

// Shutdown flushes every exporter and stops them. It is idempotent, as
// every nines Shutdown is: a later or concurrent call waits for the first
// (or returns its own ctx.Err()) and returns the first call's result. After
// Shutdown, instruments from MeterProvider record nothing.
func (p *Provider) Shutdown(ctx context.Context) error {
	return p.life.Shutdown(ctx, func(ctx context.Context) error {
		return wrapErr("shutdown", ctx, p.mp.Shutdown(ctx))
	})
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
