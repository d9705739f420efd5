package admit

import (
	"errors"
	"fmt"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
)

// meterName is the instrumentation scope of every instrument of the package.
const meterName = "github.com/nines-sre/nines/remediate"

// ErrInvalidConfig is wrapped by every error NewShedder and NewLimiter
// return for an invalid config or name. The message names the field and
// its value.
var ErrInvalidConfig = errors.New("admit: invalid config")

func invalid(field string, value any, why string) error {
	return fmt.Errorf("%w: %s = %v: %s", ErrInvalidConfig, field, value, why)
}

// Option configures NewShedder or NewLimiter. It is sealed: use the WithX
// functions of this package. Nil options are ignored.
type Option interface {
	apply(*options)
}

type options struct {
	meterProvider metric.MeterProvider
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

// WithMeterProvider sets the MeterProvider a Shedder or Limiter registers
// its instruments with. The default is otel.GetMeterProvider(); nil keeps
// the default.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(o *options) {
		if mp != nil {
			o.meterProvider = mp
		}
	})
}
