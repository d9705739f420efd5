package health

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/internal/lifecycletest"
)

// TestRegistryLifecycle runs the shared lifecycle conformance kit on a
// Registry. Its background work is alive when a check keeps being run:
// the check runs every millisecond and signals each run.
func TestRegistryLifecycle(t *testing.T) {
	var mu sync.Mutex
	ran := map[*Registry]chan struct{}{}
	lifecycletest.Run(t, func(t *testing.T) *Registry {
		r := NewRegistry(WithJitter(0), WithDrainDelay(0), WithMeterProvider(noop.NewMeterProvider()))
		tick := make(chan struct{}, 1)
		mustRegister(t, r, Check{Name: "tick", Interval: time.Millisecond, Func: func(context.Context) Result {
			select {
			case tick <- struct{}{}:
			default:
			}
			return Pass()
		}})
		mu.Lock()
		ran[r] = tick
		mu.Unlock()
		return r
	}, func(t *testing.T, r *Registry) bool {
		mu.Lock()
		tick := ran[r]
		mu.Unlock()
		return lifecycletest.Beat(tick)
	})
}

// TestOnChangeListeners runs the shared listener conformance kit on
// Registry.OnChange; each fire toggles the drain, a readiness transition
// delivered on the caller's goroutine.
func TestOnChangeListeners(t *testing.T) {
	r := newTestRegistry(t)
	draining := false
	lifecycletest.Listeners(t, func(fn func()) func() {
		return r.OnChange(func(Change) { fn() })
	}, func() {
		draining = !draining
		if draining {
			r.Drain()
		} else {
			r.Undrain()
		}
	}, func() {})
	if r.listeners.Panics() == 0 {
		t.Error("the panicking listener was not counted")
	}
}
