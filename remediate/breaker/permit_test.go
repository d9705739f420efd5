package breaker

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// tripAndWait opens b with failures, then waits out the open timeout (in a
// synctest bubble) and moves it to half-open.
func tripAndWait(t *testing.T, b *Breaker[int], failures int, timeout time.Duration) {
	t.Helper()
	for range failures {
		_, _ = b.Execute(context.Background(), failCall)
	}
	if s := b.State(); s != Open {
		t.Fatalf("state %v after %d failures, want open", s, failures)
	}
	time.Sleep(timeout + time.Millisecond)
	if s := b.State(); s != HalfOpen {
		t.Fatalf("state %v after the open timeout, want half_open", s)
	}
}

// Half-open, exactly HalfOpenCalls permits are admitted however many
// goroutines ask at once; Execute shares the quota; the probes' successes
// close the breaker.
func TestPermitHalfOpenQuotaIsExact(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const quota = 3
		b := newTestBreaker(t, Config{ConsecutiveFailures: 1, OpenTimeout: time.Second, HalfOpenCalls: quota})
		tripAndWait(t, b, 1, time.Second)

		var (
			mu       sync.Mutex
			permits  []Permit[int]
			rejected atomic.Int32
			wg       sync.WaitGroup
		)
		for range 32 {
			wg.Go(func() {
				p, err := b.Allow()
				if err != nil {
					if !errors.Is(err, ErrTooManyCalls) {
						t.Errorf("Allow = %v, want ErrTooManyCalls", err)
					}
					rejected.Add(1)
					return
				}
				mu.Lock()
				permits = append(permits, p)
				mu.Unlock()
			})
		}
		wg.Wait()
		if len(permits) != quota || rejected.Load() != 32-quota {
			t.Fatalf("admitted %d, rejected %d; want %d and %d", len(permits), rejected.Load(), quota, 32-quota)
		}
		called := false
		if _, err := b.Execute(context.Background(), func(context.Context) (int, error) { called = true; return 1, nil }); !errors.Is(err, ErrTooManyCalls) || called {
			t.Fatalf("Execute with every probe slot taken = %v (called %v), want ErrTooManyCalls", err, called)
		}
		for i, p := range permits {
			p.Done(nil)
			want := HalfOpen
			if i == quota-1 {
				want = Closed
			}
			if s := b.State(); s != want {
				t.Fatalf("after %d successful probes: state %v, want %v", i+1, s, want)
			}
		}
	})
}

// An excluded probe gives its slot back, so another probe can decide; a
// probe that failed does not (the breaker reopens).
func TestPermitExcludedProbeGivesSlotBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBreaker(t, Config{ConsecutiveFailures: 1, OpenTimeout: time.Second})
		tripAndWait(t, b, 1, time.Second)
		p, err := b.Allow()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Allow(); !errors.Is(err, ErrTooManyCalls) {
			t.Fatalf("second probe = %v, want ErrTooManyCalls", err)
		}
		p.Done(context.Canceled)
		if s := b.State(); s != HalfOpen {
			t.Fatalf("state %v after an excluded probe, want half_open", s)
		}
		p, err = b.Allow()
		if err != nil {
			t.Fatalf("probe after an excluded one = %v, want admitted", err)
		}
		p.Done(errGuardBoom)
		if s := b.State(); s != Open {
			t.Fatalf("state %v after a failed probe, want open", s)
		}
	})
}

