package slo

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

var update = flag.Bool("update", false, "rewrite golden files")

// render prints every data point as "name unit kind {attrs} value", sorted.
func render(rm metricdata.ResourceMetrics) string {
	var lines []string
	attrs := func(s attribute.Set) string {
		var kv []string
		for _, a := range s.ToSlice() {
			kv = append(kv, string(a.Key)+"="+a.Value.Emit())
		}
		return "{" + strings.Join(kv, ",") + "}"
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			head := fmt.Sprintf("%s scope=%s unit=%q", m.Name, sm.Scope.Name, m.Unit)
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					lines = append(lines, fmt.Sprintf("%s sum monotonic=%v %s %s %d", head, d.IsMonotonic, d.Temporality, attrs(p.Attributes), p.Value))
				}
			case metricdata.Gauge[float64]:
				for _, p := range d.DataPoints {
					lines = append(lines, fmt.Sprintf("%s gauge %s %.6g", head, attrs(p.Attributes), p.Value))
				}
			case metricdata.Gauge[int64]:
				for _, p := range d.DataPoints {
					lines = append(lines, fmt.Sprintf("%s gauge %s %d", head, attrs(p.Attributes), p.Value))
				}
			default:
				lines = append(lines, fmt.Sprintf("%s unexpected %T", head, d))
			}
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n"
}

func TestMetricsGolden(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer mp.Shutdown(context.Background())
	set, err := NewSet(WithMeterProvider(mp), fixed(t0.Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	defer set.Shutdown(context.Background())
	s := mustNew(t, api(0.999, 30*day), t0)
	_ = set.Add(s)
	feed(s, t0, t0.Add(time.Hour), 990, 10) // 1% errors: burn rate 10
	set.TickAt(t0.Add(time.Hour))

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	got := render(rm)
	const golden = "testdata/metrics.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("metrics differ from %s (run with -update after a deliberate schema change)\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
}

// Recording, ticking and collecting concurrently is race-free, and the
// cumulative counter never goes down.
func TestMetricsUnderConcurrentRecording(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reader := sdkmetric.NewManualReader()
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
		set, err := NewSet(WithMeterProvider(mp))
		if err != nil {
			t.Fatal(err)
		}
		s, _ := New(api(0.99, 7*day))
		_ = set.Add(s)
		ctx := context.Background()
		_ = set.Start(ctx)
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for i := range 600 {
					s.Record(i%10 != w)
					if i%50 == 0 {
						time.Sleep(time.Second)
					}
				}
			})
		}
		var last int64
		for range 20 {
			var rm metricdata.ResourceMetrics
			if err := reader.Collect(ctx, &rm); err != nil {
				t.Fatal(err)
			}
			total := eventsTotal(rm)
			if total < last {
				t.Fatalf("slo.events went down from %d to %d", last, total)
			}
			last = total
			time.Sleep(500 * time.Millisecond)
		}
		wg.Wait()
		var rm metricdata.ResourceMetrics
		_ = reader.Collect(ctx, &rm)
		if got := eventsTotal(rm); got != 4*600 {
			t.Errorf("slo.events total %d, want 2400", got)
		}
		if err := set.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		_ = mp.Shutdown(ctx)
	})
}

func eventsTotal(rm metricdata.ResourceMetrics) (total int64) {
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if sum, ok := m.Data.(metricdata.Sum[int64]); ok && m.Name == "slo.events" {
				for _, p := range sum.DataPoints {
					total += p.Value
				}
			}
		}
	}
	return total
}
