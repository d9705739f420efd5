package remediate

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nines-sre/nines/internal/lifecycletest"
)

// probedEngine is an engine whose one policy reports each decision it
// executes, so that the conformance kit can tell the engine still runs.
type probedEngine struct {
	*Engine
	ran chan struct{}
}

// The engine's Start and Shutdown behave as every nines component's do;
// in particular, cancelling the Start ctx leaves the engine deciding.
func TestEngineLifecycleConformance(t *testing.T) {
	lifecycletest.Run(t,
		func(t *testing.T) probedEngine {
			ran := make(chan struct{}, 16)
			e := mustEngine(t, Config{Policies: []Policy{{Name: "probe", Action: Func("probe",
				func(context.Context, string, Signal) error { ran <- struct{}{}; return nil })}}})
			return probedEngine{e, ran}
		},
		func(t *testing.T, e probedEngine) bool {
			if !e.Submit(Signal{Source: "alive?"}) {
				return false
			}
			select { // returns as soon as the engine decides; the timer only bounds a failure
			case <-e.ran:
				return true
			case <-time.After(10 * time.Second):
				return false
			}
		})
}

// Start racing Shutdown: whichever wins, every submitted signal is either
// decided or counted as dropped, and Shutdown never waits for a worker
// that was not started.
func TestEngineStartRacesShutdown(t *testing.T) {
	for range 200 {
		var decided atomic.Int32
		e := mustEngine(t, Config{Policies: []Policy{{Name: "p", Action: Func("count",
			func(context.Context, string, Signal) error { decided.Add(1); return nil })}}})
		for range 3 {
			e.Submit(Signal{Source: "queued"})
		}
		var wg sync.WaitGroup
		wg.Go(func() { _ = e.Start(context.Background()) })
		wg.Go(func() {
			if err := e.Shutdown(context.Background()); err != nil {
				t.Errorf("Shutdown = %v", err)
			}
		})
		wg.Wait()
		if err := e.Shutdown(context.Background()); err != nil {
			t.Fatalf("Shutdown after the race = %v", err)
		}
		if got := uint64(decided.Load()) + e.DroppedSignals(); got != 3 {
			t.Fatalf("decided %d + dropped %d = %d, want the 3 submitted", decided.Load(), e.DroppedSignals(), got)
		}
	}
}
