package metrictest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/nines-sre/nines/internal/metrictest"
)

// record makes one instrument of each kind in scope "s" and records known
// values.
func record(t *testing.T, mp metric.MeterProvider) {
	t.Helper()
	m := mp.Meter("s")
	ctx := context.Background()
	c, _ := m.Int64Counter("c")
	c.Add(ctx, 2, metric.WithAttributes(attribute.String("k", "a")))
	c.Add(ctx, 3, metric.WithAttributes(attribute.String("k", "b")))
	c.Add(ctx, 4, metric.WithAttributes(attribute.String("k", "a")))
	u, _ := m.Float64UpDownCounter("u", metric.WithUnit("1"))
	u.Add(ctx, -1.5)
	h, _ := m.Float64Histogram("h", metric.WithUnit("s"), metric.WithDescription("a histogram"))
	h.Record(ctx, 0.25, metric.WithAttributes(attribute.String("x", "1"), attribute.Int("y", 2)))
	h.Record(ctx, 0.5, metric.WithAttributes(attribute.String("x", "1"), attribute.Int("y", 2)))
	_, err := m.Int64ObservableGauge("g", metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
		o.Observe(7, metric.WithAttributes(attribute.Bool("on", true)))
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
}

func TestCollection(t *testing.T) {
	p := metrictest.NewProvider(t)
	record(t, p)
	c := p.Collect(t)

	metrictest.Golden(t, c.Lines(), `
		c counter "" {k=a} 6
		c counter "" {k=b} 3
		g gauge "" {on=true} 7
		h histogram "s" {x=1,y=2} count=2 sum=0.75
		u updown "1" {} -1.5
	`)
	metrictest.Golden(t, c.Schema(), `
		c counter "" [k]
		g gauge "" [on]
		h histogram "s" [x y]
		u updown "1" []
	`)
	if got := c.Scopes(); len(got) != 1 || got[0] != "s" {
		t.Errorf("Scopes = %q, want [s]", got)
	}
	if pt, ok := c.Point("c", attribute.String("k", "a")); !ok || pt.Value != 6 {
		t.Errorf("Point(c, k=a) = %+v, %v; want 6", pt, ok)
	}
	if _, ok := c.Point("c", attribute.String("k", "z")); ok {
		t.Error("Point found a series that was never recorded")
	}
	if _, ok := c.Point("c"); ok {
		t.Error("Point with no attributes matched an attributed series")
	}
	if pt, ok := c.Point("h", attribute.Int("y", 2), attribute.String("x", "1")); !ok || pt.Count != 2 || pt.Value != 0.75 {
		t.Errorf("Point(h) = %+v, %v; want count 2 sum 0.75", pt, ok)
	}
	if got := c.Total("c"); got != 9 {
		t.Errorf("Total(c) = %v, want 9", got)
	}
	if got := c.Total("missing"); got != 0 {
		t.Errorf("Total(missing) = %v, want 0", got)
	}
	if m, ok := c.Metric("h"); !ok || m.Description != "a histogram" || m.Int {
		t.Errorf("Metric(h) = %+v, %v", m, ok)
	}
	if m, ok := c.Metric("c"); !ok || !m.Int || m.Kind != metrictest.Counter {
		t.Errorf("Metric(c) = %+v, %v", m, ok)
	}
}

func TestDeltaTemporality(t *testing.T) {
	p := metrictest.NewProvider(t, sdkmetric.WithTemporalitySelector(func(sdkmetric.InstrumentKind) metricdata.Temporality {
		return metricdata.DeltaTemporality
	}))
	record(t, p)
	metrictest.Golden(t, p.Collect(t).Schema(), `
		c counter delta "" [k]
		g gauge "" [on]
		h histogram delta "s" [x y]
		u updown delta "1" []
	`)
}

// recorder is a testing.TB that records failures instead of failing, so
// the kit's own failure paths can be tested.
type recorder struct {
	testing.TB
	failed []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.failed = append(r.failed, fmt.Sprintf(f, a...)) }
func (r *recorder) Fatalf(f string, a ...any) { r.failed = append(r.failed, fmt.Sprintf(f, a...)) }
func (r *recorder) Fatal(a ...any)            { r.failed = append(r.failed, fmt.Sprint(a...)) }

func TestGoldenDetectsDifferences(t *testing.T) {
	for _, tc := range []struct {
		want string
		fail bool
	}{
		{"a 1\n  b 2\n", false},
		{"\n\ta 1\n\n\tb 2\n\t", false},
		{"a 1", true},
		{"a 1\nb 3", true},
		{"b 2\na 1", true},
		{"a 1\nb 2\nc 3", true},
	} {
		r := &recorder{TB: t}
		metrictest.Golden(r, []string{"a 1", "b 2"}, tc.want)
		if got := len(r.failed) > 0; got != tc.fail {
			t.Errorf("Golden(want %q) failed = %v, want %v (%q)", tc.want, got, tc.fail, r.failed)
		}
	}
}

func TestGoldenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.golden")
	r := &recorder{TB: t}
	metrictest.GoldenFile(r, path, []string{"a 1"}, false)
	if len(r.failed) != 1 {
		t.Fatalf("missing golden file: failures %q, want one", r.failed)
	}
	r = &recorder{TB: t}
	metrictest.GoldenFile(r, path, []string{"a 1", "b 2"}, true)
	if len(r.failed) != 0 {
		t.Fatalf("update: %q", r.failed)
	}
	if b, _ := os.ReadFile(path); string(b) != "a 1\nb 2\n" {
		t.Fatalf("written %q", b)
	}
	metrictest.GoldenFile(r, path, []string{"a 1", "b 2"}, false)
	if len(r.failed) != 0 {
		t.Fatalf("same lines: %q", r.failed)
	}
	metrictest.GoldenFile(r, path, []string{"a 1", "b 3"}, false)
	if len(r.failed) != 1 {
		t.Fatalf("different lines: failures %q, want one", r.failed)
	}
}
