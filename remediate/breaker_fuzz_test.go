package remediate

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"
)

// Invalid settings are errors wrapping ErrInvalidConfig, never panics;
// valid ones give a breaker that runs calls.
func FuzzBreakerSettings(f *testing.F) {
	f.Add("dep", uint32(0), 0.0, uint32(0), int64(0), 0.0, int64(0), 0, int64(0), uint32(0))
	f.Add("dep", uint32(3), 0.5, uint32(10), int64(time.Second), 0.3, int64(time.Minute), 10, int64(time.Second), uint32(2))
	f.Add("", uint32(1), 1.5, uint32(1), int64(-1), -0.5, int64(-1), -1, int64(-1), uint32(1))
	f.Add("x", uint32(1), 0.1, uint32(1), int64(1), 1.0, int64(5), 1000, int64(1), uint32(1))
	f.Fuzz(func(t *testing.T, name string, consec uint32, ratio float64, minCalls uint32,
		slow int64, slowRatio float64, window int64, buckets int, openTimeout int64, halfOpen uint32) {
		s := BreakerSettings{
			ConsecutiveFailures: consec, FailureRatio: ratio, MinimumCalls: minCalls,
			SlowThreshold: time.Duration(slow), SlowCallRatio: slowRatio,
			Window: time.Duration(window), Buckets: buckets,
			OpenTimeout: time.Duration(openTimeout), HalfOpenCalls: halfOpen,
		}
		b, err := NewBreaker[int](name, s, WithMeterProvider(noop.NewMeterProvider()))
		if err != nil {
			if !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("error %v does not wrap ErrInvalidConfig", err)
			}
			return
		}
		defer func() { _ = b.Shutdown(context.Background()) }()
		for range 5 {
			_, _ = b.Execute(context.Background(), failCall)
			p, _ := b.Allow()
			p.Done(nil)
		}
		_ = b.State()
		_ = b.Counts()
	})
}

func FuzzShedderSettings(f *testing.F) {
	f.Add(0.0, 0, 0.0, 0, 0, 0.0, 0.0)
	f.Add(100.0, 10, 5.0, 2, 10, 0.1, 0.2)
	f.Add(-1.0, -1, 1e300, 1<<31-1, -5, 0.9, 0.9)
	f.Fuzz(func(t *testing.T, r float64, burst int, kr float64, kburst, maxKeys int, cres, nres float64) {
		s := ShedderSettings{Rate: r, Burst: burst, PerKeyRate: kr, PerKeyBurst: kburst, MaxKeys: maxKeys, CriticalReserve: cres, NormalReserve: nres}
		sh, err := NewShedder("api", s, WithMeterProvider(noop.NewMeterProvider()))
		if err != nil {
			if !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("error %v does not wrap ErrInvalidConfig", err)
			}
			return
		}
		defer func() { _ = sh.Shutdown(context.Background()) }()
		// A full bucket admits every class once (reserves leave room).
		for _, p := range []Priority{PrioritySheddable, PriorityNormal, PriorityCritical} {
			sh2, _ := NewShedder("fresh", s, WithMeterProvider(noop.NewMeterProvider()))
			if err := sh2.AllowAt(guardT0, "k", p); err != nil {
				t.Fatalf("full buckets refused %v: %v (settings %+v)", p, err, s)
			}
			_ = sh2.Shutdown(context.Background())
			_ = sh.AllowAt(guardT0, "k", p)
		}
	})
}

func FuzzConcurrencySettings(f *testing.F) {
	f.Add(0, 0, 0, 0.0, int64(0))
	f.Add(10, 2, 50, 0.7, int64(time.Second))
	f.Add(-1, 5, 3, 1.0, int64(-1))
	f.Fuzz(func(t *testing.T, initial, floor, ceiling int, backoff float64, latency int64) {
		s := ConcurrencySettings{Initial: initial, Floor: floor, Ceiling: ceiling, Backoff: backoff, LatencyThreshold: time.Duration(latency)}
		l, err := NewConcurrencyLimiter("db", s, WithMeterProvider(noop.NewMeterProvider()))
		if err != nil {
			if !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("error %v does not wrap ErrInvalidConfig", err)
			}
			return
		}
		defer func() { _ = l.Shutdown(context.Background()) }()
		for i := range 50 {
			p, err := l.AcquireAt(guardT0)
			if err != nil {
				continue
			}
			p.ReleaseAt(guardT0, ConcurrencyOutcome(i%4))
			if lim := l.Limit(); float64(lim) < l.cfg.floor || float64(lim) > l.cfg.ceiling {
				t.Fatalf("limit %d outside [%v, %v]", lim, l.cfg.floor, l.cfg.ceiling)
			}
		}
	})
}
