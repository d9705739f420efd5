package health

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nines-sre/nines/internal/config"
	"github.com/nines-sre/nines/internal/lifecycle"
	"github.com/nines-sre/nines/internal/listeners"
)

var (
	// ErrStarted is returned by Start when the registry is already running.
	// It is the same error in every nines package.
	ErrStarted = lifecycle.ErrStarted
	// ErrClosed is returned by Register, Start and RunChecks once Shutdown
	// has been called. It is the same error in every nines package.
	ErrClosed = lifecycle.ErrClosed
)

// Registry holds the checks of a process, runs them in the background
// and answers probes, metric collection and status queries from the
// cached results only: nothing a reader does ever runs a check.
//
// Build one with NewRegistry; the zero Registry is not usable. A Registry
// is safe for concurrent use. Most callers Register their checks, mount
// Handler for each group, call Start, and Shutdown when the process ends
// (Drain first, to withdraw readiness while requests finish).
//
// Register is allowed before and after Start: a check registered while
// the registry runs is scheduled at once (after its InitialDelay). It is
// refused after Shutdown.
type Registry struct {
	jitter     float64
	drainDelay time.Duration
	cfgErr     error // an invalid option, returned by Register and Start
	metrics    *instruments

	// lc runs the schedule loops and the sweeper. Check functions run on
	// goroutines of their own, counted in active instead: RunChecks starts
	// them before Start too, and a hung one outlives its loop.
	lc        lifecycle.Lifecycle
	listeners listeners.List[Change]

	tab      atomic.Pointer[table]
	draining atomic.Bool
	closed   atomic.Bool // set under mu by Shutdown

	mu         sync.Mutex             // guards the fields below; never held in user code
	started    bool                   // Start has scheduled the registered checks
	stop       chan struct{}          // closed by Shutdown
	active     int                    // check runs not yet returned
	idle       chan struct{}          // closed when closed and active == 0
	kick       chan struct{}          // wakes the staleness sweeper
	drainedAt  time.Time              // when readiness was last withdrawn by Drain
	groupPub   [len(groupList)]Status // last group statuses announced
	queue      []Change               // announced, not yet delivered
	delivering bool                   // a goroutine is delivering the queue
}

// table is an immutable index of the registered checks, replaced on
// Register so readers need no lock.
type table struct {
	all    []*entry // sorted by name
	byName map[string]*entry
	groups [len(groupList)][]*entry // sorted by name
}

// entry is one registered check and its live state.
type entry struct {
	check    Check // normalised; immutable
	state    atomic.Pointer[checkState]
	inflight atomic.Pointer[run] // the run of Func that has not returned yet, or nil
	recordMu sync.Mutex          // serialises state updates (scheduler and RunChecks)
	pub      Status              // last status announced to listeners; guarded by Registry.mu
	attrs    *checkAttrs
}

func (e *entry) view(now time.Time) view {
	return e.state.Load().at(now, e.check.MaxAge)
}

// NewRegistry returns an empty registry. Nothing runs until Start. An
// invalid option (a WithDrainDelay out of bounds) makes every Register
// and Start return its error, wrapping ErrInvalidConfig.
func NewRegistry(opts ...Option) *Registry {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	r := &Registry{
		jitter:     cfg.jitter,
		drainDelay: cfg.drainDelay,
		cfgErr:     cfg.err,
		stop:       make(chan struct{}),
		idle:       make(chan struct{}),
		kick:       make(chan struct{}, 1),
	}
	r.tab.Store(&table{byName: map[string]*entry{}})
	for i := range r.groupPub {
		r.groupPub[i] = StatusPass // an empty group passes
	}
	r.metrics = newInstruments(cfg.meterProvider, r)
	return r
}

// Register validates c, applies its defaults and adds it. It returns an
// error wrapping ErrInvalidConfig that names the offending field and value
// (see Check for the rules; first, an invalid option of NewRegistry), or
// ErrClosed after Shutdown. When the registry is running the check is
// scheduled at once.
func (r *Registry) Register(c Check) error {
	if r.cfgErr != nil {
		return r.cfgErr
	}
	c, err := c.normalized()
	if err != nil {
		return err
	}
	e := &entry{check: c, attrs: newCheckAttrs(c.Name)}
	e.state.Store(&checkState{})

	r.mu.Lock()
	if r.closed.Load() {
		r.mu.Unlock()
		return ErrClosed
	}
	old := r.tab.Load()
	if _, dup := old.byName[c.Name]; dup {
		r.mu.Unlock()
		return config.Error(ErrInvalidConfig, "Check.Name", c.Name, "already registered")
	}
	r.tab.Store(old.with(e))
	if r.started {
		r.lc.Go(func(run context.Context) { r.loop(run, e) })
	}
	r.reconcileLocked(time.Now())
	r.mu.Unlock()
	r.deliver()
	return nil
}

// with returns a copy of t with e added.
func (t *table) with(e *entry) *table {
	n := &table{byName: make(map[string]*entry, len(t.byName)+1)}
	n.all = insertSorted(t.all, e)
	for k, v := range t.byName {
		n.byName[k] = v
	}
	n.byName[e.check.Name] = e
	for i, g := range groupList {
		n.groups[i] = t.groups[i]
		if e.check.Groups&g != 0 {
			n.groups[i] = insertSorted(t.groups[i], e)
		}
	}
	return n
}

