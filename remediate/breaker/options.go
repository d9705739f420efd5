package breaker

import (
	"errors"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
)

// meterName is the instrumentation scope of every instrument of the package.
const meterName = "github.com/nines-sre/nines/remediate"

// ErrInvalidConfig is wrapped by every error New returns for an invalid
// Config or name. The message names the field and its value.
var ErrInvalidConfig = errors.New("breaker: invalid config")

// Option configures New. It is sealed: use the WithX functions of this
// package. Nil options are ignored.
type Option interface {
	apply(*options)
}

type options struct {
	meterProvider metric.MeterProvider
	listeners     []func(StateChange)
}

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

func applyOptions(opts []Option) options {
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

// WithStateListener adds a state-change listener (see
// Breaker.OnStateChange); nil is ignored.
func WithStateListener(fn func(StateChange)) Option {
	return optionFunc(func(o *options) {
		if fn != nil {
			o.listeners = append(o.listeners, fn)
		}
	})
}
