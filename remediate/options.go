package remediate

import (
	"io"
	"log/slog"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/internal/config"
)

// meterName is the instrumentation scope of every instrument of the package.
const meterName = "github.com/nines-sre/nines/remediate"

// ErrInvalidConfig is wrapped by every error NewEngine and Config.Validate
// return for an invalid Config; the message reads
// "remediate: invalid config: FIELD = VALUE: WHY". It also matches the root
// invalid-config sentinel every nines package shares.
var ErrInvalidConfig = config.New("remediate")

func invalid(field string, value any, why string) error {
	return config.Error(ErrInvalidConfig, field, value, why)
}

// Option configures NewEngine. It is sealed: only this package's WithX
// functions make one, so an option of another constructor (a breaker's,
// a shedder's) does not compile here. Nil options are ignored.
type Option interface {
	apply(*options)
}

// options is what the options of one NewEngine call add up to.
type options struct {
	meterProvider metric.MeterProvider
	logger        *slog.Logger
	loggerSet     bool
	writer        io.Writer
}

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// applyOptions applies opts and fills in the defaults.
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
	if !o.loggerSet {
		o.logger = slog.Default()
	}
	return o
}

// WithMeterProvider sets the MeterProvider the engine registers its
// instruments with. The default is otel.GetMeterProvider(); nil keeps the
// default.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(o *options) {
		if mp != nil {
			o.meterProvider = mp
		}
	})
}

// WithAuditLogger sets the logger every audit record is logged to, one
// line per record: info for executed, reverted, dry_run and
// awaiting_approval, debug for the skips (denied and rate_limited), error
// for failed; the hash stays in the audit record. The default is
// slog.Default() as it is when NewEngine runs: decisions are rare and an
// operator expects to find them in the service's log. Nil turns logging
// off; the handler is called with no engine lock held.
func WithAuditLogger(l *slog.Logger) Option {
	return optionFunc(func(o *options) { o.logger, o.loggerSet = l, true })
}

// WithAuditWriter makes the engine write every audit record to w as one
// JSON line, in chain order, readable back with ReadRecords and
// VerifyJSONLines. Write errors are counted (Engine.AuditWriteErrors) and
// logged, never fatal. w is called without any engine lock held, from one
// goroutine at a time; the default (and nil) is no writer.
func WithAuditWriter(w io.Writer) Option {
	return optionFunc(func(o *options) { o.writer = w })
}
