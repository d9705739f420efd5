package slo

import (
	"time"

	"go.opentelemetry.io/otel/metric"
)

// Option configures New and NewSet. Options that do not apply to one of
// them (WithTickInterval and WithMeterProvider for New) are ignored.
type Option interface{ apply(*config) }

type config struct {
	now      func() time.Time
	interval time.Duration
	mp       metric.MeterProvider
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithClock sets the clock read by the shorthands that take no time
// (Status, Tick, a Set's ticks) and, for New, the start of the objective's
// history. Record never reads it. Nil means time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) { c.now = now })
}

// DefaultTickInterval is how often a started Set ticks.
const DefaultTickInterval = time.Second

// WithTickInterval sets how often a started Set ticks: it advances every
// objective's coarse clock (so Record lands in the right minute) and
// evaluates alerts. Zero or negative means DefaultTickInterval.
func WithTickInterval(d time.Duration) Option {
	return optionFunc(func(c *config) { c.interval = d })
}

// WithMeterProvider sets where a Set reports its metrics. Nil means
// otel.GetMeterProvider().
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) { c.mp = mp })
}
