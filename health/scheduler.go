package health

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/nines-sre/nines/internal/owntraffic"
)

// ErrTimeout is wrapped by the error of a run that did not return within
// its check's Timeout, and of a scheduled run skipped because the previous
// one still has not returned.
var ErrTimeout = errors.New("health: check timed out")

// ErrPanic is wrapped by the error of a run whose function panicked.
var ErrPanic = errors.New("health: check panicked")

// execution is what one run of a check function hands back.
type execution struct {
	res      Result
	outcome  outcome
	duration time.Duration
}

// loop runs e on its schedule until Shutdown; base is the parent context
// of its runs.
func (r *Registry) loop(base context.Context, e *entry) {
	c := &e.check
	wait := c.InitialDelay + r.spread(c.Interval)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-timer.C:
		}
		start := time.Now()
		if !r.runOnce(base, e, nil) {
			return
		}
		timer.Reset(time.Until(start.Add(c.Interval - r.spread(c.Interval))))
	}
}

// spread returns a random duration in [0, jitter*d).
func (r *Registry) spread(d time.Duration) time.Duration {
	if r.jitter == 0 {
		return 0
	}
	return time.Duration(rand.Float64() * r.jitter * float64(d))
}

// run is one execution of a check function in flight.
type run struct {
	// settled is closed once the run's owner (the runOnce that started it)
	// has recorded its result, recorded a timeout at its deadline, or
	// given up because the registry stopped or its caller aborted.
	settled chan struct{}
}

// runOnce executes e once and records the outcome. If a previous run is
// still within its Timeout it starts nothing and waits for that run's
// result instead (that run's owner records it). If the previous run is
// past its deadline and still has not returned, it starts nothing and
// records a timeout, so a hung check holds at most one goroutine. It
// returns false if the registry stopped or abort was closed while waiting.
func (r *Registry) runOnce(parent context.Context, e *entry, abort <-chan struct{}) bool {
	c := &e.check
	me := &run{settled: make(chan struct{})}
	for !e.inflight.CompareAndSwap(nil, me) {
		cur := e.inflight.Load()
		if cur == nil {
			continue // it has just returned: try again
		}
		select {
		case <-cur.settled:
			// Its owner gave up on it at the deadline: it hangs.
			r.record(e, execution{
				res:     Result{Status: StatusFail, Err: fmt.Errorf("%w: %q: previous run still has not returned", ErrTimeout, c.Name)},
				outcome: outcomeTimeout,
			}, false)
			return true
		default:
		}
		// A run within its Timeout is busy, not hung: its owner records
		// its result (or a timeout at its deadline) for both of us.
		select {
		case <-cur.settled:
			return true
		case <-r.stop:
			return false
		case <-abort:
			return false
		}
	}
	defer close(me.settled)
	if !r.adopt() {
		e.inflight.Store(nil)
		return false
	}
	done := make(chan execution, 1) // buffered: a late run never blocks
	go func() {
		defer r.done()
		// The run's context is marked as own traffic, so that a check
		// calling through the application's instrumented client (the
		// availability RoundTripper, the availgrpc client) is not counted
		// as user traffic: its slow or failing calls must not page.
		ctx, cancel := context.WithTimeout(owntraffic.Mark(parent), c.Timeout)
		defer cancel()
		// x stays this if Func ends its goroutine with runtime.Goexit.
		x := execution{res: Result{Status: StatusFail, Err: fmt.Errorf("%w: %q: runtime.Goexit", ErrPanic, c.Name)}, outcome: outcomePanic}
		defer func() {
			// Free the slot before handing the result over, so that a run
			// started right after this one is received never sees it taken.
			e.inflight.Store(nil)
			done <- x
		}()
		x = execute(ctx, c)
	}()
	deadline := time.NewTimer(c.Timeout)
	defer deadline.Stop()
	select {
	case x := <-done:
		r.record(e, x, true)
	case <-deadline.C:
		r.record(e, execution{
			res:      Result{Status: StatusFail, Err: fmt.Errorf("%w: %q: no result within %v", ErrTimeout, c.Name, c.Timeout)},
			outcome:  outcomeTimeout,
			duration: c.Timeout,
		}, true)
	case <-r.stop:
		return false
	case <-abort:
		return false
	}
	return true
}

// execute calls the check function, turning a panic into a failed result.
func execute(ctx context.Context, c *Check) (x execution) {
	start := time.Now()
	defer func() {
		x.duration = time.Since(start)
		if p := recover(); p != nil {
			x.res = Result{Status: StatusFail, Err: fmt.Errorf("%w: %q: %v", ErrPanic, c.Name, p)}
			x.outcome = outcomePanic
		}
	}()
	x.res = normalize(c.Func(ctx))
	x.outcome = outcomeOf(x.res.Status)
	return x
}

// record applies one execution to e's state, counts it in the metrics if
// executed, and announces any resulting transition.
func (r *Registry) record(e *entry, x execution, executed bool) {
	res := normalize(x.res)
	now := time.Now()
	e.recordMu.Lock()
	next := e.state.Load().next(Observation{Result: res, Time: now, Duration: x.duration}, e.check.FailureThreshold, e.check.SuccessThreshold)
	e.state.Store(&next)
	e.recordMu.Unlock()
	if executed {
		r.metrics.recordExecution(e, x)
	}
	// Kick the sweeper first: a listener may block this goroutine in
	// reconcile, and the sweeper must still see this result's MaxAge.
	select {
	case r.kick <- struct{}{}:
	default:
	}
	r.reconcile()
}

// sweep announces checks turning stale: it sleeps until the earliest
// moment a result reaches its MaxAge, re-reading the deadlines whenever a
// new result arrives.
func (r *Registry) sweep() {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		now := time.Now()
		if next := r.nextStale(now); !next.IsZero() {
			timer.Reset(next.Sub(now))
		}
		select {
		case <-r.stop:
			return
		case <-r.kick:
		case <-timer.C:
			r.reconcile()
		}
		timer.Stop()
	}
}

// nextStale is the earliest instant after now at which a result turns
// stale, or the zero Time if none will.
func (r *Registry) nextStale(now time.Time) time.Time {
	var next time.Time
	for _, e := range r.tab.Load().all {
		t := e.state.Load().staleAt(e.check.MaxAge)
		if t.After(now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	return next
}

// RunChecks runs every registered check once now, concurrently, and
// returns when each has a result (or hit its Timeout). A check with a
// run already in flight starts no second one: RunChecks waits for that
// run's result if it is within its Timeout, and records a timeout if it
// is past its deadline and still has not returned (hung). Results count
// exactly like scheduled ones. RunChecks works before
// Start too, which lets a process warm up before it serves probes, and
// lets examples and tests run deterministically. The runs get ctx as
// their parent context. RunChecks returns ErrClosed after Shutdown, and
// ctx.Err() if ctx ends first (runs in flight then finish in the
// background; Shutdown waits for them).
func (r *Registry) RunChecks(ctx context.Context) error {
	if r.closed.Load() {
		return ErrClosed
	}
	var wg sync.WaitGroup
	for _, e := range r.tab.Load().all {
		wg.Go(func() { r.runOnce(ctx, e, ctx.Done()) })
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.closed.Load() {
		return ErrClosed
	}
	return nil
}
