package breaker

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/metric/noop"
)

var errGuardBoom = errors.New("boom")

func newTestBreaker(t *testing.T, s Config, opts ...Option) *Breaker[int] {
	t.Helper()
	opts = append([]Option{WithMeterProvider(noop.NewMeterProvider())}, opts...)
	b, err := New[int]("dep", s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Shutdown(context.Background()) })
	return b
}

func succeedCall(context.Context) (int, error) { return 1, nil }
func failCall(context.Context) (int, error)    { return 0, errGuardBoom }

func TestBreakerClosedPathAllocs(t *testing.T) {
	b := newTestBreaker(t, Config{})
	ctx := context.Background()
	if n := testing.AllocsPerRun(1000, func() { _, _ = b.Execute(ctx, succeedCall) }); n != 0 {
		t.Errorf("Execute allocs = %v, want 0", n)
	}
	if n := testing.AllocsPerRun(1000, func() {
		p, _ := b.Allow()
		p.Done(nil)
	}); n != 0 {
		t.Errorf("Allow+Done allocs = %v, want 0", n)
	}
	slow := newTestBreaker(t, Config{SlowThreshold: time.Hour})
	if n := testing.AllocsPerRun(1000, func() { _, _ = slow.Execute(ctx, succeedCall) }); n != 0 {
		t.Errorf("Execute with slow threshold allocs = %v, want 0", n)
	}
	if n := testing.AllocsPerRun(1000, func() {
		p, _ := slow.Allow()
		p.Done(errGuardBoom)
	}); n != 0 {
		t.Errorf("Allow+Done with slow threshold allocs = %v, want 0", n)
	}
}

// Execute and Allow drive one state machine.
func TestBreakerExecuteAndAllowShareState(t *testing.T) {
	b := newTestBreaker(t, Config{ConsecutiveFailures: 2})
	for range 2 {
		p, err := b.Allow()
		if err != nil {
			t.Fatal(err)
		}
		p.Done(errGuardBoom)
	}
	if _, err := b.Execute(context.Background(), succeedCall); !errors.Is(err, ErrOpen) {
		t.Fatalf("Execute after two failures through Allow: err = %v, want ErrOpen", err)
	}
}

func TestBreakerListenerReadsBreakerWithoutDeadlock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			b      *Breaker[int]
			events []StateChange
			seen   []State
		)
		b = newTestBreaker(t, Config{ConsecutiveFailures: 3, OpenTimeout: time.Second},
			WithStateListener(func(ev StateChange) {
				events = append(events, ev)
				seen = append(seen, b.State()) // takes gobreaker's mutex
				_ = b.Counts()
				_, _ = b.Execute(context.Background(), succeedCall) // re-enters the breaker
			}))
		for range 3 {
			_, _ = b.Execute(context.Background(), failCall)
		}
		time.Sleep(2 * time.Second)
		if got := b.State(); got != HalfOpen { // the listener then probes
			t.Fatalf("state = %v, want half_open", got)
		}
		if got := b.State(); got != Closed {
			t.Fatalf("state = %v, want closed (the listener's probe closed it)", got)
		}
		want := []struct{ from, to State }{
			{Closed, Open}, {Open, HalfOpen}, {HalfOpen, Closed},
		}
		if len(events) != len(want) {
			t.Fatalf("events = %+v, want %d", events, len(want))
		}
		for i, w := range want {
			if events[i].From != w.from || events[i].To != w.to {
				t.Errorf("event %d = %v->%v, want %v->%v", i, events[i].From, events[i].To, w.from, w.to)
			}
		}
		if c := events[0].Counts; c.ConsecutiveFailures != 3 || c.Failures != 3 {
			t.Errorf("trip event counts = %+v, want the 3 failures before the transition", c)
		}
		if c := events[2].Counts; c.Successes != 1 {
			t.Errorf("close event counts = %+v, want the half-open round's success", c)
		}
		if seen[0] != Open {
			t.Errorf("listener read state %v on the trip, want open", seen[0])
		}
	})
}

