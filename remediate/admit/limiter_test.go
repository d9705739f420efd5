package admit

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"
)

func newTestLimiter(t *testing.T, s LimiterConfig) *Limiter {
	t.Helper()
	l, err := NewLimiter("db", s, WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Shutdown(context.Background()) })
	return l
}

// The known failure: every call times out, yet a naive limiter that only
// learns from completed calls (or counts timeouts as successes) keeps
// raising the limit. Here the limit must fall to the floor and stay there.
func TestLimiterConstantTimeoutsNeverGrowTheLimit(t *testing.T) {
	l := newTestLimiter(t, LimiterConfig{Initial: 50, Floor: 5, Ceiling: 100, LatencyThreshold: 100 * time.Millisecond})
	now := guardT0
	prev := l.Limit()
	for round := range 200 {
		var permits []Permit
		for {
			p, err := l.AcquireAt(now)
			if err != nil {
				if !errors.Is(err, ErrConcurrencyLimited) {
					t.Fatal(err)
				}
				break
			}
			permits = append(permits, p)
		}
		now = now.Add(time.Second)
		for i, p := range permits {
			if i%2 == 0 {
				p.ReleaseAt(now, Timeout)
			} else {
				p.ReleaseAt(now, Success) // 1 s > threshold: a drop too
			}
		}
		if got := l.Limit(); got > prev {
			t.Fatalf("round %d: limit grew from %d to %d under constant timeouts", round, prev, got)
		}
		prev = l.Limit()
	}
	if l.Limit() != 5 {
		t.Errorf("limit = %d, want the floor 5", l.Limit())
	}
}

// A limit that is not used is not raised, however healthy the calls.
func TestLimiterGrowsOnlyWhenSaturatedAndHealthy(t *testing.T) {
	l := newTestLimiter(t, LimiterConfig{Initial: 10, Ceiling: 12, LatencyThreshold: time.Second})
	for range 1000 {
		p, err := l.AcquireAt(guardT0)
		if err != nil {
			t.Fatal(err)
		}
		p.ReleaseAt(guardT0.Add(time.Millisecond), Success)
	}
	if l.Limit() != 10 {
		t.Fatalf("limit = %d after unsaturated successes, want 10", l.Limit())
	}
	for range 1000 { // saturate: fill the limit, release all healthy
		var ps []Permit
		for {
			p, err := l.AcquireAt(guardT0)
			if err != nil {
				break
			}
			ps = append(ps, p)
		}
		for _, p := range ps {
			p.ReleaseAt(guardT0.Add(time.Millisecond), Success)
		}
	}
	if l.Limit() != 12 {
		t.Fatalf("limit = %d after saturated healthy rounds, want the ceiling 12", l.Limit())
	}
	p, _ := l.AcquireAt(guardT0)
	p.ReleaseAt(guardT0, Ignored)
	if l.Limit() != 12 || l.InFlight() != 0 {
		t.Errorf("ignored outcome changed the limit to %d (in flight %d)", l.Limit(), l.InFlight())
	}
	p, _ = l.AcquireAt(guardT0)
	p.ReleaseAt(guardT0, Dropped)
	if l.Limit() != 10 { // 12 * 0.9 = 10.8
		t.Errorf("limit after a drop = %d, want 10", l.Limit())
	}
}

func TestLimiterRejectsAtLimit(t *testing.T) {
	l := newTestLimiter(t, LimiterConfig{Initial: 2})
	p1, _ := l.AcquireAt(guardT0)
	p2, _ := l.AcquireAt(guardT0)
	if _, err := l.AcquireAt(guardT0); !errors.Is(err, ErrConcurrencyLimited) {
		t.Fatalf("third acquire: %v", err)
	}
	p1.ReleaseAt(guardT0, Ignored)
	if _, err := l.AcquireAt(guardT0); err != nil {
		t.Fatalf("after release: %v", err)
	}
	p2.ReleaseAt(guardT0, Ignored)
	if l.Rejections() != 1 {
		t.Errorf("rejections = %d", l.Rejections())
	}
	var zero Permit
	zero.ReleaseAt(guardT0, Dropped) // no-op
}

func TestLimiterAllocs(t *testing.T) {
	l := newTestLimiter(t, LimiterConfig{Initial: 100, Ceiling: 100})
	if n := testing.AllocsPerRun(1000, func() {
		p, _ := l.AcquireAt(guardT0)
		p.ReleaseAt(guardT0, Success)
		p, _ = l.AcquireAt(guardT0)
		p.ReleaseAt(guardT0, Dropped)
	}); n != 0 {
		t.Errorf("acquire/release allocs = %v, want 0", n)
	}
}
