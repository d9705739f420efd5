package health

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// render flattens collected metrics to sorted lines "name unit kind
// attrs = value" (histograms as count).
func render(rm metricdata.ResourceMetrics) string {
	var lines []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			head := fmt.Sprintf("%s [%s] %s", m.Name, m.Unit, sm.Scope.Name)
			switch d := m.Data.(type) {
			case metricdata.Gauge[int64]:
				for _, p := range d.DataPoints {
					lines = append(lines, fmt.Sprintf("%s gauge {%s} = %d", head, p.Attributes.Encoded(attribute.DefaultEncoder()), p.Value))
				}
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					lines = append(lines, fmt.Sprintf("%s counter(monotonic=%v) {%s} = %d", head, d.IsMonotonic, p.Attributes.Encoded(attribute.DefaultEncoder()), p.Value))
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					lines = append(lines, fmt.Sprintf("%s histogram {%s} count=%d sum=%g", head, p.Attributes.Encoded(attribute.DefaultEncoder()), p.Count, p.Sum))
				}
			default:
				lines = append(lines, fmt.Sprintf("%s unexpected %T", head, d))
			}
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func TestMetricsGolden(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reader := sdkmetric.NewManualReader()
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
		defer mp.Shutdown(context.Background())
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
		var rm metricdata.ResourceMetrics
		if err := reader.Collect(context.Background(), &rm); err != nil {
			t.Fatal(err)
		}
		if n := calls.Load() - before; n != 0 {
			t.Fatalf("collection ran %d checks", n)
		}
		const scope = "github.com/nines-sre/nines/health"
		want := strings.ReplaceAll(`health.check.duration [s] SCOPE histogram {health.check.name=boot,health.check.outcome=panic} count=1 sum=0
health.check.duration [s] SCOPE histogram {health.check.name=cache,health.check.outcome=warn} count=1 sum=0
health.check.duration [s] SCOPE histogram {health.check.name=db,health.check.outcome=pass} count=1 sum=0.25
health.check.duration [s] SCOPE histogram {health.check.name=slow,health.check.outcome=timeout} count=1 sum=1
health.check.executions [] SCOPE counter(monotonic=true) {health.check.name=boot,health.check.outcome=panic} = 1
health.check.executions [] SCOPE counter(monotonic=true) {health.check.name=cache,health.check.outcome=warn} = 1
health.check.executions [] SCOPE counter(monotonic=true) {health.check.name=db,health.check.outcome=pass} = 1
health.check.executions [] SCOPE counter(monotonic=true) {health.check.name=slow,health.check.outcome=timeout} = 1
health.check.status [1] SCOPE gauge {health.check.name=boot,health.check.state=fail} = 1
health.check.status [1] SCOPE gauge {health.check.name=boot,health.check.state=pass} = 0
health.check.status [1] SCOPE gauge {health.check.name=boot,health.check.state=unknown} = 0
health.check.status [1] SCOPE gauge {health.check.name=boot,health.check.state=warn} = 0
health.check.status [1] SCOPE gauge {health.check.name=cache,health.check.state=fail} = 0
health.check.status [1] SCOPE gauge {health.check.name=cache,health.check.state=pass} = 0
health.check.status [1] SCOPE gauge {health.check.name=cache,health.check.state=unknown} = 0
health.check.status [1] SCOPE gauge {health.check.name=cache,health.check.state=warn} = 1
health.check.status [1] SCOPE gauge {health.check.name=db,health.check.state=fail} = 0
health.check.status [1] SCOPE gauge {health.check.name=db,health.check.state=pass} = 1
health.check.status [1] SCOPE gauge {health.check.name=db,health.check.state=unknown} = 0
health.check.status [1] SCOPE gauge {health.check.name=db,health.check.state=warn} = 0
health.check.status [1] SCOPE gauge {health.check.name=slow,health.check.state=fail} = 1
health.check.status [1] SCOPE gauge {health.check.name=slow,health.check.state=pass} = 0
health.check.status [1] SCOPE gauge {health.check.name=slow,health.check.state=unknown} = 0
health.check.status [1] SCOPE gauge {health.check.name=slow,health.check.state=warn} = 0
health.status [1] SCOPE gauge {health.group=live,health.state=draining} = 0
health.status [1] SCOPE gauge {health.group=live,health.state=fail} = 0
health.status [1] SCOPE gauge {health.group=live,health.state=pass} = 0
health.status [1] SCOPE gauge {health.group=live,health.state=warn} = 1
health.status [1] SCOPE gauge {health.group=ready,health.state=draining} = 1
health.status [1] SCOPE gauge {health.group=ready,health.state=fail} = 0
health.status [1] SCOPE gauge {health.group=ready,health.state=pass} = 0
health.status [1] SCOPE gauge {health.group=ready,health.state=warn} = 0
health.status [1] SCOPE gauge {health.group=startup,health.state=draining} = 0
health.status [1] SCOPE gauge {health.group=startup,health.state=fail} = 1
health.status [1] SCOPE gauge {health.group=startup,health.state=pass} = 0
health.status [1] SCOPE gauge {health.group=startup,health.state=warn} = 0`, "SCOPE", scope)
		if got := render(rm); got != want {
			t.Errorf("collected:\n%s\nwant:\n%s", got, want)
		}
		// Release the hung check so the bubble can end.
		mustShutdown(t, r)
	})
}

func TestUnknownGroupReadsAllZero(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reader := sdkmetric.NewManualReader()
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
		defer mp.Shutdown(context.Background())
		r := NewRegistry(WithMeterProvider(mp))
		defer r.Shutdown(context.Background())
		mustRegister(t, r, Check{Name: "db", Func: scripted(StatusPass).run})
		var rm metricdata.ResourceMetrics
		if err := reader.Collect(context.Background(), &rm); err != nil {
			t.Fatal(err)
		}
		got := render(rm)
		for _, state := range []string{"pass", "warn", "fail", "draining"} {
			line := "{health.group=ready,health.state=" + state + "} = 0"
			if !strings.Contains(got, line) {
				t.Errorf("missing %q in\n%s", line, got)
			}
		}
		if !strings.Contains(got, "{health.check.name=db,health.check.state=unknown} = 1") {
			t.Errorf("check db not unknown in\n%s", got)
		}
	})
}
