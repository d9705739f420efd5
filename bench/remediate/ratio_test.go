package remediate

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/nines-sre/nines/remediate/breaker"
	gobreaker "github.com/sony/gobreaker/v2"
)

// BenchmarkBreakerExecuteRatio measures the wrapper's cost on a shared,
// noisy machine: each iteration times a chunk of calls through the nines
// breaker and a chunk through raw gobreaker back to back, and the reported
// ratio is the median of the per-iteration ratios, so load that comes and
// goes hits both sides alike. Target: nines/gobreaker <= 1.25.
func BenchmarkBreakerExecuteRatio(b *testing.B) {
	const chunk = 2000
	ctx := context.Background()
	ours := mustBreaker(b, breaker.Config{FailureRatio: 0.5})
	raw := gobreaker.NewCircuitBreaker[int](gobreaker.Settings{Interval: time.Minute, BucketPeriod: 6 * time.Second})
	oursFn := func(context.Context) (int, error) { return 1, nil }
	rawFn := func() (int, error) { return 1, nil }
	var ratios, oursNs, rawNs []float64
	for b.Loop() {
		start := time.Now()
		for range chunk {
			_, _ = ours.Execute(ctx, oursFn)
		}
		mid := time.Now()
		for range chunk {
			_, _ = raw.Execute(rawFn)
		}
		end := time.Now()
		o, r := float64(mid.Sub(start))/chunk, float64(end.Sub(mid))/chunk
		oursNs, rawNs = append(oursNs, o), append(rawNs, r)
		ratios = append(ratios, o/r)
	}
	b.ReportMetric(median(oursNs), "nines-ns/call")
	b.ReportMetric(median(rawNs), "gobreaker-ns/call")
	b.ReportMetric(median(ratios), "nines/gobreaker")
}

// BenchmarkBreakerTwoStepRatio is the same measurement for the two-step
// form middleware uses: nines' Allow+Permit.Done against gobreaker's
// TwoStepCircuitBreaker Allow+done (which allocates a closure per call).
func BenchmarkBreakerTwoStepRatio(b *testing.B) {
	const chunk = 2000
	ours := mustBreaker(b, breaker.Config{FailureRatio: 0.5})
	raw := gobreaker.NewTwoStepCircuitBreaker[int](gobreaker.Settings{Interval: time.Minute, BucketPeriod: 6 * time.Second})
	var ratios, oursNs, rawNs []float64
	for b.Loop() {
		start := time.Now()
		for range chunk {
			p, _ := ours.Allow()
			p.Done(nil)
		}
		mid := time.Now()
		for range chunk {
			done, _ := raw.Allow()
			done(nil)
		}
		end := time.Now()
		o, r := float64(mid.Sub(start))/chunk, float64(end.Sub(mid))/chunk
		oursNs, rawNs = append(oursNs, o), append(rawNs, r)
		ratios = append(ratios, o/r)
	}
	b.ReportMetric(median(oursNs), "nines-ns/call")
	b.ReportMetric(median(rawNs), "gobreaker-ns/call")
	b.ReportMetric(median(ratios), "nines/gobreaker")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}
