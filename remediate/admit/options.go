package admit

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/internal/config"
)

// meterName is the instrumentation scope of the package's instruments: its
// import path, as OpenTelemetry asks of instrumentation libraries.
const meterName = "github.com/nines-sre/nines/remediate/admit"

// ErrInvalidConfig is wrapped by every error NewShedder, NewLimiter and the
// configs' Validate methods return for an invalid config or name; the
// message reads "admit: invalid config: FIELD = VALUE: WHY". It also
// matches the root invalid-config sentinel every nines package shares.
var ErrInvalidConfig = config.New("admit")

func invalid(field string, value any, why string) error {
	return config.Error(ErrInvalidConfig, field, value, why)
}

// ShedderOption configures NewShedder. It is sealed: only this package's
// WithX functions make one, so an option meant for another constructor
// does not compile here. Nil options are ignored.
type ShedderOption interface {
	applyShedder(*options)
}

// LimiterOption configures NewLimiter. It is sealed, like ShedderOption.
type LimiterOption interface {
	applyLimiter(*options)
}

// Option configures both NewShedder and NewLimiter.
type Option interface {
	ShedderOption
	LimiterOption
}

// options is what either constructor's options add up to; each
// constructor reads only its own fields.
type options struct {
	meterProvider metric.MeterProvider
}

// bothOption is an Option: its setter applies to either constructor.
type bothOption func(*options)

func (f bothOption) applyShedder(o *options) { f(o) }
func (f bothOption) applyLimiter(o *options) { f(o) }

func shedderOptions(opts []ShedderOption) options {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt.applyShedder(&o)
		}
	}
	return o.withDefaults()
}

func limiterOptions(opts []LimiterOption) options {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt.applyLimiter(&o)
		}
	}
	return o.withDefaults()
}

func (o options) withDefaults() options {
	if o.meterProvider == nil {
		o.meterProvider = otel.GetMeterProvider()
	}
	return o
}

// WithMeterProvider sets the MeterProvider a Shedder or Limiter registers
// its instruments with. The default is otel.GetMeterProvider(); nil keeps
// the default.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return bothOption(func(o *options) {
		if mp != nil {
			o.meterProvider = mp
		}
	})
}
