package health

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func TestInitialStateAndNothingBeforeStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		db := scripted(StatusPass)
		proc := scripted(StatusPass)
		mustRegister(t, r, Check{Name: "db", Func: db.run, Groups: Readiness | Startup, External: true})
		mustRegister(t, r, Check{Name: "proc", Func: proc.run, Groups: Liveness})

		time.Sleep(time.Hour)
		synctest.Wait()
		if n := db.calls.Load() + proc.calls.Load(); n != 0 {
			t.Fatalf("%d check calls before Start, want 0", n)
		}
		for _, tc := range []struct {
			g    Group
			want Status
		}{{Liveness, StatusPass}, {Readiness, StatusUnknown}, {Startup, StatusUnknown}} {
			if got := r.Status(tc.g); got != tc.want {
				t.Errorf("before Start: Status(%v) = %v, want %v", tc.g, got, tc.want)
			}
		}
		if s, ok := r.CheckStatus("db"); s != StatusUnknown || !ok {
			t.Errorf("CheckStatus(db) = %v, %v; want unknown, true", s, ok)
		}
		if _, ok := r.CheckStatus("nope"); ok {
			t.Error("CheckStatus(nope) found a check")
		}
		if got, want := r.Checks(), []string{"db", "proc"}; !slices.Equal(got, want) {
			t.Errorf("Checks() = %v, want %v", got, want)
		}

		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		for _, g := range []Group{Liveness, Readiness, Startup} {
			if got := r.Status(g); got != StatusPass {
				t.Errorf("after first run: Status(%v) = %v, want pass", g, got)
			}
		}
		if err := r.Start(t.Context()); !errors.Is(err, ErrStarted) {
			t.Errorf("second Start = %v, want ErrStarted", err)
		}
		mustShutdown(t, r)
	})
}

func TestScheduleRunsEveryInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		s := scripted(StatusPass)
		mustRegister(t, r, Check{Name: "a", Func: s.run, Interval: time.Second, InitialDelay: 5 * time.Second})
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5*time.Second - time.Nanosecond)
		synctest.Wait()
		if n := s.calls.Load(); n != 0 {
			t.Fatalf("%d calls during InitialDelay, want 0", n)
		}
		time.Sleep(10*time.Second + time.Nanosecond) // runs at 5s, 6s, ..., 15s
		synctest.Wait()
		if n := s.calls.Load(); n != 11 {
			t.Fatalf("%d calls after 10 intervals, want 11", n)
		}
		mustShutdown(t, r)
		time.Sleep(time.Minute)
		if n := s.calls.Load(); n != 11 {
			t.Fatalf("%d calls after Shutdown, want still 11", n)
		}
	})
}

func TestJitterShortensWaitsOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t, WithJitter(0.5))
		s := scripted(StatusPass)
		mustRegister(t, r, Check{Name: "a", Func: s.run, Interval: 10 * time.Second})
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Second)
		synctest.Wait()
		// Waits lie in (5s, 10s] and the first run in [0, 5s): at least
		// 10 runs, at most 20.
		if n := s.calls.Load(); n < 10 || n > 21 {
			t.Fatalf("%d calls in 100s with 10s interval and 0.5 jitter", n)
		}
		mustShutdown(t, r)
	})
}

func TestRegisterLifecycle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		late := scripted(StatusFail)
		mustRegister(t, r, Check{Name: "late", Func: late.run})
		synctest.Wait()
		if n := late.calls.Load(); n != 1 {
			t.Fatalf("check registered after Start ran %d times, want 1", n)
		}
		if got := r.Status(Readiness); got != StatusFail {
			t.Errorf("Status(ready) = %v, want fail", got)
		}
		mustShutdown(t, r)
		mustShutdown(t, r) // idempotent
		if err := r.Register(Check{Name: "after", Func: late.run}); !errors.Is(err, ErrClosed) {
			t.Errorf("Register after Shutdown = %v, want ErrClosed", err)
		}
		if err := r.Start(t.Context()); !errors.Is(err, ErrClosed) {
			t.Errorf("Start after Shutdown = %v, want ErrClosed", err)
		}
		if err := r.RunChecks(t.Context()); !errors.Is(err, ErrClosed) {
			t.Errorf("RunChecks after Shutdown = %v, want ErrClosed", err)
		}
	})
}

