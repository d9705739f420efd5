package availability

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/internal/lifecycletest"
)

// tickingMonitor is a Monitor whose clock reports each read, so that a
// test can see its ticks happen.
type tickingMonitor struct {
	*Monitor
	reads chan struct{}
}

func newTickingMonitor(t *testing.T) *tickingMonitor {
	reads := make(chan struct{}, 1)
	clock := func() time.Time {
		select {
		case reads <- struct{}{}:
		default:
		}
		return time.Now()
	}
	m, err := New(WithMeterProvider(noop.NewMeterProvider()), WithLogger(discardLogger), WithDrainDelay(0),
		WithClock(clock), WithTickInterval(MinTickInterval))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown(context.Background()) })
	return &tickingMonitor{Monitor: m, reads: reads}
}

// TestMonitorLifecycle runs the conformance kit: alive waits for a tick
// (the tick loop reads the clock; nothing else does in this test).
func TestMonitorLifecycle(t *testing.T) {
	lifecycletest.Run(t, newTickingMonitor, func(t *testing.T, m *tickingMonitor) bool {
		for range 2 {
			select {
			case <-m.reads:
			case <-time.After(10 * time.Second):
				return false
			}
		}
		return true
	})
}

// waitDelivered returns once the timeline has nothing queued and no
// delivery in progress.
func (tl *timeline) waitDelivered() {
	for {
		tl.mu.Lock()
		idle := len(tl.queue) == 0 && !tl.delivering
		tl.mu.Unlock()
		if idle {
			return
		}
		runtime.Gosched()
	}
}

// TestOnEventListeners runs the listener kit on OnEvent, with synchronous
// delivery (not started) and with the Monitor's delivery goroutine.
func TestOnEventListeners(t *testing.T) {
	var n atomic.Int64
	fire := func(m *Monitor) func() {
		return func() {
			m.timeline.emit(Event{Kind: EventShed, Subject: "test", Time: t0.Add(time.Duration(n.Add(1)))})
		}
	}
	add := func(m *Monitor) func(fn func()) func() {
		return func(fn func()) func() { return m.OnEvent(func(Event) { fn() }) }
	}
	t.Run("Synchronous", func(t *testing.T) {
		m, _, _ := newTestMonitor(t)
		lifecycletest.Listeners(t, add(m), fire(m), func() {})
		if m.Statusz().ListenerPanics == 0 {
			t.Error("Statusz.ListenerPanics = 0 after a panicking listener")
		}
	})
	t.Run("Started", func(t *testing.T) {
		m, _, _ := newTestMonitor(t)
		if err := m.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		lifecycletest.Listeners(t, add(m), fire(m), m.timeline.waitDelivered)
	})
}

// TestShutdownDuringStart: a Shutdown that overlaps a Start (the lifecycle
// runs Shutdown's stop beside Start's start function) neither hangs nor
// leaves a loop running; goleak in TestMain checks the latter.
func TestShutdownDuringStart(t *testing.T) {
	ctx := context.Background()
	for range 50 {
		m, err := New(WithMeterProvider(noop.NewMeterProvider()), WithLogger(discardLogger), WithTickInterval(MinTickInterval), WithDrainDelay(0))
		if err != nil {
			t.Fatal(err)
		}
		started := make(chan error, 1)
		go func() { started <- m.Start(ctx) }()
		if err := m.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		if err := <-started; err != nil && !errors.Is(err, ErrClosed) {
			t.Fatalf("Start beside Shutdown: %v", err)
		}
		if err := m.Start(ctx); !errors.Is(err, ErrClosed) {
			t.Fatalf("Start after Shutdown: %v, want ErrClosed", err)
		}
	}
}
