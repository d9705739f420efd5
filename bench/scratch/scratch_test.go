package scratch

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/nines-sre/nines/remediate"
)

func hist(b *testing.B) metric.Float64Histogram {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	h, _ := mp.Meter("x").Float64Histogram("d", metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10))
	return h
}

func BenchmarkRecord(b *testing.B) {
	for _, n := range []int{0, 1, 2, 3, 4} {
		kvs := []attribute.KeyValue{attribute.String("http.request.method", "GET"), attribute.String("http.route", "/items/{id}"), attribute.Int("http.response.status_code", 200), attribute.String("error.type", "x")}[:n]
		opts := []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(kvs...))}
		b.Run(string(rune('0'+n)), func(b *testing.B) {
			h := hist(b)
			ctx := context.Background()
			for b.Loop() {
				h.Record(ctx, 0.001, opts...)
			}
		})
	}
}

func BenchmarkClock(b *testing.B) {
	b.Run("now", func(b *testing.B) {
		for b.Loop() {
			_ = time.Now()
		}
	})
	t := time.Now()
	b.Run("since", func(b *testing.B) {
		for b.Loop() {
			_ = time.Since(t)
		}
	})
}

func BenchmarkShedder(b *testing.B) {
	s, _ := remediate.NewShedder("b", remediate.ShedderSettings{Rate: 1e12})
	t := time.Now()
	for b.Loop() {
		_ = s.AllowAt(t, "", remediate.PriorityNormal)
	}
}

var pool = sync.Pool{New: func() any { return new([4]int) }}

func BenchmarkPool(b *testing.B) {
	for b.Loop() {
		p := pool.Get().(*[4]int)
		pool.Put(p)
	}
}
