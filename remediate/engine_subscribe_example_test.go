package remediate_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/remediate"
	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/remediate/breaker"
)

// A failing dependency check forces the dependency's breaker open: the
// health registry reports the change, the engine decides on its own
// goroutine, and Shutdown waits for the queued decision, then reverts
// what is still in effect (nothing would revert it after the process).
func ExampleEngine_SubscribeHealth() {
	ctx := context.Background()
	mp := remediate.WithMeterProvider(noop.NewMeterProvider())
	payments, _ := breaker.New[string]("payments", breaker.Config{}, breaker.WithMeterProvider(noop.NewMeterProvider()))

	reg := health.NewRegistry(health.WithMeterProvider(noop.NewMeterProvider()))
	_ = reg.Register(health.Check{Name: "payments-db", Func: func(context.Context) health.Result {
		return health.Result{Status: health.StatusFail, Err: errors.New("connection refused")}
	}})

	engine, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name: "open-payments-on-db-failure",
		When: remediate.Match{
			Kinds:     []remediate.SignalKind{remediate.SignalHealthStatus},
			Predicate: func(s remediate.Signal) bool { return s.Source == "payments-db" && s.State == "fail" },
		},
		Target: func(remediate.Signal) string { return "payments" },
		Action: remediate.BreakerMode(breaker.ModeForcedOpen, map[string]remediate.ModeSetter{"payments": payments}),
	}}}, mp, remediate.WithAuditLogger(nil))
	if err != nil {
		panic(err)
	}
	defer engine.SubscribeHealth(reg)()
	_ = engine.Start(ctx)

	_ = reg.RunChecks(ctx)   // the check fails: a Change, then a Signal
	_ = engine.Shutdown(ctx) // decides what is queued, then reverts
	_ = reg.Shutdown(ctx)

	for _, r := range engine.Records() {
		fmt.Println(r.Policy, r.Action, r.Target, r.Outcome)
	}
	_, err = payments.Execute(ctx, func(context.Context) (string, error) { return "paid", nil })
	fmt.Println(payments.Mode(), errors.Is(err, breaker.ErrOpen))
	// Output:
	// open-payments-on-db-failure breaker_forced_open payments executed
	// open-payments-on-db-failure breaker_forced_open payments reverted
	// normal false
}
