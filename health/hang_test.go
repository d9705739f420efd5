package health

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// A check that hangs forever and ignores its context: probes keep
// answering from state, the check reports a timeout, goroutines stay
// bounded over many intervals, and nothing is left after Shutdown.
func TestHangingCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		release := make(chan struct{})
		unhang := sync.OnceFunc(func() { close(release) })
		defer func() { unhang(); _ = r.Shutdown(context.Background()) }()
		var calls atomic.Int64
		hang := func(context.Context) Result {
			calls.Add(1)
			<-release
			return Pass()
		}
		mustRegister(t, r, Check{Name: "hang", Func: hang, Interval: time.Second, Timeout: 100 * time.Millisecond, FailureThreshold: 2})
		mustRegister(t, r, Check{Name: "ok", Func: scripted(StatusPass).run, Interval: time.Second})
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		// In flight, before the deadline: no result yet.
		if s, _ := r.CheckStatus("hang"); s != StatusUnknown {
			t.Fatalf("before the deadline: %v, want unknown", s)
		}
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		st := r.tab.Load().byName["hang"].state.Load()
		if !errors.Is(st.last.Err, ErrTimeout) {
			t.Fatalf("at the deadline, last error = %v, want ErrTimeout", st.last.Err)
		}
		// The one hung run, and no more however many intervals pass (the
		// loops and the sweeper are a fixed set, owned by the lifecycle).
		const goroutines = 1
		if n := r.goroutines(); n != goroutines {
			t.Fatalf("%d check runs in flight, want %d", n, goroutines)
		}
		h := r.Handler(Readiness, WithDetailsAuthorizer(func(*http.Request) bool { return true }))
		for i := range 100 {
			time.Sleep(time.Second)
			synctest.Wait()
			if n := r.goroutines(); n != goroutines {
				t.Fatalf("interval %d: %d goroutines, want %d", i, n, goroutines)
			}
			code, body := serve(h, "/readyz?verbose", "")
			if code != 503 || !strings.Contains(body, "[-]hang failed: health: check timed out") {
				t.Fatalf("interval %d: probe = %d %q", i, code, body)
			}
		}
		if n := calls.Load(); n != 1 {
			t.Fatalf("hung check started %d times, want 1", n)
		}
		if s, _ := r.CheckStatus("hang"); s != StatusFail {
			t.Fatalf("hung check reads %v, want fail (fresh timeouts, not stale)", s)
		}

		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := r.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Shutdown with the check still hung = %v, want DeadlineExceeded", err)
		}
		unhang()
		mustShutdown(t, r) // now every goroutine has returned
		if n := r.goroutines(); n != 0 {
			t.Fatalf("%d check runs in flight after Shutdown", n)
		}
		if n := calls.Load(); n != 1 {
			t.Fatalf("hung check started %d times, want 1", n)
		}
	})
}

// goroutines is how many check runs the registry started that have not
// returned.
func (r *Registry) goroutines() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.active
}
