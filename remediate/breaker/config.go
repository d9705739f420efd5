package breaker

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	gobreaker "github.com/sony/gobreaker/v2"
)

// Defaults applied to zero fields of Config.
const (
	defaultConsecutiveFailures = 5
	defaultMinimumCalls        = 20
	defaultWindow              = 60 * time.Second
	defaultBuckets             = 10
	defaultOpenTimeout         = 60 * time.Second
	maxBuckets                 = 1000
)

// Config configures a Breaker. It is a plain struct: every zero
// field means the documented default, so Config{} is a valid
// configuration (trip after 5 consecutive failures, 60 s open timeout).
type Config struct {
	// ConsecutiveFailures trips the breaker after this many failures in a
	// row in the closed state. Zero disables the policy, unless FailureRatio
	// is zero too, in which case it is defaultConsecutiveFailures.
	ConsecutiveFailures uint32

	// FailureRatio trips the breaker when failures/(successes+failures) in
	// the rolling window reaches it, once at least MinimumCalls calls have
	// completed in the window. Zero disables the policy; otherwise it must
	// be in (0, 1]. Slow successes are not failures (see SlowCallRatio).
	FailureRatio float64

	// MinimumCalls is the volume the window must hold before FailureRatio
	// is evaluated. Zero means defaultMinimumCalls.
	MinimumCalls uint32

	// SlowThreshold, when positive, makes the breaker measure each call's
	// latency: a call slower than it is slow. Zero disables latency
	// measurement and the slow-call policy. Negative is an error.
	SlowThreshold time.Duration

	// SlowCallRatio trips the breaker when slow calls/completed calls in
	// the rolling window reaches it, once MinimumCalls calls have completed
	// (failed calls count in both, excluded ones in neither). A slow
	// successful call is otherwise a success for the other policies; in the
	// half-open state a slow probe counts as a failure. Used only with
	// SlowThreshold; zero means 1 (every call in the window slow);
	// otherwise it must be in (0, 1].
	SlowCallRatio float64

	// Window is the length of the rolling window the closed state counts
	// over. Zero means defaultWindow. Negative is an error.
	Window time.Duration

	// Buckets is the number of buckets the window rolls by: the window
	// forgets one bucket (Window/Buckets) of history at a time. Zero means
	// defaultBuckets; it must be at most 1000 and Window/Buckets
	// must be at least a millisecond.
	Buckets int

	// OpenTimeout is how long the breaker stays open before letting
	// half-open probes through. Zero means defaultOpenTimeout.
	// Negative is an error.
	OpenTimeout time.Duration

	// HalfOpenCalls is the number of probe calls admitted in the half-open
	// state; that many consecutive successes close the breaker, one failure
	// opens it again. Zero means 1.
	HalfOpenCalls uint32

	// IsExcluded reports errors that count as neither success nor failure,
	// such as a caller's cancellation or a 4xx answer. Nil means
	// errors.Is(err, context.Canceled). It is called only for non-nil
	// errors and must be safe for concurrent use.
	IsExcluded func(err error) bool
}

// breakerConfig is Config with defaults applied and validated.
type breakerConfig struct {
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
	return fmt.Errorf("%w: %s = %v: %s", ErrInvalidConfig, field, value, why)
}

func isCanceled(err error) bool { return errors.Is(err, context.Canceled) }

func (s Config) validate() (breakerConfig, error) {
	c := breakerConfig{
		consecutive:   s.ConsecutiveFailures,
		ratio:         s.FailureRatio,
		minimumCalls:  s.MinimumCalls,
		slow:          s.SlowThreshold,
		slowRatio:     s.SlowCallRatio,
		window:        s.Window,
		openTimeout:   s.OpenTimeout,
		halfOpenCalls: s.HalfOpenCalls,
		isExcluded:    s.IsExcluded,
	}
	switch {
	case math.IsNaN(s.FailureRatio) || s.FailureRatio < 0 || s.FailureRatio > 1:
		return c, invalid("FailureRatio", s.FailureRatio, "must be 0 (off) or in (0, 1]")
	case math.IsNaN(s.SlowCallRatio) || s.SlowCallRatio < 0 || s.SlowCallRatio > 1:
		return c, invalid("SlowCallRatio", s.SlowCallRatio, "must be 0 (1 when SlowThreshold is set) or in (0, 1]")
	case s.SlowThreshold < 0:
		return c, invalid("SlowThreshold", s.SlowThreshold, "must not be negative")
	case s.Window < 0:
		return c, invalid("Window", s.Window, "must not be negative")
	case s.Buckets < 0 || s.Buckets > maxBuckets:
		return c, invalid("Buckets", s.Buckets, "must be in [0, 1000]")
	case s.OpenTimeout < 0:
		return c, invalid("OpenTimeout", s.OpenTimeout, "must not be negative")
	}
	if c.consecutive == 0 && c.ratio == 0 {
		c.consecutive = defaultConsecutiveFailures
	}
	if c.minimumCalls == 0 {
		c.minimumCalls = defaultMinimumCalls
	}
	if c.window == 0 {
		c.window = defaultWindow
	}
	buckets := s.Buckets
	if buckets == 0 {
		buckets = defaultBuckets
	}
	c.buckets = buckets
	if c.slowRatio == 0 {
		c.slowRatio = 1
	}
	c.bucket = c.window / time.Duration(buckets)
	if c.bucket < time.Millisecond {
		return c, invalid("Window", s.Window, fmt.Sprintf("Window/Buckets (%d) must be at least 1ms", buckets))
	}
	if c.openTimeout == 0 {
		c.openTimeout = defaultOpenTimeout
	}
	if c.halfOpenCalls == 0 {
		c.halfOpenCalls = 1
	}
	if c.isExcluded == nil {
		c.isExcluded = isCanceled
	}
	return c, nil
}

// slowWindow returns the slow-call window, or nil without a slow threshold.
func (c *breakerConfig) slowWindow() *slowWindow {
	if c.slow <= 0 {
		return nil
	}
	return newSlowWindow(c.window, c.buckets, c.slowRatio, c.minimumCalls)
}

// gobreakerSettings maps the configuration onto gobreaker. The breaker
// hands gobreaker one of four sentinel errors instead of the caller's
// error, so gobreaker's own classification is a pointer comparison.
func (c *breakerConfig) gobreakerSettings(name string, h *breakerHooks) gobreaker.Settings {
	return gobreaker.Settings{
		Name:          name,
		MaxRequests:   c.halfOpenCalls,
		Interval:      c.window,
		BucketPeriod:  c.bucket,
		Timeout:       c.openTimeout,
		ReadyToTrip:   h.readyToTrip,
		OnStateChange: h.onStateChange,
		IsSuccessful:  h.isSuccessful,
		IsExcluded:    h.isExcluded,
	}
}
