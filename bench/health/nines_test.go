package health

import (
	"context"
	"net/http"
	"testing"
	"time"

	nines "github.com/nines-sre/nines/health"
)

// ninesHandler is nines/health: checks run in the background every
// interval; the readiness handler answers from cached state. The hanging
// check is bounded by the registry's own timeout (10ms, like the peers'),
// and it never has more than one run in flight.
func ninesHandler(tb testing.TB, d *deps) http.Handler {
	// No drain on Shutdown: the benchmark stops a registry, not a server.
	reg := nines.NewRegistry(nines.WithDrainDelay(0))
	for i := range numChecks {
		fn := d.fn(i)
		err := reg.Register(nines.Check{
			Name:         checkName(i),
			Interval:     interval,
			Timeout:      peerTimeout,
			InitialDelay: interval, // RunChecks below gives the first result
			External:     true,
			Func: func(ctx context.Context) nines.Result {
				if err := fn(ctx); err != nil {
					return nines.Fail(err)
				}
				return nines.Pass()
			},
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	// One synchronous round gives every check its first result (the
	// hanging one times out after 10ms); Start then schedules the next
	// runs an InitialDelay (one interval, minus jitter) later, outside the
	// timed loop.
	if err := reg.RunChecks(context.Background()); err != nil {
		tb.Fatal(err)
	}
	if err := reg.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		// The hung run returns only once the dependency is released.
		d.stop()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := reg.Shutdown(ctx); err != nil {
			tb.Errorf("nines Shutdown: %v", err)
		}
	})
	return reg.Handler(nines.Readiness)
}
