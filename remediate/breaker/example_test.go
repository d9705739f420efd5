package breaker_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/nines-sre/nines/remediate/breaker"
	"go.opentelemetry.io/otel/metric/noop"
)

func ExampleBreaker() {
	b, err := breaker.New[string]("inventory",
		breaker.Config{ConsecutiveFailures: 2},
		breaker.WithMeterProvider(noop.NewMeterProvider()),
		breaker.WithStateListener(func(ev breaker.StateChange) {
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
	fmt.Println(errors.Is(err, breaker.ErrOpen), b.State())
	// Output:
	// 42 in stock <nil>
	// inventory: closed -> open after 2 failures
	// true open
}

func ExampleBreaker_SetMode() {
	b, _ := breaker.New[int]("search", breaker.Config{},
		breaker.WithMeterProvider(noop.NewMeterProvider()))
	defer b.Shutdown(context.Background())
	b.SetMode(breaker.ModeForcedOpen) // e.g. a remediation action
	_, err := b.Execute(context.Background(), func(context.Context) (int, error) { return 1, nil })
	fmt.Println(b.Mode(), b.State(), err)
	// Output: forced_open open breaker: circuit breaker is open
}

func ExampleBreaker_Allow() {
	b, _ := breaker.New[struct{}]("upstream", breaker.Config{},
		breaker.WithMeterProvider(noop.NewMeterProvider()))
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

func ExampleBreaker_OnStateChange() {
	b, _ := breaker.New[int]("search", breaker.Config{ConsecutiveFailures: 1},
		breaker.WithMeterProvider(noop.NewMeterProvider()))
	defer b.Shutdown(context.Background())
	remove := b.OnStateChange(func(ev breaker.StateChange) {
		fmt.Printf("%s: %s -> %s\n", ev.Name, ev.From, ev.To)
	})
	fail := func(context.Context) (int, error) { return 0, errors.New("timeout") }
	_, _ = b.Execute(context.Background(), fail) // trips: the listener prints
	remove()
	b.SetMode(breaker.ModeForcedClosed) // open -> closed, but nobody listens
	fmt.Println(b.State())
	// Output:
	// search: closed -> open
	// closed
}
