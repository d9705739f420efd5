package admit

import (
	"math"
	"time"
)

// The defaults of LimiterConfig's zero fields, as its field docs state them.
const (
	defaultInitial = 20
	defaultCeiling = 1000
	defaultBackoff = 0.9
	maxCeiling     = 1 << 30
)

// LimiterConfig describes a Limiter. It is a plain struct whose zero
// fields mean the documented defaults: LimiterConfig{} is valid (start at
// 20, floor 1, ceiling 1000, backoff 0.9, every success healthy).
// NewLimiter validates it; Validate reports the same errors without
// building anything.
type LimiterConfig struct {
	// Initial is the starting limit. Zero means 20,
	// clamped to [Floor, Ceiling].
	Initial int
	// Floor is the lowest the limit goes. Zero means 1.
	Floor int
	// Ceiling is the highest the limit goes. Zero means
	// 1000 (or Floor if larger); at most 1<<30.
	Ceiling int
	// Backoff multiplies the limit on each drop. Zero means
	// 0.9; otherwise it must be in [0.5, 1).
	Backoff float64
	// LatencyThreshold, when positive, makes a success slower than it
	// count as a drop: the queueing it signals must shrink the limit, not
	// grow it. Zero judges successes by outcome only. Negative is an error.
	LatencyThreshold time.Duration
}

type limiterConfig struct {
	initial, floor, ceiling float64
	backoff                 float64
	latency                 time.Duration
}

// Validate reports whether s is a valid configuration, with an error
// wrapping ErrInvalidConfig that names the first invalid field and its
// value.
func (s LimiterConfig) Validate() error {
	_, err := s.resolve()
	return err
}

func (s LimiterConfig) resolve() (limiterConfig, error) {
	c := limiterConfig{latency: s.LatencyThreshold}
	switch {
	case s.Floor < 0 || s.Floor > maxCeiling:
		return c, invalid("Floor", s.Floor, "must be in [0, 1<<30]")
	case s.Ceiling < 0 || s.Ceiling > maxCeiling:
		return c, invalid("Ceiling", s.Ceiling, "must be in [0, 1<<30]")
	case s.Ceiling > 0 && s.Ceiling < s.Floor:
		return c, invalid("Ceiling", s.Ceiling, "must not be below Floor")
	case s.Initial < 0:
		return c, invalid("Initial", s.Initial, "must not be negative")
	case math.IsNaN(s.Backoff) || s.Backoff != 0 && (s.Backoff < 0.5 || s.Backoff >= 1):
		return c, invalid("Backoff", s.Backoff, "must be 0 or in [0.5, 1)")
	case s.LatencyThreshold < 0:
		return c, invalid("LatencyThreshold", s.LatencyThreshold, "must not be negative")
	}
	c.floor = float64(max(1, s.Floor))
	c.ceiling = float64(s.Ceiling)
	if s.Ceiling == 0 {
		c.ceiling = math.Max(defaultCeiling, c.floor)
	}
	c.initial = float64(s.Initial)
	if s.Initial == 0 {
		c.initial = defaultInitial
	}
	c.initial = math.Min(math.Max(c.initial, c.floor), c.ceiling)
	c.backoff = s.Backoff
	if c.backoff == 0 {
		c.backoff = defaultBackoff
	}
	return c, nil
}
