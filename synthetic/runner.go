package synthetic

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nines-sre/nines/internal/config"
	"github.com/nines-sre/nines/internal/lifecycle"
	"github.com/nines-sre/nines/internal/listeners"
	"github.com/nines-sre/nines/slo"
)

// ErrUnknownCheck is returned by Run for a name the Runner was not given.
var ErrUnknownCheck = errors.New("synthetic: unknown check")

// Runner runs a fixed set of checks: on demand with Run, or on their
// schedules between Start and Shutdown. Each check has two objectives
// (SLOs) fed by its runs, and a health check (HealthChecks) that reports
// its latest run.
//
// The zero Runner is not usable; build one with NewRunner. A Runner is
// safe for concurrent use. Most callers want NewRunner, a Monitor's
// AddSynthetic, then Start.
type Runner struct {
	cfg    settings
	checks []*checkState
	byName map[string]*checkState
	sem    chan struct{}
	inst   instruments
	life   lifecycle.Lifecycle
	lis    listeners.List[Result]
}

// checkState is one check and what its runs left behind.
type checkState struct {
	c       Check
	success *slo.SLO
	latency *slo.SLO

	// busy is set while a run's goroutine is alive; it outlives the run
	// when the target hangs a request that ignores its context. A run
	// that finds it set does not start another goroutine: a hung target
	// holds at most one goroutine per check.
	busy atomic.Bool

	mu   sync.Mutex
	last []Result // newest last, at most settings.history
}

