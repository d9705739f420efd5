package slo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
)

// Errors a Set returns.
var (
	ErrDuplicate = errors.New("slo: an objective with this name is already in the set")
	ErrStarted   = errors.New("slo: set already started")
	ErrClosed    = errors.New("slo: set shut down")
)

// AlertEvent is an alert tier's transition, passed by value to OnAlert
// listeners.
type AlertEvent struct {
	Objective string
	Tier      Tier
	Threshold float64
	// Firing is true when the tier starts firing, false when it resolves.
	Firing bool
	At     time.Time
	// Long and Short are the tier's windows at the transition, with their
	// burn rates.
	Long, Short WindowStatus
}

// Set groups objectives: it ticks them in the background, fires listeners
// on alert transitions and reports their metrics.
//
// Create it with NewSet; the zero value is not usable. It is safe for
// concurrent use. Most callers Add objectives, register OnAlert listeners,
// then Start it and Shutdown it on exit; tests call TickAt instead.
type Set struct {
	now      func() time.Time
	interval time.Duration
	reg      metric.Registration

	mu        sync.Mutex
	slos      []*SLO
	listeners []*alertListener
	started   bool
	closed    bool
	stop      chan struct{}
	done      chan struct{}
}

// NewSet returns an empty set and registers its observable instruments
// with the meter provider (see WithMeterProvider); it starts nothing.
func NewSet(opts ...Option) (*Set, error) {
	cfg := config{now: time.Now, interval: DefaultTickInterval}
	for _, opt := range opts {
		if opt != nil {
			opt.apply(&cfg)
		}
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	if cfg.interval <= 0 {
		cfg.interval = DefaultTickInterval
	}
	if cfg.mp == nil {
		cfg.mp = otel.GetMeterProvider()
	}
	set := &Set{now: cfg.now, interval: cfg.interval}
	reg, err := registerMetrics(cfg.mp.Meter(meterName), set)
	if err != nil {
		return nil, fmt.Errorf("slo: registering metrics: %w", err)
	}
	set.reg = reg
	return set, nil
}

// Add puts s in the set. Names must be unique (ErrDuplicate); a nil s is
// an error.
func (set *Set) Add(s *SLO) error {
	if s == nil {
		return errors.New("slo: Set.Add: nil *SLO")
	}
	set.mu.Lock()
	defer set.mu.Unlock()
	for _, o := range set.slos {
		if o.Name() == s.Name() {
			return fmt.Errorf("%w: %q", ErrDuplicate, s.Name())
		}
	}
	set.slos = append(set.slos, s)
	return nil
}

// Get returns the objective named name, or nil.
func (set *Set) Get(name string) *SLO {
	set.mu.Lock()
	defer set.mu.Unlock()
	for _, s := range set.slos {
		if s.Name() == name {
			return s
		}
	}
	return nil
}

// OnAlert registers fn to be called on every alert transition. Listeners
// run on the ticking goroutine, in registration order, outside every lock;
// a slow listener delays the next tick, never recording.
//
// remove unregisters fn; a transition already being delivered may still
// reach it once. remove is idempotent. A nil fn is ignored.
func (set *Set) OnAlert(fn func(AlertEvent)) (remove func()) {
	if fn == nil {
		return func() {}
	}
	l := &alertListener{fn: fn}
	set.mu.Lock()
	set.listeners = append(set.listeners, l)
	set.mu.Unlock()
	return func() {
		set.mu.Lock()
		defer set.mu.Unlock()
		if i := slices.Index(set.listeners, l); i >= 0 {
			// A new slice: TickAt may be iterating over a clone of the old.
			set.listeners = slices.Delete(slices.Clone(set.listeners), i, i+1)
		}
	}
}

// alertListener gives each registration an identity, so that remove takes
// back exactly the one it added even when fn is registered twice.
type alertListener struct{ fn func(AlertEvent) }

// Tick is TickAt with the set's clock.
func (set *Set) Tick() { set.TickAt(set.now()) }

// TickAt advances every objective to t, evaluates its alert tiers and
// calls the listeners for each transition. A started set calls it on
// every tick; tests call it directly with scripted instants.
func (set *Set) TickAt(t time.Time) {
	set.mu.Lock()
	slos := slices.Clone(set.slos)
	listeners := slices.Clone(set.listeners)
	set.mu.Unlock()
	var events []AlertEvent
	for _, s := range slos {
		events = s.evaluate(t, events)
	}
	for _, e := range events {
		for _, l := range listeners {
			l.fn(e)
		}
	}
}

// evaluate computes the status at t, keeps it for metric collection and
// appends the tiers' transitions to events.
func (s *SLO) evaluate(t time.Time, events []AlertEvent) []AlertEvent {
	s.tickMu.Lock()
	defer s.tickMu.Unlock()
	st := s.StatusAt(t)
	s.last.Store(&st)
	for i, ts := range st.Tiers {
		if ts.Firing == s.firing[i] {
			continue
		}
		s.firing[i] = ts.Firing
		events = append(events, AlertEvent{
			Objective: s.obj.Name, Tier: ts.Tier, Threshold: ts.Threshold,
			Firing: ts.Firing, At: t, Long: ts.Long, Short: ts.Short,
		})
	}
	return events
}

// Start ticks the set every tick interval until ctx is done or Shutdown
// is called. It returns ErrStarted on a second call and ErrClosed after
// Shutdown.
func (set *Set) Start(ctx context.Context) error {
	set.mu.Lock()
	defer set.mu.Unlock()
	switch {
	case set.closed:
		return ErrClosed
	case set.started:
		return ErrStarted
	}
	set.started = true
	set.stop = make(chan struct{})
	set.done = make(chan struct{})
	go set.run(ctx, set.stop, set.done)
	return nil
}

func (set *Set) run(ctx context.Context, stop, done chan struct{}) {
	defer close(done)
	tk := time.NewTicker(set.interval)
	defer tk.Stop()
	set.Tick()
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case <-tk.C:
			set.Tick()
		}
	}
}

// Shutdown stops the ticking goroutine, waits for it (or for ctx, whose
// error it returns unchanged) and unregisters the metrics. It is
// idempotent.
func (set *Set) Shutdown(ctx context.Context) error {
	set.mu.Lock()
	if !set.closed {
		set.closed = true
		if set.stop != nil {
			close(set.stop)
		}
		if set.reg != nil {
			_ = set.reg.Unregister()
		}
	}
	done := set.done
	set.mu.Unlock()
	if done == nil {
		return nil
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Statuses returns each objective's status from the last tick, in the
// order they were added; an objective not ticked yet is computed now.
// It is what a status page wants: it does not advance the clocks of
// objectives that have been ticked.
func (set *Set) Statuses() []Status {
	slos := set.objectives()
	out := make([]Status, 0, len(slos))
	for _, s := range slos {
		out = append(out, s.lastStatus(set.now))
	}
	return out
}

// lastStatus is the status of the last tick, or a fresh one.
func (s *SLO) lastStatus(now func() time.Time) Status {
	if st := s.last.Load(); st != nil {
		return *st
	}
	return s.StatusAt(now())
}

// objectives returns a copy of the members, for metric collection.
func (set *Set) objectives() []*SLO {
	set.mu.Lock()
	defer set.mu.Unlock()
	return slices.Clone(set.slos)
}
