package health

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/internal/config"
)

// Shutdown of a started registry withdraws readiness at once, keeps
// running (checks and probes) for the drain delay, then stops.
func TestShutdownDrainsForTheDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t, WithDrainDelay(DefaultDrainDelay))
		var runs atomic.Int64
		mustRegister(t, r, Check{Name: "db", Interval: time.Second, Func: func(context.Context) Result {
			runs.Add(1)
			return Pass()
		}})
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1500 * time.Millisecond)
		if code, _ := serve(r.Handler(Readiness), "/readyz", ""); code != 200 {
			t.Fatalf("ready before Shutdown: %d", code)
		}
		begin := time.Now()
		done := make(chan error, 1)
		go func() { done <- r.Shutdown(context.Background()) }()
		synctest.Wait()
		if code, _ := serve(r.Handler(Readiness), "/readyz", ""); code != 503 {
			t.Errorf("readyz during the drain: %d, want 503", code)
		}
		if code, _ := serve(r.Handler(Liveness), "/livez", ""); code != 200 {
			t.Errorf("livez during the drain: %d, want 200", code)
		}
		before := runs.Load()
		time.Sleep(DefaultDrainDelay - time.Second)
		select {
		case err := <-done:
			t.Fatalf("Shutdown returned after %v (%v), before the drain delay", time.Since(begin), err)
		default:
		}
		if n := runs.Load() - before; n < 13 {
			t.Errorf("%d check runs in the drain, want the schedule kept (about 14)", n)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if d := time.Since(begin); d != DefaultDrainDelay {
			t.Errorf("Shutdown took %v, want the drain delay %v", d, DefaultDrainDelay)
		}
		after := runs.Load()
		time.Sleep(10 * time.Second)
		if runs.Load() != after {
			t.Error("checks ran after Shutdown returned")
		}
	})
}

// The delay counts from the first Drain: a registry drained long enough
// ago stops at once, one drained 5 s ago waits the rest.
func TestShutdownDelayCountsFromDrain(t *testing.T) {
	for _, tc := range []struct {
		drainedAgo, want time.Duration
	}{{20 * time.Second, 0}, {5 * time.Second, 10 * time.Second}} {
		synctest.Test(t, func(t *testing.T) {
			r := newTestRegistry(t, WithDrainDelay(15*time.Second))
			if err := r.Start(t.Context()); err != nil {
				t.Fatal(err)
			}
			r.Drain()
			time.Sleep(tc.drainedAgo)
			r.Drain() // idempotent: does not restart the delay
			begin := time.Now()
			if err := r.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(begin); d != tc.want {
				t.Errorf("drained %v ago: Shutdown took %v, want %v", tc.drainedAgo, d, tc.want)
			}
		})
	}
}

// A ctx that ends in the delay stops the registry at once, with its error;
// a registry never started, which nobody saw ready, does not wait.
func TestShutdownDrainBounds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t, WithDrainDelay(time.Minute))
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		begin := time.Now()
		if err := r.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown past its ctx = %v, want DeadlineExceeded", err)
		}
		if d := time.Since(begin); d != time.Second {
			t.Errorf("Shutdown took %v, want the ctx's 1s", d)
		}

		idle := newTestRegistry(t, WithDrainDelay(time.Minute))
		begin = time.Now()
		if err := idle.Shutdown(context.Background()); err != nil || time.Since(begin) != 0 {
			t.Errorf("Shutdown of a registry never started: %v after %v, want nil at once", err, time.Since(begin))
		}
		if idle.Status(Readiness) != StatusDraining {
			t.Error("a registry never started is not left draining")
		}
	})
}

// A drain delay out of [0, MaxDrainDelay] is refused, as availability's
// is: NewRegistry cannot return an error, so Register and Start return it,
// naming the option and the value, and the registry never starts (its
// Shutdown does not wait). A valid delay is waited out exactly.
func TestWithDrainDelayBounds(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want string // "" when valid; else the whole error
		wait time.Duration
	}{
		{"zero", []Option{WithDrainDelay(0)}, "", 0},
		{"default", nil, "", DefaultDrainDelay},
		{"the bound", []Option{WithDrainDelay(MaxDrainDelay)}, "", MaxDrainDelay},
		{"negative", []Option{WithDrainDelay(-time.Second)}, "health: invalid config: WithDrainDelay = -1s: must be in [0, 10m0s]", 0},
		{"one ns below zero", []Option{WithDrainDelay(-1)}, "health: invalid config: WithDrainDelay = -1ns: must be in [0, 10m0s]", 0},
		{"above the bound", []Option{WithDrainDelay(MaxDrainDelay + 1)}, "health: invalid config: WithDrainDelay = 10m0.000000001s: must be in [0, 10m0s]", 0},
		{"an hour", []Option{WithDrainDelay(time.Hour)}, "health: invalid config: WithDrainDelay = 1h0m0s: must be in [0, 10m0s]", 0},
		{"invalid, then valid", []Option{WithDrainDelay(-time.Second), WithDrainDelay(time.Second)}, "health: invalid config: WithDrainDelay = -1s: must be in [0, 10m0s]", 0},
		{"valid, then invalid", []Option{WithDrainDelay(time.Second), WithDrainDelay(-2 * time.Second)}, "health: invalid config: WithDrainDelay = -2s: must be in [0, 10m0s]", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := NewRegistry(append([]Option{WithJitter(0), WithMeterProvider(noop.NewMeterProvider())}, tt.opts...)...)
				checkOptionErrors(t, r, tt.want)
				begin := time.Now()
				if err := r.Shutdown(context.Background()); err != nil {
					t.Fatal(err)
				}
				if d := time.Since(begin); d != tt.wait {
					t.Errorf("Shutdown waited %v, want %v", d, tt.wait)
				}
			})
		})
	}
}

// checkOptionErrors registers a check with r and starts it, and fails t
// unless both calls return nil (want "") or exactly the error want,
// wrapping ErrInvalidConfig: how a registry reports an invalid option.
func checkOptionErrors(t *testing.T, r *Registry, want string) {
	t.Helper()
	errs := map[string]error{
		"Register": r.Register(Check{Name: "db", Func: func(context.Context) Result { return Pass() }}),
		"Start":    r.Start(t.Context()),
	}
	for call, err := range errs {
		switch {
		case want == "" && err != nil:
			t.Errorf("%s = %v, want nil", call, err)
		case want != "" && (err == nil || err.Error() != want):
			t.Errorf("%s = %v, want %q", call, err, want)
		case want != "" && (!errors.Is(err, ErrInvalidConfig) || !errors.Is(err, config.ErrInvalid)):
			t.Errorf("%s = %v: does not wrap ErrInvalidConfig", call, err)
		}
	}
}
