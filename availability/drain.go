package availability

import (
	"context"
	"fmt"
	"time"

	"github.com/nines-sre/nines/health"
)

// DefaultDrainDelay is how long Shutdown keeps a started Monitor serving
// readiness as withdrawn before it stops, when WithDrainDelay is not given:
// health.DefaultDrainDelay, 15 s. A Kubernetes readiness probe of
// periodSeconds 5 and failureThreshold 2 needs up to 10 s to see the 503s,
// and the endpoint change about 5 s more to reach kube-proxy, ingress
// controllers and cloud load balancers; that leaves 15 s of the default
// terminationGracePeriodSeconds (30 s) for the requests in flight and the
// teardown. With the Kubernetes probe defaults (10 s x 3) set
// WithDrainDelay(35 * time.Second) and a longer grace period.
const DefaultDrainDelay = health.DefaultDrainDelay

// MaxDrainDelay bounds WithDrainDelay, as health.MaxDrainDelay (10 min)
// bounds health's: a longer delay is a unit mistake (an hour for a second)
// rather than a plan.
const MaxDrainDelay = health.MaxDrainDelay

// WithDrainDelay sets how long Shutdown keeps a started Monitor running
// after withdrawing readiness: probes answer 503 (gRPC health
// NOT_SERVING) while the servers, still up, keep answering requests, so
// that load balancers stop sending before anything refuses a connection.
// Zero stops at once (tests, a process behind nothing that polls
// readiness). It must be in [0, MaxDrainDelay]; the default is
// DefaultDrainDelay. A health registry the Monitor builds gets the same
// delay; one given with WithHealth keeps its own, and Shutdown waits for
// the longer.
func WithDrainDelay(d time.Duration) Option {
	return optionFunc(func(c *config) { c.drainDelay = &d })
}

// validateServing checks the options of the request path's answers:
// WithDrainDelay and WithStatusCodes.
func (c *config) validateServing() error {
	if c.drainDelay == nil {
		d := DefaultDrainDelay
		c.drainDelay = &d
	}
	if d := *c.drainDelay; d < 0 || d > MaxDrainDelay {
		return invalid("WithDrainDelay", d, fmt.Sprintf("must be in [0, %v]", MaxDrainDelay))
	}
	return validateStatusCodes(c.statusCodes)
}

// drain is Shutdown's first phase: readiness withdrawn, then, for a
// Monitor that was started, the drain delay with everything still running
// (ticks, checks, the middleware, the probes), or until ctx is done.
func (m *Monitor) drain(ctx context.Context, started bool) error {
	m.health.Drain()
	if !started {
		return nil
	}
	t := time.NewTimer(*m.cfg.drainDelay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
