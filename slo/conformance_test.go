package slo

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/internal/lifecycletest"
)

// TestSetLifecycle runs the shared lifecycle conformance kit on a Set.
// Its background work is alive while it keeps ticking: every tick reads
// the set's clock, which signals. (A Set used to stop when its Start ctx
// was cancelled; the kit's StartContextCancelledLater step guards that.)
func TestSetLifecycle(t *testing.T) {
	var mu sync.Mutex
	ticked := map[*Set]chan struct{}{}
	lifecycletest.Run(t, func(t *testing.T) *Set {
		tick := make(chan struct{}, 1)
		clock := func() time.Time {
			select {
			case tick <- struct{}{}:
			default:
			}
			return time.Now()
		}
		set, err := NewSet(WithClock(clock), WithTickInterval(time.Millisecond), WithMeterProvider(noop.NewMeterProvider()))
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		ticked[set] = tick
		mu.Unlock()
		return set
	}, func(t *testing.T, set *Set) bool {
		mu.Lock()
		tick := ticked[set]
		mu.Unlock()
		return lifecycletest.Beat(tick)
	})
}

// TestOnAlertListeners runs the shared listener conformance kit on
// Set.OnAlert. Each fire adds a fresh objective whose every event is bad
// and ticks, so its tiers start firing: at least one transition per fire,
// delivered on the ticking (here the calling) goroutine.
func TestOnAlertListeners(t *testing.T) {
	set, err := NewSet(fixed(t0), WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		t.Fatal(err)
	}
	defer set.Shutdown(context.Background())
	n := 0
	lifecycletest.Listeners(t, func(fn func()) func() {
		return set.OnAlert(func(AlertEvent) { fn() })
	}, func() {
		n++
		s := mustNew(t, Objective{Name: fmt.Sprint("o", n), Target: 0.999, Window: Window{Rolling: 30 * day}}, t0)
		if err := set.Add(s); err != nil {
			t.Fatal(err)
		}
		s.AddAt(t0, 0, 100)
		// A minute in, a full outage has spent the 1h/5m tier's share of
		// the budget (after 52 s: see TierStatus.WarmingUp).
		set.TickAt(t0.Add(time.Minute))
	}, func() {})
	if set.alerts.Panics() == 0 {
		t.Error("the panicking listener was not counted")
	}
}
