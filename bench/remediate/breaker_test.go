package remediate

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/failsafe-go/failsafe-go"
	"github.com/failsafe-go/failsafe-go/circuitbreaker"
	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
	gobreaker "github.com/sony/gobreaker/v2"
	"go.opentelemetry.io/otel/metric/noop"
	"golang.org/x/time/rate"
)

func mustBreaker(b *testing.B, s breaker.Config) *breaker.Breaker[int] {
	br, err := breaker.New[int]("bench", s, breaker.WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		b.Fatal(err)
	}
	return br
}

// The closed path: a call that succeeds, through each library's breaker.
func BenchmarkBreakerExecute(b *testing.B) {
	ctx := context.Background()
	b.Run("lib=nines", func(b *testing.B) {
		br := mustBreaker(b, breaker.Config{FailureRatio: 0.5})
		fn := func(context.Context) (int, error) { return 1, nil }
		b.ReportAllocs()
		for b.Loop() {
			_, _ = br.Execute(ctx, fn)
		}
	})
	b.Run("lib=nines-slowcalls", func(b *testing.B) {
		br := mustBreaker(b, breaker.Config{FailureRatio: 0.5, SlowThreshold: time.Second})
		fn := func(context.Context) (int, error) { return 1, nil }
		b.ReportAllocs()
		for b.Loop() {
			_, _ = br.Execute(ctx, fn)
		}
	})
	b.Run("lib=gobreaker", func(b *testing.B) {
		cb := gobreaker.NewCircuitBreaker[int](gobreaker.Settings{Interval: time.Minute, BucketPeriod: 6 * time.Second})
		fn := func() (int, error) { return 1, nil }
		b.ReportAllocs()
		for b.Loop() {
			_, _ = cb.Execute(fn)
		}
	})
	b.Run("lib=failsafe-go", func(b *testing.B) {
		cb := circuitbreaker.NewBuilder[int]().WithFailureRateThreshold(0.5, 20, time.Minute).Build()
		ex := failsafe.With[int](cb)
		fn := func() (int, error) { return 1, nil }
		b.ReportAllocs()
		for b.Loop() {
			_, _ = ex.Get(fn)
		}
	})
}

// The two-step form used by middleware.
func BenchmarkBreakerTwoStep(b *testing.B) {
	b.Run("lib=nines", func(b *testing.B) {
		br := mustBreaker(b, breaker.Config{FailureRatio: 0.5})
		b.ReportAllocs()
		for b.Loop() {
			p, _ := br.Allow()
			p.Done(nil)
		}
	})
	b.Run("lib=gobreaker", func(b *testing.B) {
		cb := gobreaker.NewTwoStepCircuitBreaker[int](gobreaker.Settings{Interval: time.Minute, BucketPeriod: 6 * time.Second})
		b.ReportAllocs()
		for b.Loop() {
			done, _ := cb.Allow()
			done(nil)
		}
	})
	b.Run("lib=failsafe-go", func(b *testing.B) {
		cb := circuitbreaker.NewBuilder[int]().WithFailureRateThreshold(0.5, 20, time.Minute).Build()
		b.ReportAllocs()
		for b.Loop() {
			if cb.TryAcquirePermit() {
				cb.RecordSuccess()
			}
		}
	})
}

func BenchmarkShedderAllow(b *testing.B) {
	now := time.Now()
	b.Run("lib=nines-global", func(b *testing.B) {
		sh, err := admit.NewShedder("bench", admit.ShedderConfig{Rate: 1e12}, admit.WithMeterProvider(noop.NewMeterProvider()))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			_ = sh.AllowAt(now, "", admit.Normal)
		}
	})
	b.Run("lib=nines-perkey", func(b *testing.B) {
		sh, err := admit.NewShedder("bench", admit.ShedderConfig{Rate: 1e12, PerKeyRate: 1e12}, admit.WithMeterProvider(noop.NewMeterProvider()))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			_ = sh.AllowAt(now, "tenant-1", admit.Normal)
		}
	})
	b.Run("lib=x-time-rate", func(b *testing.B) {
		lim := rate.NewLimiter(1e12, 1e9)
		b.ReportAllocs()
		for b.Loop() {
			_ = lim.AllowN(now, 1)
		}
	})
}

func BenchmarkConcurrencyAcquireRelease(b *testing.B) {
	now := time.Now()
	b.Run("lib=nines", func(b *testing.B) {
		l, err := admit.NewLimiter("bench", admit.LimiterConfig{Initial: 100}, admit.WithMeterProvider(noop.NewMeterProvider()))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			p, _ := l.AcquireAt(now)
			p.ReleaseAt(now, admit.Success)
		}
	})
	b.Run("lib=atomic-counter", func(b *testing.B) {
		var n atomic.Int64
		b.ReportAllocs()
		for b.Loop() {
			if n.Add(1) <= 100 {
				n.Add(-1)
			}
		}
	})
}