func insertSorted(list []*entry, e *entry) []*entry {
	i, _ := slices.BinarySearchFunc(list, e.check.Name, func(x *entry, name string) int {
		switch {
		case x.check.Name < name:
			return -1
		case x.check.Name > name:
			return 1
		}
		return 0
	})
	out := make([]*entry, 0, len(list)+1)
	out = append(out, list[:i]...)
	out = append(out, e)
	return append(out, list[i:]...)
}

// Start begins running every registered check in the background, each on
// its own schedule, and watching results for staleness. The values of ctx
// reach every check function; its cancellation does not stop the
// registry: Shutdown does. Start returns the error of an invalid option
// of NewRegistry (wrapping ErrInvalidConfig; such a registry never
// starts), ctx.Err() if ctx is already done, ErrClosed after Shutdown and
// ErrStarted if called twice.
func (r *Registry) Start(ctx context.Context) error {
	if r.cfgErr != nil {
		return r.cfgErr
	}
	return r.lc.Start(ctx, func(context.Context) error {
		// Under r.mu, so that a concurrent Register schedules its check
		// either here or itself, never both.
		r.mu.Lock()
		defer r.mu.Unlock()
		r.started = true
		for _, e := range r.tab.Load().all {
			r.lc.Go(func(run context.Context) { r.loop(run, e) })
		}
		r.lc.Go(func(context.Context) { r.sweep() })
		return nil
	})
}

// Shutdown drains, then stops. It withdraws readiness (as Drain) and,
// when the registry was started, keeps running, checks and probes alike,
// until the drain delay (WithDrainDelay, DefaultDrainDelay) has passed
// since readiness was withdrawn, so that the load balancers polling the
// readiness probe see 503 before the process stops listening; a Drain
// long enough ago has served the delay already. Then it stops the
// schedule, cancels the context of runs in flight, leaves readiness
// StatusDraining for good and waits until every goroutine the registry
// started has returned. If ctx ends first, in the delay or in the wait,
// Shutdown stops at once and returns ctx.Err() (a check function that
// ignores its context may still be running). Shutdown is idempotent:
// later calls wait the same way. Results stay readable and go stale as
// time passes.
func (r *Registry) Shutdown(ctx context.Context) error {
	if err := r.lc.Shutdown(ctx, r.close); err != nil {
		return err
	}
	// The loops have returned; a check function may still run (RunChecks
	// started it, or it ignores its context).
	select {
	case <-r.idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close is the first Shutdown's work, before the loops are waited for:
// the drain phase, then the stop.
func (r *Registry) close(ctx context.Context) error {
	err := r.drainPhase(ctx)
	r.mu.Lock()
	r.closed.Store(true)
	close(r.stop)
	r.checkIdleLocked()
	r.reconcileLocked(time.Now())
	r.mu.Unlock()
	// Cancel the runs in flight now rather than after the loops return:
	// a loop waits for its run's result.
	r.lc.Cancel()
	// Outside r.mu: Unregister may report to the user's OTel error handler.
	r.metrics.unregister()
	r.deliver()
	return err
}

// adopt counts a check run about to start, which must call done when it
// returns. It refuses (false) once the registry is shut down.
func (r *Registry) adopt() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed.Load() {
		return false
	}
	r.active++
	return true
}

func (r *Registry) done() {
	r.mu.Lock()
	r.active--
	r.checkIdleLocked()
	r.mu.Unlock()
}

func (r *Registry) checkIdleLocked() {
	if r.closed.Load() && r.active == 0 {
		select {
		case <-r.idle:
		default:
			close(r.idle)
		}
	}
}

// Checks returns the names of the registered checks, sorted.
func (r *Registry) Checks() []string {
	all := r.tab.Load().all
	names := make([]string, len(all))
	for i, e := range all {
		names[i] = e.check.Name
	}
	return names
}

// CheckStatus returns the current status of the named check: its status
// after hysteresis, or StatusUnknown before its thresholds first settle
// it or once its last result is MaxAge old. ok is false if no check has
// that name.
func (r *Registry) CheckStatus(name string) (s Status, ok bool) {
	e := r.tab.Load().byName[name]
	if e == nil {
		return StatusUnknown, false
	}
	return e.view(time.Now()).status, true
}

// Status returns the current status of group g, which must be Liveness,
// Readiness or Startup (StatusUnknown otherwise):
//
//   - StatusDraining for Readiness after Drain (until Undrain) or Shutdown;
//   - StatusFail if a critical check of the group fails;
//   - StatusUnknown if a critical check has no settled result yet or a
//     stale one (Liveness ignores checks that have not settled yet);
//   - StatusWarn if a check warns or a non-critical check fails or is stale;
//   - StatusPass otherwise, including for a group without checks.
//
// So Readiness and Startup read StatusUnknown, not ready, until every
// critical check of theirs has passed once. Status reads cached state
// only.
func (r *Registry) Status(g Group) Status {
	return r.StatusAt(g, time.Now())
}

// withdrawn reports whether readiness is withdrawn on purpose.
func (r *Registry) withdrawn() bool { return r.draining.Load() || r.closed.Load() }

// StatusAt is Status evaluated at instant now, for staleness.
func (r *Registry) StatusAt(g Group, now time.Time) Status {
	i := g.index()
	if i < 0 {
		return StatusUnknown
	}
	if g == Readiness && r.withdrawn() {
		return StatusDraining
	}
	return aggregate(g, r.tab.Load().groups[i], now, nil)
}