// A permit admitted while closed and reported after the breaker opened
// and went half-open counts only in the metrics: it neither reopens the
// breaker (a failure) nor closes it (a success), and takes no probe slot.
func TestPermitFromEarlierGenerationDoesNotCount(t *testing.T) {
	for _, outcome := range []error{errGuardBoom, nil} {
		synctest.Test(t, func(t *testing.T) {
			b := newTestBreaker(t, Config{ConsecutiveFailures: 2, OpenTimeout: time.Second})
			old, err := b.Allow()
			if err != nil {
				t.Fatal(err)
			}
			tripAndWait(t, b, 2, time.Second)
			failures := b.calls.failure.Load()
			old.Done(outcome)
			if s := b.State(); s != HalfOpen {
				t.Fatalf("outcome %v of a closed-generation permit moved the half-open breaker to %v", outcome, s)
			}
			if c := b.Counts(); c.Failures != 0 || c.Successes != 0 {
				t.Errorf("half-open counts %+v after a stale outcome, want none", c)
			}
			if outcome != nil && b.calls.failure.Load() != failures+1 {
				t.Errorf("stale failure not counted in the metrics")
			}
			p, err := b.Allow() // the probe slot is still free
			if err != nil {
				t.Fatalf("probe after a stale outcome = %v", err)
			}
			p.Done(nil)
			if s := b.State(); s != Closed {
				t.Fatalf("state %v after the probe succeeded, want closed", s)
			}
		})
	}
}

// The in-gobreaker generation check: a transition between Done's check
// and gobreaker's beforeRequest makes the report an exclusion, which
// changes no state and gives gobreaker's probe slot back.
func TestPermitStaleReportIsNeutral(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBreaker(t, Config{ConsecutiveFailures: 1, OpenTimeout: time.Second})
		tripAndWait(t, b, 1, time.Second)
		// What finish hands gobreaker when the generation moved under it.
		_, _ = b.cb.Execute(func() (int, error) { return 0, errOutcomeStale })
		if s, c := b.State(), b.Counts(); s != HalfOpen || c.Requests != 1 || c.Exclusions != 1 {
			t.Fatalf("after a stale report: %v %+v, want half_open with one excluded request", s, c)
		}
		p, err := b.Allow()
		if err != nil {
			t.Fatal(err)
		}
		p.Done(nil)
		if s := b.State(); s != Closed {
			t.Fatalf("state %v: the stale report kept gobreaker's probe slot", s)
		}
	})
}

// Execute and Allow drive the same state both ways, including half-open:
// a probe in flight through Execute takes the slot Allow would use.
func TestPermitAndExecuteShareState(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBreaker(t, Config{ConsecutiveFailures: 2, OpenTimeout: time.Second})
		_, _ = b.Execute(context.Background(), failCall)
		_, _ = b.Execute(context.Background(), failCall)
		if _, err := b.Allow(); !errors.Is(err, ErrOpen) {
			t.Fatalf("Allow after two failures through Execute = %v, want ErrOpen", err)
		}
		time.Sleep(2 * time.Second)
		release := make(chan struct{})
		done := make(chan error)
		go func() {
			_, err := b.Execute(context.Background(), func(context.Context) (int, error) { <-release; return 1, nil })
			done <- err
		}()
		synctest.Wait() // the probe is in flight
		if _, err := b.Allow(); !errors.Is(err, ErrTooManyCalls) {
			t.Fatalf("Allow with Execute's probe in flight = %v, want ErrTooManyCalls", err)
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if s := b.State(); s != Closed {
			t.Fatalf("state %v after Execute's probe succeeded, want closed", s)
		}
	})
}

// The slow-call policy works through permits with the caller's instants.
func TestPermitSlowCallsWithInstants(t *testing.T) {
	b := newTestBreaker(t, Config{MinimumCalls: 4, SlowThreshold: 100 * time.Millisecond, SlowCallRatio: 0.5})
	t0 := time.Now()
	for i, d := range []time.Duration{10 * time.Millisecond, time.Second, 20 * time.Millisecond} {
		p, err := b.AllowAt(t0)
		if err != nil {
			t.Fatal(err)
		}
		p.DoneAt(t0.Add(d), nil)
		if s := b.State(); s != Closed {
			t.Fatalf("call %d: state %v below the minimum volume", i, s)
		}
	}
	p, _ := b.AllowAt(t0)
	p.DoneAt(t0.Add(2*time.Second), nil) // 2 slow of 4
	if s := b.State(); s != Open {
		t.Fatalf("state %v with 2 slow calls of 4, want open", s)
	}
	if s, ok := b.calls.slow.Load(), b.calls.success.Load(); s != 2 || ok != 2 {
		t.Errorf("slow %d, success %d; want 2 and 2", s, ok)
	}
}