// Under concurrent callers every transition is delivered exactly once and
// in order: each event starts where the previous one ended.
func TestBreakerConcurrentListenerDelivery(t *testing.T) {
	var (
		mu     sync.Mutex
		events []StateChange
	)
	b := newTestBreaker(t, Config{ConsecutiveFailures: 1, OpenTimeout: time.Nanosecond},
		WithStateListener(func(ev StateChange) { mu.Lock(); events = append(events, ev); mu.Unlock() }))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := range 200 {
				if i%2 == 0 {
					_, _ = b.Execute(context.Background(), failCall)
				} else {
					_, _ = b.Execute(context.Background(), succeedCall)
				}
				_ = b.State()
			}
		})
	}
	wg.Wait()
	b.hooks.deliver()
	mu.Lock()
	defer mu.Unlock()
	if len(events) < 3 || b.hooks.queued.Load() != 0 {
		t.Fatalf("delivered %d events, %d still queued", len(events), b.hooks.queued.Load())
	}
	if events[0].From != Closed {
		t.Errorf("first event from %v, want closed", events[0].From)
	}
	for i := 1; i < len(events); i++ {
		if events[i].From != events[i-1].To {
			t.Fatalf("event %d %v->%v does not follow %v->%v: lost or reordered", i, events[i].From, events[i].To, events[i-1].From, events[i-1].To)
		}
	}
}

func TestBreakerRejectionsAreNotFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBreaker(t, Config{ConsecutiveFailures: 2, OpenTimeout: 10 * time.Second, HalfOpenCalls: 2})
		for range 2 {
			_, _ = b.Execute(context.Background(), failCall)
		}
		calls := 0
		for range 100 {
			_, err := b.Execute(context.Background(), func(context.Context) (int, error) { calls++; return 0, errGuardBoom })
			if !errors.Is(err, ErrOpen) {
				t.Fatalf("err = %v, want ErrOpen", err)
			}
		}
		if calls != 0 {
			t.Fatalf("fn called %d times while open", calls)
		}
		if got := b.calls.rejected.Load(); got != 100 {
			t.Errorf("rejected = %d, want 100", got)
		}
		if got := b.calls.failure.Load(); got != 2 {
			t.Errorf("failures = %d, want 2 (rejections are not failures)", got)
		}
		time.Sleep(11 * time.Second)
		p1, err := b.Allow()
		if err != nil {
			t.Fatal(err)
		}
		p2, err := b.Allow()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Allow(); !errors.Is(err, ErrTooManyCalls) {
			t.Fatalf("third half-open call: err = %v, want ErrTooManyCalls", err)
		}
		p1.Done(nil)
		p2.Done(nil)
		if s := b.State(); s != Closed {
			t.Fatalf("state = %v after two successful probes (the ErrTooManyCalls rejection must not count), want closed", s)
		}
	})
}

func TestBreakerExclusions(t *testing.T) {
	errClient := errors.New("404")
	tests := []struct {
		name     string
		s        Config
		err      error
		wantOpen bool
	}{
		{"canceled excluded by default", Config{ConsecutiveFailures: 3}, context.Canceled, false},
		{"wrapped canceled", Config{ConsecutiveFailures: 3}, fmt.Errorf("get: %w", context.Canceled), false},
		{"4xx excluded by IsExcluded", Config{ConsecutiveFailures: 3, IsExcluded: func(err error) bool { return errors.Is(err, errClient) }}, errClient, false},
		{"other errors count", Config{ConsecutiveFailures: 3}, errGuardBoom, true},
		{"deadline exceeded counts", Config{ConsecutiveFailures: 3}, context.DeadlineExceeded, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newTestBreaker(t, tt.s)
			for range 10 {
				_, _ = b.Execute(context.Background(), func(context.Context) (int, error) { return 0, tt.err })
			}
			if got := b.State() == Open; got != tt.wantOpen {
				t.Fatalf("open = %v, want %v (counts %+v)", got, tt.wantOpen, b.Counts())
			}
			if !tt.wantOpen && b.calls.excluded.Load() != 10 {
				t.Errorf("excluded = %d, want 10", b.calls.excluded.Load())
			}
		})
	}
}

