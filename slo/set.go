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

	"github.com/nines-sre/nines/internal/config"
	"github.com/nines-sre/nines/internal/lifecycle"
	"github.com/nines-sre/nines/internal/listeners"
)

// Errors a Set returns.
var (
	// ErrDuplicate is returned by Set.Add for a name already in the set;
	// callers branch on it to rename and retry.
	ErrDuplicate = errors.New("slo: an objective with this name is already in the set")
	// ErrStarted is returned by Set.Start when the set is already running.
	// It is the same error in every nines package.
	ErrStarted = lifecycle.ErrStarted
	// ErrClosed is returned by Set.Start after Shutdown. It is the same
	// error in every nines package.
	ErrClosed = lifecycle.ErrClosed
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
	lc       lifecycle.Lifecycle
	alerts   listeners.List[AlertEvent]

	mu   sync.Mutex
	slos []*SLO
}

// NewSet returns an empty set and registers its observable instruments
// with the meter provider (see WithMeterProvider); it starts nothing.
func NewSet(opts ...SetOption) (*Set, error) {
	cfg := settings{now: time.Now, interval: DefaultTickInterval}
	for _, opt := range opts {
		if opt != nil {
			opt.applySet(&cfg)
		}
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	switch {
	case cfg.interval < 0:
		return nil, invalid("WithTickInterval", cfg.interval, "must not be negative")
	case cfg.interval == 0:
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
// refused with ErrInvalidConfig.
func (set *Set) Add(s *SLO) error {
	if s == nil {
		return config.Error(ErrInvalidConfig, "Set.Add s", nil, "required")
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

// Objectives returns the objectives in the set, in the order they were
// added; the slice is the caller's.
func (set *Set) Objectives() []*SLO { return set.objectives() }

// OnAlert registers fn to be called on every alert transition. Listeners
// run on the ticking goroutine, in registration order, outside every lock;
// a slow listener delays the next tick, never recording. A panicking
// listener is recovered: the others still get the transition and the set
// keeps ticking.
//
// remove unregisters fn (exactly this registration, even when fn is
// registered twice); a transition already being delivered may still reach
// it once. remove is idempotent. A nil fn is ignored.
func (set *Set) OnAlert(fn func(AlertEvent)) (remove func()) {
	return set.alerts.Add(fn)
}

// Tick is TickAt with the set's clock.
func (set *Set) Tick() { set.TickAt(set.now()) }

// TickAt advances every objective to t, evaluates its alert tiers and
// calls the listeners for each transition. A started set calls it on
// every tick; tests call it directly with scripted instants.
func (set *Set) TickAt(t time.Time) {
	var events []AlertEvent
	for _, s := range set.objectives() {
		events = s.evaluate(t, events)
	}
	for _, e := range events {
		set.alerts.Emit(e)
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

// Start ticks the set every tick interval, on a goroutine of its own,
// until Shutdown; cancelling ctx later does not stop it. It returns
// ctx.Err() if ctx is already done, ErrClosed after Shutdown and
// ErrStarted on a second call.
func (set *Set) Start(ctx context.Context) error {
	return set.lc.Start(ctx, func(context.Context) error {
		set.lc.Go(set.run)
		return nil
	})
}

func (set *Set) run(ctx context.Context) {
	tk := time.NewTicker(set.interval)
	defer tk.Stop()
	set.Tick()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tk.C:
			set.Tick()
		}
	}
}

// Shutdown unregisters the metrics, stops the ticking goroutine and waits
// for it (or for ctx, whose error it returns unchanged). It is idempotent:
// later calls wait the same way.
func (set *Set) Shutdown(ctx context.Context) error {
	return set.lc.Shutdown(ctx, func(context.Context) error {
		if set.reg != nil {
			_ = set.reg.Unregister()
		}
		return nil
	})
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
