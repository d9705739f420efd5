package remediate

import (
	"errors"
	"fmt"
	"io"
	"log/slog"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
)

// meterName is the instrumentation scope of every instrument of the package.
const meterName = "github.com/nines-sre/nines/remediate"

// ErrInvalidConfig is wrapped by every error a constructor of this package
// (NewBreaker, NewShedder, NewConcurrencyLimiter, NewEngine) returns for
// invalid settings, an invalid Config or an option that does not apply to
// it. The message names the field or option and its value.
var ErrInvalidConfig = errors.New("remediate: invalid config")

// ErrInvalidSettings is the former name of ErrInvalidConfig, kept so that
// existing code compiles; errors.Is matches either.
//
// Deprecated: use ErrInvalidConfig.
var ErrInvalidSettings = ErrInvalidConfig

// ErrInvalidEngineConfig is the former name of ErrInvalidConfig, kept so
// that existing code compiles; errors.Is matches either.
//
// Deprecated: use ErrInvalidConfig.
var ErrInvalidEngineConfig = ErrInvalidConfig

// Option configures NewBreaker, NewShedder, NewConcurrencyLimiter or
// NewEngine. It is sealed: use the WithX functions of this package. Options
// are immutable values, safe for concurrent use and reusable across
// constructors. WithMeterProvider applies to every constructor; the others
// say which constructor they configure, and any other constructor given one
// fails with an error wrapping ErrInvalidConfig that names the option. Nil
// options are ignored.
type Option interface {
	apply(*options)
}

// GuardOption is the former name of Option for breakers, shedders and
// concurrency limiters.
//
// Deprecated: use Option.
type GuardOption = Option

// EngineOption is the former name of Option for NewEngine.
//
// Deprecated: use Option.
type EngineOption = Option

// constructor is a set of the package's constructors, one bit each.
type constructor uint8

const (
	forBreaker constructor = 1 << iota
	forShedder
	forLimiter
	forEngine

	forAll = forBreaker | forShedder | forLimiter | forEngine
)

// options is what the options of one constructor call add up to.
type options struct {
	target  constructor // the constructor being configured
	misused string      // first option that does not apply to it

	meterProvider metric.MeterProvider
	listeners     []func(StateChange)
	logger        *slog.Logger
	loggerSet     bool
	writer        io.Writer
}

// option is the only Option implementation: a named setter with the
// constructors it applies to.
type option struct {
	name string
	to   constructor
	set  func(*options)
}

func (o option) apply(c *options) {
	if o.to&c.target == 0 {
		if c.misused == "" {
			c.misused = o.name
		}
		return
	}
	o.set(c)
}

// applyOptions applies opts for the constructor target, named ctor in the
// error, and fills in the defaults.
func applyOptions(target constructor, ctor string, opts []Option) (options, error) {
	o := options{target: target}
	for _, opt := range opts {
		if opt != nil {
			opt.apply(&o)
		}
	}
	if o.misused != "" {
		return options{}, fmt.Errorf("%w: option %s does not apply to %s", ErrInvalidConfig, o.misused, ctor)
	}
	if o.meterProvider == nil {
		o.meterProvider = otel.GetMeterProvider()
	}
	if !o.loggerSet {
		o.logger = slog.Default()
	}
	return o, nil
}

// WithMeterProvider sets the MeterProvider a breaker, shedder, concurrency
// limiter or engine registers its instruments with. The default is
// otel.GetMeterProvider(); nil keeps the default.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return option{name: "WithMeterProvider", to: forAll, set: func(o *options) {
		if mp != nil {
			o.meterProvider = mp
		}
	}}
}

// WithGuardMeterProvider is the former name of WithMeterProvider.
//
// Deprecated: use WithMeterProvider.
func WithGuardMeterProvider(mp metric.MeterProvider) Option { return WithMeterProvider(mp) }

// WithEngineMeterProvider is the former name of WithMeterProvider.
//
// Deprecated: use WithMeterProvider.
func WithEngineMeterProvider(mp metric.MeterProvider) Option { return WithMeterProvider(mp) }

// WithStateListener adds a breaker state-change listener (see
// Breaker.OnStateChange); nil is ignored. It applies to NewBreaker only.
func WithStateListener(fn func(StateChange)) Option {
	return option{name: "WithStateListener", to: forBreaker, set: func(o *options) {
		if fn != nil {
			o.listeners = append(o.listeners, fn)
		}
	}}
}

// WithAuditLogger sets the logger every audit record is logged to, one
// entry per record (info for executed, dry_run and awaiting_approval, warn
// for denied and rate_limited, error for failed). The default is
// slog.Default() as it is when NewEngine runs: decisions are rare and an
// operator expects to find them in the service's log. Nil turns logging
// off; the handler is called with no engine lock held. It applies to
// NewEngine only.
func WithAuditLogger(l *slog.Logger) Option {
	return option{name: "WithAuditLogger", to: forEngine, set: func(o *options) { o.logger, o.loggerSet = l, true }}
}

// WithAuditWriter makes the engine write every audit record to w as one
// JSON line, in chain order, readable back with ReadRecords and
// VerifyJSONLines. Write errors are counted (Engine.AuditWriteErrors) and
// logged, never fatal. w is called without any engine lock held, from one
// goroutine at a time; the default (and nil) is no writer. It applies to
// NewEngine only.
func WithAuditWriter(w io.Writer) Option {
	return option{name: "WithAuditWriter", to: forEngine, set: func(o *options) { o.writer = w }}
}