func TestBreakerDoneContextReturnedUnchanged(t *testing.T) {
	b := newTestBreaker(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	_, err := b.Execute(ctx, func(context.Context) (int, error) { called = true; return 0, nil })
	if err != context.Canceled || called {
		t.Fatalf("err = %v, called = %v; want context.Canceled unchanged and no call", err, called)
	}
}

func TestBreakerFailureRatio(t *testing.T) {
	b := newTestBreaker(t, Config{FailureRatio: 0.5, MinimumCalls: 10})
	// 4 failures of 8 calls: ratio reached but volume not.
	for i := range 8 {
		if i%2 == 0 {
			_, _ = b.Execute(context.Background(), failCall)
		} else {
			_, _ = b.Execute(context.Background(), succeedCall)
		}
	}
	if b.State() != Closed {
		t.Fatal("opened below the minimum number of calls")
	}
	_, _ = b.Execute(context.Background(), succeedCall)
	_, _ = b.Execute(context.Background(), failCall) // 5 of 10
	if b.State() != Open {
		t.Fatalf("closed at 5/10 failures, counts %+v", b.Counts())
	}
}

func sleepFor(d time.Duration) func(context.Context) (int, error) {
	return func(context.Context) (int, error) { time.Sleep(d); return 1, nil }
}

func TestBreakerSlowCallRatio(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBreaker(t, Config{
			FailureRatio: 0.5, MinimumCalls: 4, SlowThreshold: 100 * time.Millisecond, SlowCallRatio: 0.5,
		})
		_, _ = b.Execute(context.Background(), sleepFor(50*time.Millisecond))
		_, _ = b.Execute(context.Background(), sleepFor(100*time.Millisecond)) // at the threshold: not slow
		_, _ = b.Execute(context.Background(), sleepFor(150*time.Millisecond))
		if b.State() != Closed {
			t.Fatal("opened before the minimum volume")
		}
		p, _ := b.Allow()
		time.Sleep(time.Second)
		p.Done(nil) // slow through the two-step form: 2 slow of 4
		if b.State() != Open {
			t.Fatalf("closed with 2 slow calls of 4, counts %+v", b.Counts())
		}
		if s, okc := b.calls.slow.Load(), b.calls.success.Load(); s != 2 || okc != 2 {
			t.Errorf("slow = %d, success = %d, want 2 and 2", s, okc)
		}
	})
}

// Slow calls are not failures: with the slow-call ratio at 1 (the default),
// half the calls slow trips neither policy.
func TestBreakerSlowCallsAreNotFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBreaker(t, Config{
			ConsecutiveFailures: 2, FailureRatio: 0.5, MinimumCalls: 4, SlowThreshold: 100 * time.Millisecond,
		})
		for i := range 40 {
			d := 10 * time.Millisecond
			if i%2 == 0 {
				d = time.Second
			}
			_, _ = b.Execute(context.Background(), sleepFor(d))
		}
		if b.State() != Closed {
			t.Fatalf("opened on slow calls below the slow-call ratio: counts %+v", b.Counts())
		}
		// Now every call is slow: the breaker opens once the mixed calls have
		// rolled out of the 60 s window, not before.
		slowCalls := 0
		for ; b.State() == Closed && slowCalls < 200; slowCalls++ {
			_, _ = b.Execute(context.Background(), sleepFor(time.Second))
		}
		if slowCalls < 30 {
			t.Errorf("opened after %d slow calls, with fast calls still in the window", slowCalls)
		}
		if b.State() != Open {
			t.Fatal("never opened with every call slow")
		}
	})
}

// A slow probe in the half-open state reopens the breaker.
func TestBreakerSlowHalfOpenProbe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBreaker(t, Config{ConsecutiveFailures: 1, OpenTimeout: time.Second, SlowThreshold: 100 * time.Millisecond})
		_, _ = b.Execute(context.Background(), failCall)
		time.Sleep(2 * time.Second)
		if b.State() != HalfOpen {
			t.Fatal("not half-open")
		}
		_, _ = b.Execute(context.Background(), sleepFor(time.Second))
		if b.State() != Open {
			t.Fatalf("state %v after a slow probe, want open", b.State())
		}
	})
}

func TestBreakerModes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var events []StateChange
		b := newTestBreaker(t, Config{ConsecutiveFailures: 1, OpenTimeout: time.Minute},
			WithStateListener(func(ev StateChange) { events = append(events, ev) }))
		ctx := context.Background()

		b.SetMode(ModeForcedOpen)
		if _, err := b.Execute(ctx, succeedCall); !errors.Is(err, ErrOpen) {
			t.Fatalf("forced open: err = %v", err)
		}
		if _, err := b.Allow(); !errors.Is(err, ErrOpen) {
			t.Fatalf("forced open Allow: err = %v", err)
		}
		b.SetMode(ModeNormal)
		_, _ = b.Execute(ctx, failCall) // trips
		if b.State() != Open {
			t.Fatal("did not trip")
		}
		b.SetMode(ModeForcedClosed)
		if v, err := b.Execute(ctx, succeedCall); err != nil || v != 1 {
			t.Fatalf("forced closed: %v, %v", v, err)
		}
		if p, err := b.Allow(); err != nil {
			t.Fatalf("forced closed Allow: %v", err)
		} else {
			p.Done(nil)
		}
		b.SetMode(ModeMetricsOnly)
		if b.State() != Open {
			t.Fatalf("metrics-only state = %v, want the would-be state open", b.State())
		}
		before := b.calls.rejected.Load()
		if v, err := b.Execute(ctx, succeedCall); err != nil || v != 1 {
			t.Fatalf("metrics-only: %v, %v; want the call admitted", v, err)
		}
		if b.calls.rejected.Load() != before+1 {
			t.Error("metrics-only did not count the would-be rejection")
		}
		if b.Mode() != ModeMetricsOnly {
			t.Errorf("Mode = %v", b.Mode())
		}
		type tr struct {
			from, to State
			mode     Mode
		}
		want := []tr{
			{Closed, Open, ModeForcedOpen},
			{Open, Closed, ModeNormal},
			{Closed, Open, ModeNormal},
			{Open, Closed, ModeForcedClosed},
			{Closed, Open, ModeMetricsOnly},
		}
		if len(events) != len(want) {
			t.Fatalf("events = %+v", events)
		}
		for i, w := range want {
			if got := (tr{events[i].From, events[i].To, events[i].Mode}); got != w {
				t.Errorf("event %d = %+v, want %+v", i, got, w)
			}
		}
	})
}

