package breaker

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

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
// Create one with New; the zero value is not usable. A Breaker is
// safe for concurrent use. Most callers want Execute; middleware that cannot
// wrap the call in a function uses Allow and Permit.Done.
type Breaker[T any] struct {
	name   string
	slow   time.Duration
	isExc  func(error) bool
	mode   atomic.Uint32
	cb     *gobreaker.CircuitBreaker[T]        // nil if gobreaker's layout could not be shared
	ts     *gobreaker.TwoStepCircuitBreaker[T] // always set; shares cb's state machine
	hooks  *breakerHooks
	calls  breakerCalls
	modeMu sync.Mutex // serialises SetMode so mode events are ordered
	reg    metric.Registration
	once   sync.Once
}

// New returns a closed breaker named name (the circuit_breaker.name
// attribute: a developer-chosen constant, never request data). It returns an
// error wrapping ErrInvalidConfig if s is invalid or name is empty.
// Nothing runs in the background.
func New[T any](name string, s Config, opts ...Option) (*Breaker[T], error) {
	if name == "" {
		return nil, invalid("name", `""`, "must not be empty")
	}
	cfg, err := s.validate()
	if err != nil {
		return nil, err
	}
	o := applyOptions(opts)
	b := &Breaker[T]{name: name, slow: cfg.slow, isExc: cfg.isExcluded}
	b.hooks = &breakerHooks{
		name:      name,
		slowCalls: cfg.slowWindow(),
		policy:    tripPolicy{consecutive: cfg.consecutive, ratio: cfg.ratio, minimumCalls: cfg.minimumCalls},
		modeState: b.Mode,
	}
	for _, fn := range o.listeners {
		b.hooks.addListener(fn)
	}
	b.cb = gobreaker.NewCircuitBreaker[T](cfg.gobreakerSettings(name, b.hooks))
	if b.ts = shareTwoStep(b.cb); b.ts == nil {
		b.cb = nil
		b.ts = gobreaker.NewTwoStepCircuitBreaker[T](cfg.gobreakerSettings(name, b.hooks))
	}
	m, err := newBreakerMetrics(o.meterProvider, b)
	if err != nil {
		return nil, err
	}
	b.hooks.onDeliver = m.transition
	b.reg = m.reg
	return b, nil
}

// shareTwoStep returns a gobreaker TwoStepCircuitBreaker driving cb's state
// machine, so that Execute (gobreaker's allocation-free path) and Allow
// share one breaker. gobreaker only builds a TwoStepCircuitBreaker around a
// breaker it creates itself; its single unexported field is set here after
// checking its type by reflection. If gobreaker's layout ever changes the
// check fails, nil is returned and the breaker runs on the two-step form
// alone (one allocation more per Execute, caught by the allocation tests).
func shareTwoStep[T any](cb *gobreaker.CircuitBreaker[T]) *gobreaker.TwoStepCircuitBreaker[T] {
	ts := new(gobreaker.TwoStepCircuitBreaker[T])
	v := reflect.ValueOf(ts).Elem()
	if v.NumField() != 1 || v.Field(0).Type() != reflect.TypeOf(cb) {
		return nil
	}
	f := v.Field(0)
	reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Set(reflect.ValueOf(cb))
	return ts
}

// Name returns the breaker's name.
func (b *Breaker[T]) Name() string { return b.name }

// OnStateChange adds a listener for state changes. Listeners run outside
// every lock, in transition order, on the goroutine whose call caused the
// transition (or another caller's, if one is already delivering); they may
// call any method of the breaker. A slow listener delays only that caller.
func (b *Breaker[T]) OnStateChange(fn func(StateChange)) {
	if fn != nil {
		b.hooks.addListener(fn)
	}
}