// A slow probe reported through a permit reopens the breaker.
func TestPermitSlowProbeReopens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBreaker(t, Config{ConsecutiveFailures: 1, OpenTimeout: time.Second, SlowThreshold: 100 * time.Millisecond})
		tripAndWait(t, b, 1, time.Second)
		p, err := b.Allow()
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		p.Done(nil)
		if s := b.State(); s != Open {
			t.Fatalf("state %v after a slow probe, want open", s)
		}
	})
}

// Allow and Done allocate nothing in any state.
func TestPermitAllocsInEveryState(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Half-open with a quota too large to close during the runs.
		b := newTestBreaker(t, Config{ConsecutiveFailures: 1, OpenTimeout: time.Second, HalfOpenCalls: 1 << 20, SlowThreshold: time.Hour})
		tripAndWait(t, b, 1, time.Second)
		if n := testing.AllocsPerRun(1000, func() {
			p, _ := b.Allow()
			p.Done(nil)
		}); n != 0 {
			t.Errorf("half-open Allow+Done allocs = %v, want 0", n)
		}
		if s := b.State(); s != HalfOpen {
			t.Fatalf("state %v, want still half_open", s)
		}
		p, _ := b.Allow()
		p.Done(errGuardBoom) // reopen
		if n := testing.AllocsPerRun(1000, func() {
			if _, err := b.Allow(); err == nil {
				t.Fatal("admitted while open")
			}
		}); n != 0 {
			t.Errorf("open Allow allocs = %v, want 0", n)
		}
	})
}

// Many goroutines mix Execute and Allow/Done with random outcomes while the
// breaker cycles through its states. No generation ever has more probes in
// flight than the quota, and once the dependency is healthy the breaker
// closes: it never stays half-open with its quota held by lost outcomes.
func TestPermitConcurrentCyclesKeepQuotaAndLiveness(t *testing.T) {
	const quota = 2
	b := newTestBreaker(t, Config{ConsecutiveFailures: 1, OpenTimeout: time.Nanosecond, HalfOpenCalls: quota})
	var (
		mu       sync.Mutex
		inFlight = map[uint64]int{}
	)
	enter := func(p Permit[int]) {
		if p.kind != probe {
			return
		}
		mu.Lock()
		inFlight[p.gen]++
		n := inFlight[p.gen]
		mu.Unlock()
		if n > quota {
			t.Errorf("generation %d: %d probes in flight, quota %d", p.gen, n, quota)
		}
	}
	leave := func(p Permit[int]) {
		if p.kind == probe {
			mu.Lock()
			inFlight[p.gen]--
			mu.Unlock()
		}
	}
	outcomes := []error{nil, nil, errGuardBoom, context.Canceled}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for range 2000 {
				err := outcomes[r.IntN(len(outcomes))]
				if r.IntN(2) == 0 {
					_, _ = b.Execute(context.Background(), func(context.Context) (int, error) { return 0, err })
					continue
				}
				p, aerr := b.Allow()
				if aerr != nil {
					continue
				}
				enter(p)
				runtime.Gosched() // hold the slot a while
				leave(p)
				p.Done(err)
			}
		})
	}
	wg.Wait()
	for i := 0; b.State() != Closed; i++ {
		if i == 100 {
			t.Fatalf("still %v after 100 healthy calls: quota %d, word probes %d", b.State(), quota, wordProbes(b.hooks.word.Load()))
		}
		_, _ = b.Execute(context.Background(), succeedCall)
	}
}
