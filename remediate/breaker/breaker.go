package breaker

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	gobreaker "github.com/sony/gobreaker/v2"
	"go.opentelemetry.io/otel/metric"
)

var (
	// ErrOpen is returned without calling the function when the breaker is
	// open or forced open.
	ErrOpen = errors.New("breaker: circuit breaker is open")
	// ErrTooManyCalls is returned without calling the function when the
	// breaker is half-open and its probe calls are all in flight.
	ErrTooManyCalls = errors.New("breaker: circuit breaker is half-open and has no probe slot")
)

// Breaker is a circuit breaker for calls that return (T, error), built on
// gobreaker's state machine, with trip policies, exclusions, slow calls,
// override modes, state-change listeners run outside every lock, and
// OpenTelemetry metrics read from atomics at collection.
//
// Create one with New; the zero value is not usable. A Breaker is safe for
// concurrent use. Most callers want Execute; middleware that cannot wrap
// the call in a function uses Allow and Permit.Done. Both drive one
// gobreaker state machine.
type Breaker[T any] struct {
	name   string
	slow   time.Duration
	isExc  func(error) bool
	probes uint32 // half-open probe slots (Config.HalfOpenCalls)
	mode   atomic.Uint32
	cb     *gobreaker.CircuitBreaker[T]
	hooks  *hooks
	calls  calls
	modeMu sync.Mutex // serialises SetMode so mode events are ordered
	reg    metric.Registration
	once   sync.Once
}

// New returns a closed breaker named name (the circuit_breaker.name
// attribute: a developer-chosen constant, never request data). It returns
// an error wrapping ErrInvalidConfig if c is invalid or name is empty.
// Nothing runs in the background.
func New[T any](name string, c Config, opts ...Option) (*Breaker[T], error) {
	if name == "" {
		return nil, invalid("name", name, "must not be empty")
	}
	r, err := c.resolve()
	if err != nil {
		return nil, err
	}
	o := newOptions(opts)
	b := &Breaker[T]{name: name, slow: r.slow, isExc: r.isExcluded, probes: r.halfOpenCalls}
	b.hooks = &hooks{
		name:      name,
		slowCalls: r.slowWindow(),
		policy:    tripPolicy{consecutive: r.consecutive, ratio: r.ratio, minimumCalls: r.minimumCalls},
		modeState: b.Mode,
	}
	for _, fn := range o.listeners {
		b.hooks.listeners.Add(fn)
	}
	b.cb = gobreaker.NewCircuitBreaker[T](r.gobreakerSettings(name, b.hooks))
	m, err := newMetrics(o.meterProvider, b)
	if err != nil {
		return nil, err
	}
	b.hooks.onDeliver = m.transition
	b.reg = m.reg
	return b, nil
}

// Name returns the breaker's name.
func (b *Breaker[T]) Name() string { return b.name }

// OnStateChange adds a listener for state changes and returns a function
// that removes it (idempotent). Listeners run outside every lock, in
// transition order, on the goroutine whose call caused the transition (or
// another caller's, if one is already delivering); they may call any method
// of the breaker. A slow listener delays only that caller; a panicking one
// is recovered, and the others still run.
func (b *Breaker[T]) OnStateChange(fn func(StateChange)) (remove func()) {
	return b.hooks.listeners.Add(fn)
}

// Execute calls fn if the breaker admits the call and records its outcome.
// It returns ErrOpen or ErrTooManyCalls without calling fn when the breaker
// rejects the call (those rejections never count as failures), and ctx.Err()
// unchanged without calling fn when ctx is already done. Otherwise it
// returns what fn returned. In ModeMetricsOnly fn is called even when the
// breaker would have rejected it. If fn panics, the call counts as a
// failure and the panic is re-raised.
//
// While the breaker is closed Execute is gobreaker's Execute plus a few
// atomic operations: no allocation, no lock of its own. Half-open and open,
// it takes the Allow path, so that probes admitted by Execute and by Allow
// share one quota.
func (b *Breaker[T]) Execute(ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	if Mode(b.mode.Load()) != ModeNormal || wordState(b.hooks.word.Load()) != Closed {
		return b.executeSlowPath(ctx, fn)
	}
	var (
		res              T
		err              error
		called, returned bool
	)
	defer func() {
		if called && !returned { // fn panicked
			b.panicked()
		}
	}()
	_, gerr := b.cb.Execute(func() (T, error) {
		called = true
		var start time.Time
		if b.slow > 0 {
			start = time.Now()
		}
		res, err = fn(ctx)
		returned = true
		return res, b.classify(err, start, time.Time{}, b.slow > 0 && wordState(b.hooks.word.Load()) == HalfOpen)
	})
	if b.hooks.queued.Load() != 0 {
		b.hooks.deliver()
	}
	if !called {
		b.calls.rejected.Add(1)
		var zero T
		return zero, rejection(gerr)
	}
	return res, err
}

// panicked runs while a panic from fn unwinds through Execute's fast path:
// gobreaker has recorded the failure (and maybe a transition) before
// re-panicking, so count it and deliver the events, as the other paths do.
func (b *Breaker[T]) panicked() {
	b.calls.failure.Add(1)
	if b.hooks.queued.Load() != 0 {
		b.hooks.deliver()
	}
}

// executeSlowPath is Execute in the override modes and outside the closed
// state: admission through Allow, the outcome through Permit.Done.
func (b *Breaker[T]) executeSlowPath(ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	p, err := b.Allow()
	if err != nil {
		var zero T
		return zero, err
	}
	completed := false
	defer func() {
		if !completed { // fn panicked: a failure, as gobreaker's Execute counts it
			p.panicked()
		}
	}()
	res, err := fn(ctx)
	completed = true
	p.Done(err)
	return res, err
}

func rejection(gerr error) error {
	if errors.Is(gerr, gobreaker.ErrTooManyRequests) {
		return ErrTooManyCalls
	}
	return ErrOpen
}

// Shutdown unregisters the breaker's metric callbacks. It is idempotent and
// the breaker keeps working afterwards, unobserved.
func (b *Breaker[T]) Shutdown(context.Context) error {
	var err error
	b.once.Do(func() {
		if b.reg != nil {
			err = b.reg.Unregister()
		}
	})
	return err
}
