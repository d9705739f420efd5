package remediate

import (
	"io"
	"log/slog"

	"go.opentelemetry.io/otel/metric"
)

// EngineOption configures an Engine beyond its Config: where its telemetry
// and audit go. The interface is sealed; use the WithX functions.
type EngineOption interface{ applyEngine(*engineOptions) }

type engineOptions struct {
	meterProvider metric.MeterProvider
	logger        *slog.Logger
	loggerSet     bool
	writer        io.Writer
}

type engineOptionFunc func(*engineOptions)

func (f engineOptionFunc) applyEngine(o *engineOptions) { f(o) }

// WithEngineMeterProvider sets where the remediation.actions counter is
// created. The default is otel.GetMeterProvider(); nil means the default.
func WithEngineMeterProvider(mp metric.MeterProvider) EngineOption {
	return engineOptionFunc(func(o *engineOptions) { o.meterProvider = mp })
}

// WithAuditLogger sets the logger every audit record is logged to, one
// entry per record (info for executed, dry_run and awaiting_approval, warn
// for denied and rate_limited, error for failed). The default is
// slog.Default() as it is when NewEngine runs: decisions are rare and an
// operator expects to find them in the service's log. Nil turns logging
// off; the handler is called with no engine lock held.
func WithAuditLogger(l *slog.Logger) EngineOption {
	return engineOptionFunc(func(o *engineOptions) { o.logger, o.loggerSet = l, true })
}

// WithAuditWriter makes the engine write every audit record to w as one
// JSON line, in chain order, readable back with ReadRecords and
// VerifyJSONLines. Write errors are counted (Engine.AuditWriteErrors) and
// logged, never fatal. w is called without any engine lock held, from one
// goroutine at a time; the default is no writer.
func WithAuditWriter(w io.Writer) EngineOption {
	return engineOptionFunc(func(o *engineOptions) { o.writer = w })
}
