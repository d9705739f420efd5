package health

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Drain withdraws readiness at once: Status(Readiness) reads
// StatusDraining, readiness probes answer 503, and listeners see the group
// transition. Liveness and startup are unaffected and checks keep
// running. Call it when the process is asked to stop (see DrainOnSignal),
// give load balancers time to notice, then Shutdown. Drain is idempotent.
func (r *Registry) Drain() { r.setDraining(true) }

// Undrain reverses Drain. It has no effect after Shutdown, which leaves
// readiness draining for good.
func (r *Registry) Undrain() { r.setDraining(false) }

// Draining reports whether readiness is withdrawn, by Drain or Shutdown.
func (r *Registry) Draining() bool { return r.withdrawn() }

func (r *Registry) setDraining(on bool) {
	r.mu.Lock()
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
