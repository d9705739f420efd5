package breaker

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/internal/config"
)

// meterName is the instrumentation scope of the package's instruments: its
// import path, as OpenTelemetry asks of instrumentation libraries.
const meterName = "github.com/nines-sre/nines/remediate/breaker"

// ErrInvalidConfig is wrapped by every error New and Config.Validate return
// for an invalid Config or name; the message reads
// "breaker: invalid config: FIELD = VALUE: WHY". It also matches the root
// invalid-config sentinel every nines package shares.
var ErrInvalidConfig = config.New("breaker")

// Option configures New. It is sealed: only this package's WithX functions
// make one, so an option of another constructor does not compile here.
// Nil options are ignored.
type Option interface {
	apply(*options)
}

type options struct {
	meterProvider metric.MeterProvider
	listeners     []func(StateChange)
}

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

func newOptions(opts []Option) options {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt.apply(&o)
		}
	}
	if o.meterProvider == nil {
		o.meterProvider = otel.GetMeterProvider()
	}
	return o
}

// WithMeterProvider sets the MeterProvider the breaker registers its
// instruments with. The default is otel.GetMeterProvider(); nil keeps the
// default.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(o *options) {
		if mp != nil {
			o.meterProvider = mp
		}
	})
}

// WithStateListener adds a state-change listener from the start, as
// Breaker.OnStateChange does later (without a way to remove it); nil is
// ignored.
func WithStateListener(fn func(StateChange)) Option {
	return optionFunc(func(o *options) {
		if fn != nil {
			o.listeners = append(o.listeners, fn)
		}
	})
}
