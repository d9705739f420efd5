package slo

import (
	"time"

	"go.opentelemetry.io/otel/metric"
)

// Option configures New; WithClock makes one. Each constructor has its own
// option type, so an option it would not read does not compile there.
type Option interface{ applyNew(*settings) }

// SetOption configures NewSet; WithClock, WithTickInterval and
// WithMeterProvider make them.
type SetOption interface{ applySet(*settings) }

// ClockOption is what WithClock returns: an Option and a SetOption.
type ClockOption interface {
	Option
	SetOption
}

type settings struct {
	now      func() time.Time
	interval time.Duration
	mp       metric.MeterProvider
}

type clockOption func() time.Time

func (o clockOption) applyNew(s *settings) { s.now = o }
func (o clockOption) applySet(s *settings) { s.now = o }

// WithClock sets the clock read by the shorthands that take no time
// (Status, Tick, a Set's ticks) and, for New, the start of the objective's
// history. Record never reads it. Nil means time.Now.
func WithClock(now func() time.Time) ClockOption { return clockOption(now) }

type setOption func(*settings)

func (o setOption) applySet(s *settings) { o(s) }

// DefaultTickInterval is how often a started Set ticks.
const DefaultTickInterval = time.Second

// WithTickInterval sets how often a started Set ticks: it advances every
// objective's coarse clock (so Record lands in the right minute) and
// evaluates alerts. Zero means DefaultTickInterval; a negative d makes
// NewSet fail with an error wrapping ErrInvalidConfig.
func WithTickInterval(d time.Duration) SetOption {
	return setOption(func(s *settings) { s.interval = d })
}

// WithMeterProvider sets where a Set reports its metrics. Nil means
// otel.GetMeterProvider().
func WithMeterProvider(mp metric.MeterProvider) SetOption {
	return setOption(func(s *settings) { s.mp = mp })
}
