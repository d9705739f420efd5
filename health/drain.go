package health

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/nines-sre/nines/internal/config"
)

// Drain withdraws readiness at once: Status(Readiness) reads
// StatusDraining, readiness probes answer 503, and listeners see the group
// transition. Liveness and startup are unaffected and checks keep
// running. Shutdown begins with it and then waits the drain delay
// (WithDrainDelay) counted from the first Drain, so a process asked to
// stop can simply call Shutdown; Drain on its own (DrainOnSignal, a
// remediation action) withdraws readiness early. Drain is idempotent.
func (r *Registry) Drain() { r.setDraining(true) }

// Undrain reverses Drain. It has no effect after Shutdown, which leaves
// readiness draining for good.
func (r *Registry) Undrain() { r.setDraining(false) }

// Draining reports whether readiness is withdrawn, by Drain or Shutdown.
func (r *Registry) Draining() bool { return r.withdrawn() }

func (r *Registry) setDraining(on bool) {
	r.mu.Lock()
	if on && !r.draining.Load() {
		r.drainedAt = time.Now()
	}
	r.draining.Store(on)
	r.reconcileLocked(time.Now())
	r.mu.Unlock()
	r.deliver()
}

// DrainOnSignal calls r.Drain when the process receives one of sigs
// (SIGTERM if none is given, as Kubernetes sends before stopping a pod).
// It watches until the first such signal, ctx is done, or stop is called;
// stop also releases the signals and waits for the watcher to return, so
// nothing leaks. stop is idempotent.
//
// Until stop is called the signals no longer terminate the process: the
// caller decides when to Shutdown and exit.
func DrainOnSignal(ctx context.Context, r *Registry, sigs ...os.Signal) (stop func()) {
	if len(sigs) == 0 {
		sigs = []os.Signal{syscall.SIGTERM}
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-ch:
			r.Drain()
		case <-ctx.Done():
		case <-quit:
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			signal.Stop(ch)
			close(quit)
		})
		<-finished
	}
}

// DefaultDrainDelay is how long Shutdown keeps a started Registry running
// after withdrawing readiness, when WithDrainDelay is not given. It is
// sized for a Kubernetes readiness probe of periodSeconds 5 and
// failureThreshold 2 (the kubelet needs up to 5 s x 2 = 10 s to see the
// 503s and mark the pod not ready) plus about 5 s for the endpoint change
// to reach kube-proxy, ingress controllers and cloud load balancers. That
// leaves 15 s of the default terminationGracePeriodSeconds (30 s) for the
// requests in flight and the teardown. A probe with the Kubernetes
// defaults (periodSeconds 10, failureThreshold 3) needs 30 s + 5 s: set
// WithDrainDelay to periodSeconds x failureThreshold plus the propagation
// time, and terminationGracePeriodSeconds above it.
const DefaultDrainDelay = 15 * time.Second

// MaxDrainDelay bounds WithDrainDelay: a longer delay is a unit mistake
// (an hour for a second) rather than a plan.
const MaxDrainDelay = 10 * time.Minute

// WithDrainDelay sets how long Shutdown keeps a started registry running,
// checks and probes, after withdrawing readiness and before it stops (see
// DefaultDrainDelay for how to size it). Zero stops at once, for tests and
// for processes behind nothing that polls readiness. It must be in
// [0, MaxDrainDelay]: NewRegistry cannot return an error, so a registry
// built with a delay out of bounds refuses Register and Start with an
// error wrapping ErrInvalidConfig that names the option and the value
// ("health: invalid config: WithDrainDelay = -1s: must be in [0, 10m0s]").
// A registry never started does not wait: nothing could have seen it
// ready.
func WithDrainDelay(d time.Duration) Option {
	return optionFunc(func(c *registryConfig) {
		if d < 0 || d > MaxDrainDelay {
			if c.err == nil {
				c.err = config.Error(ErrInvalidConfig, "WithDrainDelay", d, fmt.Sprintf("must be in [0, %v]", MaxDrainDelay))
			}
			return
		}
		c.drainDelay = d
	})
}

// drainPhase withdraws readiness and, for a started registry, waits out
// the rest of the drain delay, or ctx.
func (r *Registry) drainPhase(ctx context.Context) error {
	r.Drain()
	r.mu.Lock()
	started, since := r.started, r.drainedAt
	r.mu.Unlock()
	if !started {
		return nil
	}
	return sleep(ctx, r.drainDelay-time.Since(since))
}

// sleep waits d, or until ctx is done (returning its error).
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