func TestBreakerPanicCountsAsFailure(t *testing.T) {
	for _, mode := range []Mode{ModeNormal, ModeMetricsOnly} {
		var events []StateChange
		b := newTestBreaker(t, Config{ConsecutiveFailures: 1},
			WithStateListener(func(ev StateChange) { events = append(events, ev) }))
		b.SetMode(mode)
		events = nil
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("mode %v: panic swallowed", mode)
				}
			}()
			_, _ = b.Execute(context.Background(), func(context.Context) (int, error) { panic("bug") })
		}()
		// Before any other call: the transition the panic caused is
		// already delivered and the failure counted in the metrics.
		if len(events) != 1 || events[0].To != Open {
			t.Errorf("mode %v: events after a panicking call %+v, want one transition to open", mode, events)
		}
		if n := b.calls.failure.Load(); n != 1 {
			t.Errorf("mode %v: failures counted %d, want 1", mode, n)
		}
		if b.State() != Open {
			t.Errorf("mode %v: state %v after a panicking call, want open", mode, b.State())
		}
	}
}

// A panic is a failure on every path, whatever IsExcluded says about
// errors: the function returned none for it to judge.
func TestBreakerPanicIsNeverExcluded(t *testing.T) {
	for _, mode := range []Mode{ModeNormal, ModeMetricsOnly} {
		b := newTestBreaker(t, Config{ConsecutiveFailures: 1, IsExcluded: func(error) bool { return true }})
		b.SetMode(mode)
		func() {
			defer func() { _ = recover() }()
			_, _ = b.Execute(context.Background(), func(context.Context) (int, error) { panic("bug") })
		}()
		if s := b.State(); s != Open {
			t.Errorf("mode %v: state %v after a panicking call, want open", mode, s)
		}
		if f, x := b.calls.failure.Load(), b.calls.excluded.Load(); f != 1 || x != 0 {
			t.Errorf("mode %v: failures %d, exclusions %d; want 1 and 0", mode, f, x)
		}
	}
	// Forced closed, the state machine is bypassed; the metrics still
	// count the panic as a failure.
	b := newTestBreaker(t, Config{})
	b.SetMode(ModeForcedClosed)
	func() {
		defer func() { _ = recover() }()
		_, _ = b.Execute(context.Background(), func(context.Context) (int, error) { panic("bug") })
	}()
	if f := b.calls.failure.Load(); f != 1 {
		t.Errorf("forced closed: failures %d after a panicking call, want 1", f)
	}
}

// gobreaker's lazy open -> half-open move while forced closed is not an
// effective transition; leaving the forced mode reports closed -> half_open.
func TestBreakerModeEventsFollowEffectiveState(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var events []StateChange
		b := newTestBreaker(t, Config{ConsecutiveFailures: 1, OpenTimeout: time.Second},
			WithStateListener(func(ev StateChange) { events = append(events, ev) }))
		_, _ = b.Execute(context.Background(), failCall)
		b.SetMode(ModeForcedClosed)
		time.Sleep(2 * time.Second)
		_ = b.State() // forced: does not touch gobreaker
		b.SetMode(ModeNormal)
		got := make([]string, len(events))
		for i, ev := range events {
			got[i] = ev.From.String() + "->" + ev.To.String()
		}
		want := []string{"closed->open", "open->closed", "closed->half_open"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("events %v, want %v", got, want)
		}
	})
}
