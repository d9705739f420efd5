package breaker

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	gobreaker "github.com/sony/gobreaker/v2"

	"github.com/nines-sre/nines/internal/config"
)

// The defaults of Config's zero fields, as its field docs state them.
const (
	defaultConsecutiveFailures = 5
	defaultMinimumCalls        = 20
	defaultWindow              = 60 * time.Second
	defaultBuckets             = 10
	defaultOpenTimeout         = 60 * time.Second
	maxBuckets                 = 1000
)

// Config describes a Breaker. It is a plain struct: every zero field means
// the documented default, so Config{} is a valid configuration (trip after
// 5 consecutive failures, stay open 60 s, then let one probe through). New
// validates it; Validate reports the same errors without building anything.
type Config struct {
	// ConsecutiveFailures trips the breaker after this many failures in a
	// row in the closed state. Zero means 5, whether or not FailureRatio is
	// set: a dependency that fails every call must trip within a handful of
	// calls, not only once the ratio policy's window holds MinimumCalls
	// calls. math.MaxUint32 turns this policy off.
	ConsecutiveFailures uint32

	// FailureRatio trips the breaker when failures/(successes+failures) in
	// the rolling window reaches it, once at least MinimumCalls calls have
	// completed in the window. Zero turns the policy off; otherwise it must
	// be in (0, 1]. Slow successes are not failures (see SlowCallRatio).
	FailureRatio float64

	// MinimumCalls is the volume the window must hold before FailureRatio
	// or SlowCallRatio is evaluated. Zero means 20.
	MinimumCalls uint32

	// SlowThreshold, when positive, makes the breaker measure each call's
	// latency: a call slower than it is slow. Zero turns latency
	// measurement and the slow-call policy off (SlowCallRatio must then be
	// zero too). Negative is an error.
	SlowThreshold time.Duration

	// SlowCallRatio trips the breaker when slow calls/completed calls in
	// the rolling window reaches it, once MinimumCalls calls have completed
	// (failed calls count in both, excluded ones in neither). A slow
	// successful call is otherwise a success for the other policies; in the
	// half-open state a slow probe counts as a failure. It needs
	// SlowThreshold: a non-zero SlowCallRatio without it is an error. Zero
	// means 1 (every call in the window slow) when SlowThreshold is set;
	// otherwise it must be in (0, 1].
	SlowCallRatio float64

	// Window is the length of the rolling window the closed state counts
	// over. Zero means 60 s. Negative is an error.
	Window time.Duration

	// Buckets is the number of buckets the window rolls by: the window
	// forgets one bucket (Window/Buckets) of history at a time. Zero means
	// 10; it must be at most 1000 and Window/Buckets at least a millisecond.
	Buckets int

	// OpenTimeout is how long the breaker stays open before letting
	// half-open probes through. Zero means 60 s. Negative is an error.
	OpenTimeout time.Duration

	// HalfOpenCalls is the number of probe calls admitted at once in the
	// half-open state; that many consecutive successes close the breaker,
	// one failure opens it again. Zero means 1.
	HalfOpenCalls uint32

	// IsExcluded reports errors that count as neither success nor failure,
	// such as a caller's cancellation or a 4xx answer. Nil means
	// errors.Is(err, context.Canceled). It is called only for non-nil
	// errors, outside every lock, and must be safe for concurrent use.
	IsExcluded func(err error) bool
}

// resolved is a Config with defaults applied, validated.
type resolved struct {
	consecutive   uint32
	ratio         float64
	minimumCalls  uint32
	slow          time.Duration
	slowRatio     float64
	buckets       int
	window        time.Duration
	bucket        time.Duration
	openTimeout   time.Duration
	halfOpenCalls uint32
	isExcluded    func(error) bool
}

func invalid(field string, value any, why string) error {
	return config.Error(ErrInvalidConfig, field, value, why)
}

func isCanceled(err error) bool { return errors.Is(err, context.Canceled) }

// Validate reports whether c is a valid configuration, with an error
// wrapping ErrInvalidConfig that names the first invalid field and its
// value.
func (c Config) Validate() error {
	_, err := c.resolve()
	return err
}

func (c Config) resolve() (resolved, error) {
	r := resolved{
		consecutive:   orDefault(c.ConsecutiveFailures, defaultConsecutiveFailures),
		ratio:         c.FailureRatio,
		minimumCalls:  orDefault(c.MinimumCalls, defaultMinimumCalls),
		slow:          c.SlowThreshold,
		slowRatio:     orDefault(c.SlowCallRatio, 1),
		window:        orDefault(c.Window, defaultWindow),
		buckets:       orDefault(c.Buckets, defaultBuckets),
		openTimeout:   orDefault(c.OpenTimeout, defaultOpenTimeout),
		halfOpenCalls: orDefault(c.HalfOpenCalls, 1),
		isExcluded:    c.IsExcluded,
	}
	switch {
	case math.IsNaN(c.FailureRatio) || c.FailureRatio < 0 || c.FailureRatio > 1:
		return r, invalid("FailureRatio", c.FailureRatio, "must be 0 (off) or in (0, 1]")
	case math.IsNaN(c.SlowCallRatio) || c.SlowCallRatio < 0 || c.SlowCallRatio > 1:
		return r, invalid("SlowCallRatio", c.SlowCallRatio, "must be 0 (1 when SlowThreshold is set) or in (0, 1]")
	case c.SlowThreshold < 0:
		return r, invalid("SlowThreshold", c.SlowThreshold, "must not be negative")
	case c.SlowCallRatio != 0 && c.SlowThreshold == 0:
		return r, invalid("SlowCallRatio", c.SlowCallRatio, "needs a SlowThreshold: without one no call is measured and the ratio would be ignored")
	case c.Window < 0:
		return r, invalid("Window", c.Window, "must not be negative")
	case c.Buckets < 0 || c.Buckets > maxBuckets:
		return r, invalid("Buckets", c.Buckets, "must be in [0, 1000]")
	case c.OpenTimeout < 0:
		return r, invalid("OpenTimeout", c.OpenTimeout, "must not be negative")
	}
	r.bucket = r.window / time.Duration(r.buckets)
	if r.bucket < time.Millisecond {
		return r, invalid("Window", r.window, fmt.Sprintf("Window/Buckets (%d) must be at least 1ms", r.buckets))
	}
	if r.isExcluded == nil {
		r.isExcluded = isCanceled
	}
	return r, nil
}

// orDefault returns v, or def when v is zero.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// slowWindow returns the slow-call window, or nil without a slow threshold.
func (r *resolved) slowWindow() *slowWindow {
	if r.slow <= 0 {
		return nil
	}
	return newSlowWindow(r.window, r.buckets, r.slowRatio, r.minimumCalls)
}

// gobreakerSettings maps the configuration onto gobreaker. The breaker
// hands gobreaker one of its outcome sentinels instead of the caller's
// error, so gobreaker's own classification is a pointer comparison.
func (r *resolved) gobreakerSettings(name string, h *hooks) gobreaker.Settings {
	return gobreaker.Settings{
		Name:          name,
		MaxRequests:   r.halfOpenCalls,
		Interval:      r.window,
		BucketPeriod:  r.bucket,
		Timeout:       r.openTimeout,
		ReadyToTrip:   h.readyToTrip,
		OnStateChange: h.onStateChange,
		IsSuccessful:  h.isSuccessful,
		IsExcluded:    h.isExcluded,
	}
}
