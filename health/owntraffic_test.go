package health

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nines-sre/nines/internal/owntraffic"
)

// Every run's context, scheduled or on demand, is marked as own traffic,
// so a check calling through the application's instrumented client is not
// counted as user traffic.
func TestCheckRunsAreOwnTraffic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		var runs, marked atomic.Int32
		mustRegister(t, r, Check{Name: "dep", Interval: time.Second, Func: func(ctx context.Context) Result {
			runs.Add(1)
			if owntraffic.Is(ctx) {
				marked.Add(1)
			}
			return Pass()
		}})
		if err := r.RunChecks(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := r.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Second)
		synctest.Wait()
		if runs.Load() < 2 || marked.Load() != runs.Load() {
			t.Fatalf("%d of %d runs had an own-traffic context, want all of at least 2", marked.Load(), runs.Load())
		}
	})
}
