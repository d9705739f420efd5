package detect

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
)

// DefaultMaxSeries is the series limit of a Monitor built without
// [WithMaxSeries].
const DefaultMaxSeries = 1000

// MonitorOption configures [NewMonitor].
type MonitorOption interface {
	applyMonitor(*monitorConfig) error
}

type monitorConfig struct {
	maxSeries int
	provider  metric.MeterProvider
	listeners []func(Anomaly)
}

func newMonitorConfig(opts []MonitorOption) (monitorConfig, error) {
	c := monitorConfig{maxSeries: DefaultMaxSeries}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o.applyMonitor(&c); err != nil {
			return c, err
		}
	}
	if c.provider == nil {
		c.provider = otel.GetMeterProvider()
	}
	return c, nil
}

type monitorOptionFunc func(*monitorConfig) error

func (f monitorOptionFunc) applyMonitor(c *monitorConfig) error { return f(c) }

// WithMaxSeries bounds how many series a Monitor tracks (default
// [DefaultMaxSeries]); it also bounds the cardinality of its metrics. n
// must be positive.
func WithMaxSeries(n int) MonitorOption {
	return monitorOptionFunc(func(c *monitorConfig) error {
		if n <= 0 {
			return invalid("WithMaxSeries", n, "must be positive")
		}
		c.maxSeries = n
		return nil
	})
}

// WithMeterProvider sets where the Monitor's metrics go (default
// otel.GetMeterProvider()).
func WithMeterProvider(mp metric.MeterProvider) MonitorOption {
	return monitorOptionFunc(func(c *monitorConfig) error {
		if mp == nil {
			return invalid("WithMeterProvider", nil, "must not be nil")
		}
		c.provider = mp
		return nil
	})
}

// WithAnomalyListener registers fn at construction, as
// [Monitor.OnAnomaly] does.
func WithAnomalyListener(fn func(Anomaly)) MonitorOption {
	return monitorOptionFunc(func(c *monitorConfig) error {
		if fn == nil {
			return invalid("WithAnomalyListener", nil, "must not be nil")
		}
		c.listeners = append(c.listeners, fn)
		return nil
	})
}
