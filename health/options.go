package health

import (
	"math"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
)

// Option configures a Registry in NewRegistry. Options are made by the
// WithX functions of this package; they are immutable and safe for
// concurrent use.
type Option interface{ apply(*registryConfig) }

type registryConfig struct {
	meterProvider metric.MeterProvider
	jitter        float64
	drainDelay    time.Duration
	err           error // the first invalid option, returned by Register and Start
}

func defaultConfig() registryConfig {
	return registryConfig{meterProvider: otel.GetMeterProvider(), jitter: DefaultJitter, drainDelay: DefaultDrainDelay}
}

type optionFunc func(*registryConfig)

func (f optionFunc) apply(c *registryConfig) { f(c) }

// DefaultJitter is the jitter fraction of a Registry built without
// WithJitter.
const DefaultJitter = 0.1

// WithMeterProvider sets where the registry's instruments are created.
// The default is otel.GetMeterProvider(); nil keeps the default.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *registryConfig) {
		if mp != nil {
			c.meterProvider = mp
		}
	})
}

// WithJitter sets the fraction f of a check's Interval by which each wait
// between two runs is randomly shortened (so replicas and checks do not
// run in lock step), and within which the first run is spread after the
// InitialDelay. The default is 0.1. f is clamped to [0, 0.5]; NaN means 0.
// Zero makes scheduling exact, which tests use.
func WithJitter(f float64) Option {
	return optionFunc(func(c *registryConfig) {
		if math.IsNaN(f) {
			f = 0
		}
		c.jitter = min(max(f, 0), 0.5)
	})
}