// NewRunner validates the checks and applies their defaults. It starts
// nothing. Names must be unique. An invalid check or option is an error
// wrapping ErrInvalidConfig that names the check, the step and the field.
func NewRunner(checks []Check, opts ...Option) (*Runner, error) {
	cfg := defaults()
	for _, o := range opts {
		if o != nil {
			o.applyRunner(&cfg)
		}
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	inst, err := newInstruments(cfg.mp)
	if err != nil {
		return nil, fmt.Errorf("synthetic: instruments: %w", err)
	}
	r := &Runner{cfg: cfg, byName: map[string]*checkState{}, sem: make(chan struct{}, cfg.concurrency), inst: inst}
	for _, c := range checks {
		n, err := c.normalized()
		if err != nil {
			return nil, err
		}
		if r.byName[n.Name] != nil {
			return nil, config.Error(ErrInvalidConfig, "Name", n.Name, "duplicate check name")
		}
		cs := &checkState{c: n}
		window := slo.Window{Rolling: cfg.window}
		cs.success, err = slo.New(slo.Objective{Name: "synthetic." + n.Name + ".success", Target: n.SuccessTarget, Window: window}, slo.WithClock(cfg.now))
		if err != nil {
			return nil, fmt.Errorf("synthetic: check %q success objective: %w", n.Name, err)
		}
		cs.latency, err = slo.New(slo.Objective{Name: "synthetic." + n.Name + ".latency", Target: n.LatencyTarget, Window: window, Latency: n.LatencyBound}, slo.WithClock(cfg.now))
		if err != nil {
			return nil, fmt.Errorf("synthetic: check %q latency objective: %w", n.Name, err)
		}
		r.checks = append(r.checks, cs)
		r.byName[n.Name] = cs
	}
	return r, nil
}

// Checks returns the checks with their defaults applied, in the order
// given.
func (r *Runner) Checks() []Check {
	out := make([]Check, len(r.checks))
	for i, cs := range r.checks {
		out[i] = cs.c
	}
	return out
}

// SLOs returns each check's two objectives, success then latency, named
// synthetic.<check>.success and synthetic.<check>.latency. Add them to
// the service's slo.Set to get burn rates and alerts.
func (r *Runner) SLOs() []*slo.SLO {
	out := make([]*slo.SLO, 0, 2*len(r.checks))
	for _, cs := range r.checks {
		out = append(out, cs.success, cs.latency)
	}
	return out
}

// OnResult calls fn after every run, outside every lock, on the goroutine
// that ran it. A panic in fn is recovered.
func (r *Runner) OnResult(fn func(Result)) (remove func()) { return r.lis.Add(fn) }

// Last returns a check's latest runs, oldest first (at most 10).
func (r *Runner) Last(name string) []Result {
	cs := r.byName[name]
	if cs == nil {
		return nil
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return append([]Result(nil), cs.last...)
}

// Run runs the named check now and returns its result, after recording it
// (metrics, objectives, Last, OnResult). The run ends at the check's
// Timeout or when ctx ends, whichever is first, even when the target never
// answers; ctx's own error is returned unchanged when it ends first.
func (r *Runner) Run(ctx context.Context, name string) (Result, error) {
	cs := r.byName[name]
	if cs == nil {
		return Result{}, fmt.Errorf("%w: %q", ErrUnknownCheck, name)
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	res := r.execute(ctx, cs)
	if err := ctx.Err(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return res, err
	}
	r.record(cs, res)
	return res, nil
}

// execute runs the check's steps on a goroutine and waits at most the
// Timeout for them.
func (r *Runner) execute(ctx context.Context, cs *checkState) Result {
	start := r.cfg.now()
	res := Result{Check: cs.c.Name, Start: start}
	if !cs.busy.CompareAndSwap(false, true) {
		res.Outcome = Timeout
		res.Failure = "the previous run is still waiting for the target"
		return res
	}
	runCtx, cancel := context.WithTimeout(ctx, cs.c.Timeout)
	defer cancel()
	done := make(chan Result, 1)
	go func() {
		res := r.steps(runCtx, cs, start)
		// Free the slot before handing the result over: the next Run may
		// start as soon as this one returns.
		cs.busy.Store(false)
		done <- res
	}()
	select {
	case res = <-done:
		return res
	case <-runCtx.Done():
	}
	select {
	case res = <-done: // finished as the deadline passed
		return res
	default:
	}
	res.Outcome = Timeout
	res.Duration = r.cfg.now().Sub(start)
	res.Failure = fmt.Sprintf("no answer within the check's Timeout (%v)", cs.c.Timeout)
	return res
}

// steps runs the steps in order with a fresh cookie jar and values.
func (r *Runner) steps(ctx context.Context, cs *checkState, start time.Time) Result {
	res := Result{Check: cs.c.Name, Start: start}
	rn := &run{r: r, values: make(map[string]string, len(cs.c.Vars))}
	for k, v := range cs.c.Vars {
		val, secret, err := resolveVar(v)
		if err != nil {
			res.Outcome = Fail
			res.Failure = fmt.Sprintf("Vars.%s: %v", k, err)
			res.Duration = r.cfg.now().Sub(start)
			return res
		}
		rn.values[k] = val
		if secret {
			rn.secrets = append(rn.secrets, val)
		}
	}
	jar, _ := cookiejar.New(nil) // never fails with nil options
	rn.client = http.Client{Transport: r.cfg.transport, Jar: jar}
	for i := range cs.c.Steps {
		s := rn.step(ctx, &cs.c.Steps[i])
		res.Steps = append(res.Steps, s)
		res.Phases.add(s.Phases)
		res.Outcome = max(res.Outcome, s.Outcome)
		if s.Outcome >= Fail {
			break
		}
	}
	res.Duration = r.cfg.now().Sub(start)
	return res
}

// resolveVar reads a Var's value: env:NAME and file:PATH are secrets.
func resolveVar(v string) (val string, secret bool, err error) {
	if name, ok := strings.CutPrefix(v, "env:"); ok {
		val, ok := os.LookupEnv(name)
		if !ok {
			return "", true, fmt.Errorf("environment variable %s is not set", name)
		}
		return val, true, nil
	}
	if path, ok := strings.CutPrefix(v, "file:"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", true, fmt.Errorf("secret file: %v", err)
		}
		return strings.TrimRight(string(b), "\r\n"), true, nil
	}
	return v, false, nil
}

// record feeds a result to the metrics, the objectives, Last and the
// listeners.
func (r *Runner) record(cs *checkState, res Result) {
	r.inst.record(res)
	t := res.Start.Add(res.Duration)
	cs.success.RecordAt(t, res.Outcome <= Degraded)
	cs.latency.RecordLatencyAt(t, res.Duration)
	cs.mu.Lock()
	if len(cs.last) == r.cfg.history {
		cs.last = append(cs.last[:0], cs.last[1:]...)
	}
	cs.last = append(cs.last, res)
	cs.mu.Unlock()
	r.lis.Emit(res)
}

// Start runs every check on its schedule until Shutdown: the first run
// after a random fraction of the jitter, then one every Interval shortened
// by a random jitter, at most WithConcurrency at once. It returns at once.
func (r *Runner) Start(ctx context.Context) error {
	return r.life.Start(ctx, func(context.Context) error {
		for _, cs := range r.checks {
			r.life.Go(func(run context.Context) { r.loop(run, cs) })
		}
		return nil
	})
}

// Shutdown stops the schedules, cancels the runs in progress (they are
// not recorded) and waits for the schedule goroutines, until ctx ends. It
// is idempotent. A step goroutine stuck on a transport that ignores
// cancellation is not waited for: it ends when the transport returns.
func (r *Runner) Shutdown(ctx context.Context) error { return r.life.Shutdown(ctx, nil) }

func (r *Runner) loop(ctx context.Context, cs *checkState) {
	// base is the scheduled start of the next run: runs start every
	// Interval whatever each one took, and a run that overran its slot
	// skips the starts it missed rather than running back to back.
	// Each start is moved earlier by a fresh jitter, which never
	// accumulates: base keeps the unjittered schedule.
	base := time.Now()
	fire := base.Add(r.jitter(cs.c.Interval))
	for {
		t := time.NewTimer(time.Until(fire))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		select {
		case <-ctx.Done():
			return
		case r.sem <- struct{}{}:
		}
		_, _ = r.Run(ctx, cs.c.Name)
		<-r.sem
		now := time.Now()
		base = base.Add(cs.c.Interval) // the slot just used, even when jitter fired it early
		for !base.After(now) {
			base = base.Add(cs.c.Interval)
		}
		fire = base.Add(-r.jitter(cs.c.Interval))
	}
}

func (r *Runner) jitter(interval time.Duration) time.Duration {
	if r.cfg.jitter == 0 {
		return 0
	}
	return time.Duration(rand.Float64() * r.cfg.jitter * float64(interval))
}
