package admit_test

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/remediate/admit"
)

func ExampleShedder() {
	sh, _ := admit.NewShedder("api", admit.ShedderConfig{Rate: 10, Burst: 10},
		admit.WithMeterProvider(noop.NewMeterProvider()))
	defer sh.Shutdown(context.Background())
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	admitted := map[admit.Priority]int{}
	for range 20 {
		for _, p := range []admit.Priority{admit.Sheddable, admit.Normal, admit.Critical} {
			if sh.AllowAt(now, "", p) == nil {
				admitted[p]++
			}
		}
	}
	fmt.Println("sheddable", admitted[admit.Sheddable], "normal", admitted[admit.Normal], "critical", admitted[admit.Critical])
	sh.SetLevel(admit.Critical)
	fmt.Println(sh.AllowAt(now.Add(time.Second), "", admit.Normal))
	// Output:
	// sheddable 3 normal 3 critical 4
	// admit: shed by priority
}

func ExampleLimiter() {
	l, _ := admit.NewLimiter("db", admit.LimiterConfig{Initial: 2, Floor: 1},
		admit.WithMeterProvider(noop.NewMeterProvider()))
	defer l.Shutdown(context.Background())
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, _ := l.AcquireAt(now)
	b, _ := l.AcquireAt(now)
	_, err := l.AcquireAt(now)
	fmt.Println(err)
	a.ReleaseAt(now.Add(time.Second), admit.Timeout)
	b.ReleaseAt(now.Add(time.Second), admit.Timeout)
	fmt.Println("limit", l.Limit())
	// Output:
	// admit: concurrency limit reached
	// limit 1
}