// Execute calls fn if the breaker admits the call and records its outcome.
// It returns ErrOpen or ErrTooManyCalls without calling fn when the breaker
// rejects the call (those rejections never count as failures), and ctx.Err()
// unchanged without calling fn when ctx is already done. Otherwise it
// returns what fn returned. In ModeMetricsOnly fn is called even when the
// breaker would have rejected it. If fn panics, the call counts as a
// failure in the state machine and the panic is re-raised.
func (b *Breaker[T]) Execute(ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	if Mode(b.mode.Load()) != ModeNormal || b.cb == nil {
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
		return res, b.classify(err, start)
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

// executeSlowPath handles the override modes and the two-step fallback.
func (b *Breaker[T]) executeSlowPath(ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	switch Mode(b.mode.Load()) {
	case ModeForcedOpen:
		b.calls.rejected.Add(1)
		var zero T
		return zero, ErrOpen
	case ModeForcedClosed:
		return b.callUnrecorded(ctx, fn)
	}
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

// callUnrecorded calls fn outside the state machine, counting its outcome
// in the metrics only.
func (b *Breaker[T]) callUnrecorded(ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	var start time.Time
	if b.slow > 0 {
		start = time.Now()
	}
	returned := false
	defer func() {
		if !returned { // fn panicked: count the failure, as the other paths do
			b.calls.failure.Add(1)
		}
	}()
	res, err := fn(ctx)
	returned = true
	_ = b.classify(err, start)
	return res, err
}

// classify counts the outcome and returns the sentinel handed to gobreaker.
// start is zero unless a slow threshold is set.
func (b *Breaker[T]) classify(err error, start time.Time) error {
	if err != nil && b.isExc(err) {
		b.calls.excluded.Add(1)
		return errOutcomeExcluded
	}
	var slow, slowTrip bool
	if b.slow > 0 {
		now := time.Now()
		slow = now.Sub(start) > b.slow
		slowTrip = b.hooks.slowCalls.record(now, slow)
	}
	switch {
	case err != nil:
		b.calls.failure.Add(1)
		if slowTrip {
			return errOutcomeSlowTrip
		}
		return errOutcomeFailed
	case !slow:
		b.calls.success.Add(1)
		return nil
	}
	b.calls.slow.Add(1)
	if slowTrip || State(b.hooks.gbState.Load()) == HalfOpen {
		return errOutcomeSlowTrip
	}
	return nil
}

func rejection(gerr error) error {
	if errors.Is(gerr, gobreaker.ErrTooManyRequests) {
		return ErrTooManyCalls
	}
	return ErrOpen
}

// Permit is an admitted call of the two-step form; report its outcome with
// Done exactly once. The zero Permit's Done does nothing. A Permit is a
// value: copying it is cheap, but Done must be called on one copy only.
type Permit[T any] struct {
	b     *Breaker[T]
	done  func(error)
	start time.Time
}

// Allow asks the breaker to admit a call whose outcome the caller reports
// later with Permit.Done. It returns ErrOpen or ErrTooManyCalls when the
// call is rejected (not counted as a failure). In ModeForcedClosed and
// ModeMetricsOnly it never returns an error.
//
// gobreaker's two-step form allocates one closure per admitted call; Allow
// adds no allocation of its own.
func (b *Breaker[T]) Allow() (Permit[T], error) {
	if b.mode.Load() != uint32(ModeNormal) {
		return b.allowMode()
	}
	done, gerr := b.ts.Allow()
	return b.permit(done, gerr)
}

// permit finishes Allow in ModeNormal and ModeMetricsOnly.
func (b *Breaker[T]) permit(done func(error), gerr error) (Permit[T], error) {
	if b.hooks.queued.Load() != 0 {
		b.hooks.deliver()
	}
	p := Permit[T]{b: b}
	if gerr != nil {
		b.calls.rejected.Add(1)
		if Mode(b.mode.Load()) != ModeMetricsOnly {
			return Permit[T]{}, rejection(gerr)
		}
		done = nil // admitted anyway, outside the state machine
	}
	p.done = done
	p.startClock()
	return p, nil
}

// allowMode is Allow in the modes other than ModeNormal.
func (b *Breaker[T]) allowMode() (Permit[T], error) {
	switch Mode(b.mode.Load()) {
	case ModeForcedOpen:
		b.calls.rejected.Add(1)
		return Permit[T]{}, ErrOpen
	case ModeForcedClosed:
		p := Permit[T]{b: b}
		p.startClock()
		return p, nil
	}
	done, gerr := b.ts.Allow()
	return b.permit(done, gerr)
}

func (p *Permit[T]) startClock() {
	if p.b.slow > 0 {
		p.start = time.Now()
	}
}

// Done reports the outcome of the admitted call: nil for success, an
// excluded error (see Config.IsExcluded) for neither, any other
// error for a failure.
func (p Permit[T]) Done(err error) {
	if p.b == nil {
		return
	}
	outcome := p.b.classify(err, p.start)
	if p.done != nil {
		p.done(outcome)
		if p.b.hooks.queued.Load() != 0 {
			p.b.hooks.deliver()
		}
	}
}

// panicked reports a call whose function panicked: always a failure, as on
// Execute's fast path, without asking IsExcluded about an error the caller
// never returned.
func (p Permit[T]) panicked() {
	if p.b == nil {
		return
	}
	if p.done == nil {
		p.b.calls.failure.Add(1)
		return
	}
	p.done(errOutcomeFailed)
	p.b.panicked()
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
