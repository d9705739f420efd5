package remediate

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
)

// GuardOption configures a Breaker, a Shedder or a ConcurrencyLimiter. It is
// sealed: use the WithX functions of this package.
type GuardOption interface {
	applyGuard(*guardOptions)
}

type guardOptions struct {
	meterProvider metric.MeterProvider
	listeners     []func(StateChange)
}

type guardOptionFunc func(*guardOptions)

func (f guardOptionFunc) applyGuard(o *guardOptions) { f(o) }

// WithGuardMeterProvider sets the MeterProvider the breaker or shedder
// registers its instruments with. The default is otel.GetMeterProvider().
// A nil provider is ignored.
func WithGuardMeterProvider(mp metric.MeterProvider) GuardOption {
	return guardOptionFunc(func(o *guardOptions) {
		if mp != nil {
			o.meterProvider = mp
		}
	})
}

// WithStateListener adds a breaker state-change listener (see
// Breaker.OnStateChange). Other constructors ignore it.
func WithStateListener(fn func(StateChange)) GuardOption {
	return guardOptionFunc(func(o *guardOptions) {
		if fn != nil {
			o.listeners = append(o.listeners, fn)
		}
	})
}

func applyGuardOptions(opts []GuardOption) guardOptions {
	var o guardOptions
	for _, opt := range opts {
		if opt != nil {
			opt.applyGuard(&o)
		}
	}
	if o.meterProvider == nil {
		o.meterProvider = otel.GetMeterProvider()
	}
	return o
}

// meterName is the instrumentation scope of every instrument of the package.
const meterName = "github.com/nines-sre/nines/remediate"
