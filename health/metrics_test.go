package health

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/nines-sre/nines/internal/metrictest"
)

func TestMetricsGolden(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mp := metrictest.NewProvider(t)
		r := NewRegistry(WithJitter(0), WithMeterProvider(mp))
		defer r.Shutdown(context.Background())
		var calls atomic.Int64
		counted := func(res Result, d time.Duration) CheckFunc {
			return func(context.Context) Result {
				calls.Add(1)
				time.Sleep(d)
				return res
			}
		}
		mustRegister(t, r, Check{Name: "db", Func: counted(Pass(), 250*time.Millisecond)})
		mustRegister(t, r, Check{Name: "cache", NonCritical: true, Groups: Readiness | Liveness, Func: counted(Warn(errBoom), 0)})
		mustRegister(t, r, Check{Name: "boot", Groups: Startup, Func: func(context.Context) Result { calls.Add(1); panic("no") }})
		mustRegister(t, r, Check{Name: "slow", Groups: Startup, Timeout: time.Second, Func: counted(Pass(), time.Hour)})
		if err := r.RunChecks(t.Context()); err != nil {
			t.Fatal(err)
		}
		r.Drain()
		before := calls.Load()
		c := mp.Collect(t)
		if n := calls.Load() - before; n != 0 {
			t.Fatalf("collection ran %d checks", n)
		}
		if got := c.Scopes(); len(got) != 1 || got[0] != "github.com/nines-sre/nines/health" {
			t.Errorf("scopes %q, want the health scope only", got)
		}
		metrictest.Golden(t, c.Lines(), `
			health.check.duration histogram "s" {health.check.name=boot,health.check.outcome=panic} count=1 sum=0
			health.check.duration histogram "s" {health.check.name=cache,health.check.outcome=warn} count=1 sum=0
			health.check.duration histogram "s" {health.check.name=db,health.check.outcome=pass} count=1 sum=0.25
			health.check.duration histogram "s" {health.check.name=slow,health.check.outcome=timeout} count=1 sum=1
			health.check.executions counter "" {health.check.name=boot,health.check.outcome=panic} 1
			health.check.executions counter "" {health.check.name=cache,health.check.outcome=warn} 1
			health.check.executions counter "" {health.check.name=db,health.check.outcome=pass} 1
			health.check.executions counter "" {health.check.name=slow,health.check.outcome=timeout} 1
			health.check.status gauge "1" {health.check.name=boot,health.check.state=fail} 1
			health.check.status gauge "1" {health.check.name=boot,health.check.state=pass} 0
			health.check.status gauge "1" {health.check.name=boot,health.check.state=unknown} 0
			health.check.status gauge "1" {health.check.name=boot,health.check.state=warn} 0
			health.check.status gauge "1" {health.check.name=cache,health.check.state=fail} 0
			health.check.status gauge "1" {health.check.name=cache,health.check.state=pass} 0
			health.check.status gauge "1" {health.check.name=cache,health.check.state=unknown} 0
			health.check.status gauge "1" {health.check.name=cache,health.check.state=warn} 1
			health.check.status gauge "1" {health.check.name=db,health.check.state=fail} 0
			health.check.status gauge "1" {health.check.name=db,health.check.state=pass} 1
			health.check.status gauge "1" {health.check.name=db,health.check.state=unknown} 0
			health.check.status gauge "1" {health.check.name=db,health.check.state=warn} 0
			health.check.status gauge "1" {health.check.name=slow,health.check.state=fail} 1
			health.check.status gauge "1" {health.check.name=slow,health.check.state=pass} 0
			health.check.status gauge "1" {health.check.name=slow,health.check.state=unknown} 0
			health.check.status gauge "1" {health.check.name=slow,health.check.state=warn} 0
			health.status gauge "1" {health.group=live,health.state=draining} 0
			health.status gauge "1" {health.group=live,health.state=fail} 0
			health.status gauge "1" {health.group=live,health.state=pass} 0
			health.status gauge "1" {health.group=live,health.state=warn} 1
			health.status gauge "1" {health.group=ready,health.state=draining} 1
			health.status gauge "1" {health.group=ready,health.state=fail} 0
			health.status gauge "1" {health.group=ready,health.state=pass} 0
			health.status gauge "1" {health.group=ready,health.state=warn} 0
			health.status gauge "1" {health.group=startup,health.state=draining} 0
			health.status gauge "1" {health.group=startup,health.state=fail} 1
			health.status gauge "1" {health.group=startup,health.state=pass} 0
			health.status gauge "1" {health.group=startup,health.state=warn} 0
		`)
		// Release the hung check so the bubble can end.
		mustShutdown(t, r)
	})
}

func TestUnknownGroupReadsAllZero(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mp := metrictest.NewProvider(t)
		r := NewRegistry(WithMeterProvider(mp))
		defer r.Shutdown(context.Background())
		mustRegister(t, r, Check{Name: "db", Func: scripted(StatusPass).run})
		c := mp.Collect(t)
		for _, state := range []string{"pass", "warn", "fail", "draining"} {
			p, ok := c.Point("health.status", attribute.String("health.group", "ready"), attribute.String("health.state", state))
			if !ok || p.Value != 0 {
				t.Errorf("health.status{ready,%s} = %+v, %v; want 0", state, p, ok)
			}
		}
		p, ok := c.Point("health.check.status", attribute.String("health.check.name", "db"), attribute.String("health.check.state", "unknown"))
		if !ok || p.Value != 1 {
			t.Errorf("check db unknown = %+v, %v; want 1", p, ok)
		}
	})
}

// health.check.duration used the SDK's millisecond-style default buckets
// on a histogram in seconds, so every check landed in le="5".
func TestCheckDurationBuckets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mp := metrictest.NewProvider(t)
		r := NewRegistry(WithJitter(0), WithMeterProvider(mp))
		defer r.Shutdown(context.Background())
		mustRegister(t, r, Check{Name: "db", Func: func(context.Context) Result {
			time.Sleep(30 * time.Millisecond)
			return Pass()
		}})
		if err := r.RunChecks(t.Context()); err != nil {
			t.Fatal(err)
		}
		c := mp.Collect(t)
		var found bool
		for _, sm := range c.Raw.ScopeMetrics {
			for _, m := range sm.Metrics {
				if m.Name != metricCheckDuration {
					continue
				}
				h, ok := m.Data.(metricdata.Histogram[float64])
				if !ok || len(h.DataPoints) != 1 {
					t.Fatalf("%s data = %#v", m.Name, m.Data)
				}
				p := h.DataPoints[0]
				found = true
				if !slices.Equal(p.Bounds, durationBounds) {
					t.Errorf("bounds = %v, want %v", p.Bounds, durationBounds)
				}
				// 30ms falls in (0.025, 0.05].
				i := slices.Index(p.Bounds, 0.05)
				if i < 0 || p.BucketCounts[i] != 1 {
					t.Errorf("30ms check: bucket counts %v over bounds %v, want it in le=0.05", p.BucketCounts, p.Bounds)
				}
			}
		}
		if !found {
			t.Fatal("no health.check.duration")
		}
	})
}
