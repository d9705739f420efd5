package synthetic

import (
	"net/http"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/internal/config"
)

// Option configures NewRunner. It is sealed: only this package's WithX
// functions make one.
type Option interface{ applyRunner(*settings) }

type settings struct {
	transport   http.RoundTripper
	now         func() time.Time
	maxBody     int64
	concurrency int
	jitter      float64
	mp          metric.MeterProvider
	window      time.Duration
	history     int
}

func defaults() settings {
	return settings{
		transport:   http.DefaultTransport,
		now:         time.Now,
		maxBody:     1 << 20,
		concurrency: 4,
		jitter:      0.1,
		mp:          otel.GetMeterProvider(),
		window:      28 * 24 * time.Hour,
		history:     10,
	}
}

type optionFunc func(*settings)

func (f optionFunc) applyRunner(s *settings) { f(s) }

// WithTransport sets the RoundTripper every step uses. Nil means
// http.DefaultTransport. A Monitor's RoundTripper is a good choice: it
// sees the own-traffic mark and keeps the requests out of the SLOs.
func WithTransport(rt http.RoundTripper) Option {
	return optionFunc(func(s *settings) {
		if rt != nil {
			s.transport = rt
		}
	})
}

// WithClock sets the clock results and SLOs are stamped with. Nil means
// time.Now. Timeouts are contexts, so they follow the real (or the
// testing/synctest) clock.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(s *settings) {
		if now != nil {
			s.now = now
		}
	})
}

// WithMaxBodyBytes bounds how much of a response body a step reads; a
// longer body fails the step without being read further. A Call gets
// the bound too (CallInput.MaxBodyBytes): a gRPC response message larger
// than it fails with RESOURCE_EXHAUSTED. Zero or less
// means the default, 1 MiB.
func WithMaxBodyBytes(n int64) Option {
	return optionFunc(func(s *settings) {
		if n > 0 {
			s.maxBody = n
		}
	})
}

// WithConcurrency bounds how many checks run at once; a scheduled run
// waits for a slot. Zero or less means the default, 4.
func WithConcurrency(n int) Option {
	return optionFunc(func(s *settings) {
		if n > 0 {
			s.concurrency = n
		}
	})
}

// WithJitter sets the fraction of a check's Interval by which each wait is
// shortened at random, so that many replicas do not probe a target in
// step. The default is 0.1; it must be in [0, 1).
func WithJitter(f float64) Option { return optionFunc(func(s *settings) { s.jitter = f }) }

// WithMeterProvider sets the provider of the synthetic.check.duration and
// synthetic.check.runs instruments. Nil means the global provider (otel.GetMeterProvider).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(s *settings) {
		if mp != nil {
			s.mp = mp
		}
	})
}

// WithSLOWindow sets the rolling window of every check's two objectives.
// Zero means 28 days.
func WithSLOWindow(d time.Duration) Option {
	return optionFunc(func(s *settings) {
		if d > 0 {
			s.window = d
		}
	})
}

func (s *settings) validate() error {
	if !(s.jitter >= 0 && s.jitter < 1) {
		return config.Error(ErrInvalidConfig, "WithJitter", s.jitter, "must be in [0, 1)")
	}
	return nil
}