func TestStartWithDoneContext(t *testing.T) {
	r := newTestRegistry(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Start(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Start(cancelled) = %v", err)
	}
	mustShutdown(t, r)
}

func TestRunChecksBeforeStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		mustRegister(t, r, Check{Name: "a", Func: func(context.Context) Result { return Warn(errBoom) }})
		if err := r.RunChecks(t.Context()); err != nil {
			t.Fatal(err)
		}
		if s, _ := r.CheckStatus("a"); s != StatusWarn {
			t.Errorf("CheckStatus(a) = %v, want warn", s)
		}
		if got := r.Status(Readiness); got != StatusWarn {
			t.Errorf("Status(ready) = %v, want warn", got)
		}
		mustShutdown(t, r)
	})
}

func TestPanicBecomesFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		mustRegister(t, r, Check{Name: "p", Func: func(context.Context) Result { panic("kaboom") }})
		if err := r.RunChecks(t.Context()); err != nil {
			t.Fatal(err)
		}
		if s, _ := r.CheckStatus("p"); s != StatusFail {
			t.Fatalf("CheckStatus(p) = %v, want fail", s)
		}
		last := r.tab.Load().byName["p"].state.Load().last
		if !errors.Is(last.Err, ErrPanic) || !strings.Contains(last.Err.Error(), "kaboom") {
			t.Errorf("error = %v, want ErrPanic with the panic message", last.Err)
		}
		mustShutdown(t, r)
	})
}

func TestResultNormalisation(t *testing.T) {
	for _, tc := range []struct {
		in   Result
		want Status
	}{
		{Result{}, StatusFail},
		{Result{Status: StatusPass, Err: errBoom}, StatusFail},
		{Result{Status: StatusDraining}, StatusFail},
		{Result{Status: 99}, StatusFail},
		{Warn(nil), StatusWarn},
		{Pass(), StatusPass},
	} {
		got := normalize(tc.in)
		if got.Status != tc.want || (got.Status != StatusPass && got.Err == nil) {
			t.Errorf("normalize(%+v) = %+v, want status %v with an error unless pass", tc.in, got, tc.want)
		}
	}
}

func TestGoexitBecomesFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		mustRegister(t, r, Check{Name: "g", Func: func(context.Context) Result { runtime.Goexit(); return Pass() }})
		for range 2 { // the second run proves the slot was freed
			if err := r.RunChecks(t.Context()); err != nil {
				t.Fatal(err)
			}
			last := r.tab.Load().byName["g"].state.Load().last
			if !errors.Is(last.Err, ErrPanic) {
				t.Fatalf("error = %v, want ErrPanic", last.Err)
			}
		}
	})
}

func TestRunChecksContextEndsFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		release := make(chan struct{})
		mustRegister(t, r, Check{Name: "slow", Timeout: time.Second, Func: func(context.Context) Result { <-release; return Pass() }})
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		if err := r.RunChecks(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("RunChecks = %v, want DeadlineExceeded", err)
		}
		if s, _ := r.CheckStatus("slow"); s != StatusUnknown {
			t.Errorf("CheckStatus = %v, want unknown (no result recorded)", s)
		}
		shut, cancelShut := context.WithTimeout(context.Background(), time.Minute)
		defer cancelShut()
		if err := r.Shutdown(shut); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown with the run in flight = %v, want DeadlineExceeded", err)
		}
		close(release)
		mustShutdown(t, r)
	})
}

func TestStartContextCancelDoesNotStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		s := scripted(StatusPass)
		var parentValue atomic.Value
		type key struct{}
		mustRegister(t, r, Check{Name: "a", Interval: time.Second, Func: func(ctx context.Context) Result {
			parentValue.Store(ctx.Value(key{}))
			return s.run(ctx)
		}})
		ctx, cancel := context.WithCancel(context.WithValue(t.Context(), key{}, "v"))
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if n := s.calls.Load(); n != 6 {
			t.Errorf("%d runs in 5s after cancelling Start's context, want 6", n)
		}
		if v := parentValue.Load(); v != "v" {
			t.Errorf("check saw context value %v, want Start's", v)
		}
		mustShutdown(t, r)
	})
}
