package admit

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// ErrConcurrencyLimited is returned when the adaptive concurrency limit is
// reached. Reason "concurrency".
var ErrConcurrencyLimited = errors.New("admit: concurrency limit reached")

// Outcome is how a call admitted by a Limiter ended.
type Outcome uint8

const (
	// Success: the call succeeded (judged healthy unless slower
	// than LatencyThreshold).
	Success Outcome = iota
	// Dropped: the call failed in a way that signals overload
	// (an error from the dependency, a rejection).
	Dropped
	// Timeout: the call timed out. It counts as a drop.
	Timeout
	// Ignored: the outcome says nothing about capacity (the
	// caller cancelled, a 4xx); the limit is left alone.
	Ignored
)

// Limiter is an adaptive concurrency limit (AIMD): it admits a
// call while fewer than limit calls are in flight and adjusts the limit
// from outcomes. A drop (error, timeout, or a success slower than
// LatencyThreshold) multiplies the limit by Backoff, down to Floor. A
// healthy success adds 1/limit (about one per limit's worth of calls), up
// to Ceiling, but only if the limit was reached when that call was
// admitted.
//
// That last condition and counting timeouts as drops guard against the
// known failure of adaptive limiters where the limit keeps growing while
// the dependency is failing: calls that time out are never evidence for a
// larger limit, and a limit that is not being used is never raised.
//
// Create one with NewLimiter; the zero value is not usable. It
// is safe for concurrent use. Most callers want Acquire and
// Permit.Release.
type Limiter struct {
	name      string
	cfg       limiterConfig
	inflight  atomic.Int64
	limitBits atomic.Uint64 // float64 limit; written under mu
	mu        sync.Mutex
	rejected  atomic.Uint64
	reg       metric.Registration
	once      sync.Once
}

// NewLimiter returns a limiter named name (the concurrency.name
// and load_shedding.name attribute). It returns an error wrapping
// ErrInvalidConfig if s is invalid or name is empty.
func NewLimiter(name string, s LimiterConfig, opts ...LimiterOption) (*Limiter, error) {
	if name == "" {
		return nil, invalid("name", name, "must not be empty")
	}
	c, err := s.resolve()
	if err != nil {
		return nil, err
	}
	l := &Limiter{name: name, cfg: c}
	l.limitBits.Store(math.Float64bits(c.initial))
	o := limiterOptions(opts)
	limitOpt := metric.WithAttributes(attribute.String("concurrency.name", name))
	gauge := func(m metric.Meter) (func(metric.Observer), metric.Observable, error) {
		g, err := m.Int64ObservableGauge("concurrency.limit",
			metric.WithDescription("The adaptive concurrency limit."))
		if err != nil {
			return nil, nil, err
		}
		return func(o metric.Observer) { o.ObserveInt64(g, int64(l.Limit()), limitOpt) }, g, nil
	}
	if l.reg, err = registerRejections(o.meterProvider, name, func(o rejectionObserver) {
		o("concurrency", l.rejected.Load())
	}, gauge); err != nil {
		return nil, err
	}
	return l, nil
}

// Permit is an admitted call; release it exactly once. The zero
// permit's Release does nothing.
type Permit struct {
	l         *Limiter
	start     time.Time
	saturated bool // the call took the last slot under the limit
}

// Acquire is AcquireAt(time.Now()).
func (l *Limiter) Acquire() (Permit, error) { return l.AcquireAt(time.Now()) }

// AcquireAt admits a call starting at t, or returns ErrConcurrencyLimited.
func (l *Limiter) AcquireAt(t time.Time) (Permit, error) {
	limit := int64(l.Limit())
	for {
		n := l.inflight.Load()
		if n >= limit {
			l.rejected.Add(1)
			return Permit{}, ErrConcurrencyLimited
		}
		if l.inflight.CompareAndSwap(n, n+1) {
			return Permit{l: l, start: t, saturated: n+1 >= limit}, nil
		}
	}
}

// Release is ReleaseAt(time.Now(), outcome).
func (p Permit) Release(outcome Outcome) { p.ReleaseAt(time.Now(), outcome) }

// ReleaseAt ends the call at t and adapts the limit to its outcome.
func (p Permit) ReleaseAt(t time.Time, outcome Outcome) {
	l := p.l
	if l == nil {
		return
	}
	l.inflight.Add(-1)
	if outcome == Success && l.cfg.latency > 0 && t.Sub(p.start) > l.cfg.latency {
		outcome = Dropped
	}
	switch {
	case outcome == Dropped || outcome == Timeout:
		l.adjust(func(limit float64) float64 { return math.Max(l.cfg.floor, limit*l.cfg.backoff) })
	case outcome == Success && p.saturated:
		l.adjust(func(limit float64) float64 { return math.Min(l.cfg.ceiling, limit+1/limit) })
	}
}

func (l *Limiter) adjust(next func(float64) float64) {
	l.mu.Lock()
	l.limitBits.Store(math.Float64bits(next(math.Float64frombits(l.limitBits.Load()))))
	l.mu.Unlock()
}

// Limit returns the current limit (whole calls admitted: its floor).
func (l *Limiter) Limit() int {
	return int(math.Float64frombits(l.limitBits.Load()))
}

// InFlight returns the number of admitted calls not yet released.
func (l *Limiter) InFlight() int { return int(l.inflight.Load()) }

// Rejections returns how many calls were rejected so far.
func (l *Limiter) Rejections() uint64 { return l.rejected.Load() }

// Shutdown unregisters the metric callback. It is idempotent.
func (l *Limiter) Shutdown(context.Context) error {
	var err error
	l.once.Do(func() { err = l.reg.Unregister() })
	return err
}
