package health

import (
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/internal/config"
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
// InitialDelay. The default is 0.1. f must be in [0, 0.5]: outside it (or
// NaN) every Register and Start returns an error wrapping
// ErrInvalidConfig, as for WithDrainDelay. Zero makes scheduling exact,
// which tests use.
func WithJitter(f float64) Option {
	return optionFunc(func(c *registryConfig) {
		if !(f >= 0 && f <= 0.5) {
			if c.err == nil {
				c.err = config.Error(ErrInvalidConfig, "WithJitter", f, "must be in [0, 0.5]")
			}
			return
		}
		c.jitter = f
	})
}
