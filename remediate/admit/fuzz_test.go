package admit

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"
)

func FuzzShedderConfig(f *testing.F) {
	f.Add(0.0, 0, 0.0, 0, 0, 0.0, 0.0)
	f.Add(100.0, 10, 5.0, 2, 10, 0.1, 0.2)
	f.Add(-1.0, -1, 1e300, 1<<31-1, -5, 0.9, 0.9)
	f.Fuzz(func(t *testing.T, r float64, burst int, kr float64, kburst, maxKeys int, cres, nres float64) {
		s := ShedderConfig{Rate: r, Burst: burst, PerKeyRate: kr, PerKeyBurst: kburst, MaxKeys: maxKeys, CriticalReserve: cres, NormalReserve: nres}
		sh, err := NewShedder("api", s, WithMeterProvider(noop.NewMeterProvider()))
		if err != nil {
			if !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("error %v does not wrap ErrInvalidConfig", err)
			}
			return
		}
		defer func() { _ = sh.Shutdown(context.Background()) }()
		// A full bucket admits every class once (reserves leave room).
		for _, p := range []Priority{Sheddable, Normal, Critical} {
			sh2, _ := NewShedder("fresh", s, WithMeterProvider(noop.NewMeterProvider()))
			if err := sh2.AllowAt(guardT0, "k", p); err != nil {
				t.Fatalf("full buckets refused %v: %v (settings %+v)", p, err, s)
			}
			_ = sh2.Shutdown(context.Background())
			_ = sh.AllowAt(guardT0, "k", p)
		}
	})
}

func FuzzLimiterConfig(f *testing.F) {
	f.Add(0, 0, 0, 0.0, int64(0))
	f.Add(10, 2, 50, 0.7, int64(time.Second))
	f.Add(-1, 5, 3, 1.0, int64(-1))
	f.Fuzz(func(t *testing.T, initial, floor, ceiling int, backoff float64, latency int64) {
		s := LimiterConfig{Initial: initial, Floor: floor, Ceiling: ceiling, Backoff: backoff, LatencyThreshold: time.Duration(latency)}
		l, err := NewLimiter("db", s, WithMeterProvider(noop.NewMeterProvider()))
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
			p.ReleaseAt(guardT0, Outcome(i%4))
			if lim := l.Limit(); float64(lim) < l.cfg.floor || float64(lim) > l.cfg.ceiling {
				t.Fatalf("limit %d outside [%v, %v]", lim, l.cfg.floor, l.cfg.ceiling)
			}
		}
	})
}
