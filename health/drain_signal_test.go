//go:build unix

package health

import (
	"context"
	"syscall"
	"testing"
	"time"
)

func TestDrainOnSignal(t *testing.T) {
	r := newTestRegistry(t)
	got := make(chan Change, 4)
	defer r.OnChange(func(c Change) { got <- c })()
	stop := DrainOnSignal(context.Background(), r, syscall.SIGUSR1)
	defer stop()
	if r.Draining() {
		t.Fatal("draining before the signal")
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-got:
		if c.Group != Readiness || c.Current != StatusDraining {
			t.Fatalf("change %+v, want readiness draining", c)
		}
	case <-time.After(30 * time.Second): // a failsafe, not a timing assertion
		t.Fatal("no drain within 30s of the signal")
	}
	stop()
	stop() // idempotent
}

func TestDrainOnSignalStops(t *testing.T) {
	r := newTestRegistry(t)
	ctx, cancel := context.WithCancel(context.Background())
	stop := DrainOnSignal(ctx, r)
	cancel()
	stop() // returns once the watcher has returned; goleak checks the rest
	stop = DrainOnSignal(context.Background(), r, syscall.SIGUSR2)
	stop()
	if r.Draining() {
		t.Fatal("drained without a signal")
	}
}
