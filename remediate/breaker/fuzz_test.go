package breaker

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"
)

// Invalid settings are errors wrapping ErrInvalidConfig, never panics;
// valid ones give a breaker that runs calls.
func FuzzConfig(f *testing.F) {
	f.Add("dep", uint32(0), 0.0, uint32(0), int64(0), 0.0, int64(0), 0, int64(0), uint32(0))
	f.Add("dep", uint32(3), 0.5, uint32(10), int64(time.Second), 0.3, int64(time.Minute), 10, int64(time.Second), uint32(2))
	f.Add("", uint32(1), 1.5, uint32(1), int64(-1), -0.5, int64(-1), -1, int64(-1), uint32(1))
	f.Add("x", uint32(1), 0.1, uint32(1), int64(1), 1.0, int64(5), 1000, int64(1), uint32(1))
	f.Fuzz(func(t *testing.T, name string, consec uint32, ratio float64, minCalls uint32,
		slow int64, slowRatio float64, window int64, buckets int, openTimeout int64, halfOpen uint32) {
		s := Config{
			ConsecutiveFailures: consec, FailureRatio: ratio, MinimumCalls: minCalls,
			SlowThreshold: time.Duration(slow), SlowCallRatio: slowRatio,
			Window: time.Duration(window), Buckets: buckets,
			OpenTimeout: time.Duration(openTimeout), HalfOpenCalls: halfOpen,
		}
		b, err := New[int](name, s, WithMeterProvider(noop.NewMeterProvider()))
		if verr := s.Validate(); name != "" && (verr == nil) != (err == nil) {
			t.Fatalf("Validate = %v but New = %v", verr, err)
		}
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
