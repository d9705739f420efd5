// Package lifecycletest is the conformance kit for nines components with a
// lifecycle or listeners, in the spirit of testing/slogtest: one set of
// checks, run by every package against each of its components, so that
// they all behave as internal/lifecycle and internal/listeners promise.
package lifecycletest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/nines-sre/nines/internal/lifecycle"
)

// Component is anything with nines' Start and Shutdown.
type Component interface {
	Start(ctx context.Context) error
	Shutdown(ctx context.Context) error
}

// Run checks the lifecycle rules on fresh components made by newComponent
// (called once per sub-test; it must not start the component):
//
//   - Start with a done ctx returns ctx.Err() unchanged and starts nothing;
//   - a second Start returns an error matching lifecycle.ErrStarted;
//   - cancelling the Start ctx does not stop the component: Start still
//     says ErrStarted and, if alive is not nil, alive keeps reporting true
//     (it is asked aliveChecks times in a row);
//   - Shutdown is idempotent, concurrent calls all return nil, and no
//     goroutine the component started is left afterwards;
//   - Start after Shutdown, and after a Shutdown that came before any
//     Start, returns an error matching lifecycle.ErrClosed.
//
// alive, if not nil, reports whether the component's background work still
// runs (for example, a check that keeps being executed); it may block
// briefly but must not sleep on wall-clock time to decide.
// aliveChecks is how many times in a row Run asks alive after cancelling
// the Start ctx.
const aliveChecks = 20

func Run[C Component](t *testing.T, newComponent func(t *testing.T) C, alive func(t *testing.T, c C) bool) {
	t.Helper()
	ctx := context.Background()

	t.Run("StartDoneContext", func(t *testing.T) {
		c := newComponent(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := c.Start(cctx); err != context.Canceled {
			t.Fatalf("Start(cancelled ctx) = %v, want context.Canceled unchanged", err)
		}
		if err := c.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown after refused Start = %v", err)
		}
	})

	t.Run("StartTwice", func(t *testing.T) {
		c := newComponent(t)
		if err := c.Start(ctx); err != nil {
			t.Fatalf("Start = %v", err)
		}
		defer shutdown(t, c)
		if err := c.Start(ctx); !errors.Is(err, lifecycle.ErrStarted) {
			t.Fatalf("second Start = %v, want ErrStarted", err)
		}
	})

	t.Run("StartContextCancelledLater", func(t *testing.T) {
		c := newComponent(t)
		sctx, cancel := context.WithCancel(ctx)
		if err := c.Start(sctx); err != nil {
			t.Fatalf("Start = %v", err)
		}
		defer shutdown(t, c)
		cancel()
		if err := c.Start(ctx); !errors.Is(err, lifecycle.ErrStarted) {
			t.Fatalf("Start after the first Start's ctx was cancelled = %v, want ErrStarted (still running)", err)
		}
		// Asked once, alive could see the last beat of a loop that has
		// not yet noticed the cancellation (Go picks among ready select
		// cases at random); a loop that stops with the Start ctx stops
		// within a few of its own iterations.
		for i := range aliveChecks {
			if alive != nil && !alive(t, c) {
				t.Fatalf("the component stopped when its Start ctx was cancelled (alive call %d); only Shutdown may stop it", i+1)
			}
		}
	})

	t.Run("ShutdownIdempotentAndConcurrent", func(t *testing.T) {
		ignore := goleak.IgnoreCurrent()
		c := newComponent(t)
		if err := c.Start(ctx); err != nil {
			t.Fatalf("Start = %v", err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() { errs[i] = c.Shutdown(ctx) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("concurrent Shutdown %d = %v", i, err)
			}
		}
		if err := c.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown after Shutdown = %v", err)
		}
		if err := c.Start(ctx); !errors.Is(err, lifecycle.ErrClosed) {
			t.Errorf("Start after Shutdown = %v, want ErrClosed", err)
		}
		goleak.VerifyNone(t, ignore)
	})

	t.Run("ShutdownBeforeStart", func(t *testing.T) {
		c := newComponent(t)
		if err := c.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown before Start = %v", err)
		}
		if err := c.Start(ctx); !errors.Is(err, lifecycle.ErrClosed) {
			t.Fatalf("Start after an early Shutdown = %v, want ErrClosed", err)
		}
	})
}

func shutdown(t *testing.T, c Component) {
	t.Helper()
	if err := c.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown = %v", err)
	}
}

// Listeners checks a component's listener registration. add registers fn
// and returns its remove function; fire makes the component deliver at
// least one event to every listener registered, synchronously or not: the
// kit waits, with wait, until each listener expected to see the event has
// seen one (wait must return only after delivery of that fire is complete,
// for example by flushing the component's delivery queue). It checks that
//
//   - every registered listener is called;
//   - a removed listener is not called again, and remove is idempotent;
//   - a panicking listener does not stop the others, nor later deliveries;
//   - a listener may remove itself and add another while being called.
func Listeners(t *testing.T, add func(fn func()) (remove func()), fire func(), wait func()) {
	t.Helper()
	t.Run("Delivery", func(t *testing.T) {
		var a, b counter
		ra := add(a.inc)
		rb := add(b.inc)
		fire()
		wait()
		if a.get() == 0 || b.get() == 0 {
			t.Fatalf("listeners called %d and %d times, want both > 0", a.get(), b.get())
		}
		ra()
		ra()
		before := a.get()
		fire()
		wait()
		if a.get() != before {
			t.Errorf("removed listener called again (%d -> %d)", before, a.get())
		}
		rb()
	})
	t.Run("PanicRecovered", func(t *testing.T) {
		var after counter
		rp := add(func() { panic("listener panics") })
		ra := add(after.inc)
		fire()
		wait()
		fire()
		wait()
		if after.get() < 2 {
			t.Errorf("listener after a panicking one called %d times over 2 deliveries, want >= 2", after.get())
		}
		rp()
		ra()
	})
	t.Run("ReentrantRemoveAndAdd", func(t *testing.T) {
		var self, added counter
		var mu sync.Mutex
		var removeSelf, removeAdded func()
		mu.Lock()
		removeSelf = add(func() {
			self.inc()
			mu.Lock()
			defer mu.Unlock()
			if removeAdded == nil {
				removeSelf()
				removeAdded = add(added.inc)
			}
		})
		mu.Unlock()
		fire()
		wait()
		fire()
		wait()
		if self.get() != 1 {
			t.Errorf("self-removing listener called %d times, want 1", self.get())
		}
		if added.get() == 0 {
			t.Error("listener added during delivery never called")
		}
		mu.Lock()
		removeAdded()
		mu.Unlock()
	})
}

type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) inc() { c.mu.Lock(); c.n++; c.mu.Unlock() }
func (c *counter) get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
