package remediate_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nines-sre/nines/remediate"
	"go.opentelemetry.io/otel/metric/noop"
)

func ExampleBreaker() {
	b, err := remediate.NewBreaker[string]("inventory",
		remediate.BreakerSettings{ConsecutiveFailures: 2},
		remediate.WithMeterProvider(noop.NewMeterProvider()),
		remediate.WithStateListener(func(ev remediate.StateChange) {
			fmt.Printf("%s: %s -> %s after %d failures\n", ev.Name, ev.From, ev.To, ev.Counts.ConsecutiveFailures)
		}))
	if err != nil {
		panic(err)
	}
	defer b.Shutdown(context.Background())

	lookup := func(ok bool) func(context.Context) (string, error) {
		return func(context.Context) (string, error) {
			if !ok {
				return "", errors.New("inventory unavailable")
			}
			return "42 in stock", nil
		}
	}
	ctx := context.Background()
	fmt.Println(b.Execute(ctx, lookup(true)))
	_, _ = b.Execute(ctx, lookup(false))
	_, _ = b.Execute(ctx, lookup(false))
	_, err = b.Execute(ctx, lookup(true))
	fmt.Println(errors.Is(err, remediate.ErrOpen), b.State())
	// Output:
	// 42 in stock <nil>
	// inventory: closed -> open after 2 failures
	// true open
}

func ExampleBreaker_SetMode() {
	b, _ := remediate.NewBreaker[int]("search", remediate.BreakerSettings{},
		remediate.WithMeterProvider(noop.NewMeterProvider()))
	defer b.Shutdown(context.Background())
	b.SetMode(remediate.ModeForcedOpen) // e.g. a remediation action
	_, err := b.Execute(context.Background(), func(context.Context) (int, error) { return 1, nil })
	fmt.Println(b.Mode(), b.State(), err)
	// Output: forced_open open remediate: circuit breaker is open
}

func ExampleBreaker_Allow() {
	b, _ := remediate.NewBreaker[struct{}]("upstream", remediate.BreakerSettings{},
		remediate.WithMeterProvider(noop.NewMeterProvider()))
	defer b.Shutdown(context.Background())
	p, err := b.Allow()
	if err != nil {
		fmt.Println("rejected:", err)
		return
	}
	// ... send the request; read the answer ...
	p.Done(nil)
	fmt.Println(b.Counts().Successes)
	// Output: 1
}

func ExampleShedder() {
	sh, _ := remediate.NewShedder("api", remediate.ShedderSettings{Rate: 10, Burst: 10},
		remediate.WithMeterProvider(noop.NewMeterProvider()))
	defer sh.Shutdown(context.Background())
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	admitted := map[remediate.Priority]int{}
	for range 20 {
		for _, p := range []remediate.Priority{remediate.PrioritySheddable, remediate.PriorityNormal, remediate.PriorityCritical} {
			if sh.AllowAt(now, "", p) == nil {
				admitted[p]++
			}
		}
	}
	fmt.Println("sheddable", admitted[remediate.PrioritySheddable], "normal", admitted[remediate.PriorityNormal], "critical", admitted[remediate.PriorityCritical])
	sh.SetLevel(remediate.PriorityCritical)
	fmt.Println(sh.AllowAt(now.Add(time.Second), "", remediate.PriorityNormal))
	// Output:
	// sheddable 3 normal 3 critical 4
	// remediate: shed by priority
}

func ExampleConcurrencyLimiter() {
	l, _ := remediate.NewConcurrencyLimiter("db", remediate.ConcurrencySettings{Initial: 2, Floor: 1},
		remediate.WithMeterProvider(noop.NewMeterProvider()))
	defer l.Shutdown(context.Background())
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, _ := l.AcquireAt(now)
	b, _ := l.AcquireAt(now)
	_, err := l.AcquireAt(now)
	fmt.Println(err)
	a.ReleaseAt(now.Add(time.Second), remediate.ConcurrencyTimeout)
	b.ReleaseAt(now.Add(time.Second), remediate.ConcurrencyTimeout)
	fmt.Println("limit", l.Limit())
	// Output:
	// remediate: concurrency limit reached
	// limit 1
}
