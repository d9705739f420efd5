package breaker

import (
	"context"
	"testing"

	"github.com/nines-sre/nines/internal/metrictest"
)

// checkMetrics collects mp and compares every point with want, after
// checking that the instruments are in the package's scope.
func checkMetrics(t *testing.T, mp *metrictest.Provider, want string) {
	t.Helper()
	c := mp.Collect(t)
	if got := c.Scopes(); len(got) != 1 || got[0] != meterName {
		t.Errorf("scopes %v, want [%s]", got, meterName)
	}
	metrictest.Golden(t, c.Lines(), want)
}

func TestBreakerMetricsGolden(t *testing.T) {
	mp := metrictest.NewProvider(t)
	b, err := New[int]("payments", Config{ConsecutiveFailures: 2}, WithMeterProvider(mp))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Shutdown(context.Background()) }()

	// Closed from the very first collection.
	checkMetrics(t, mp, `
		circuit_breaker.calls counter "" {circuit_breaker.name=payments,circuit_breaker.outcome=excluded} 0
		circuit_breaker.calls counter "" {circuit_breaker.name=payments,circuit_breaker.outcome=failure} 0
		circuit_breaker.calls counter "" {circuit_breaker.name=payments,circuit_breaker.outcome=rejected} 0
		circuit_breaker.calls counter "" {circuit_breaker.name=payments,circuit_breaker.outcome=slow} 0
		circuit_breaker.calls counter "" {circuit_breaker.name=payments,circuit_breaker.outcome=success} 0
		circuit_breaker.status gauge "1" {circuit_breaker.name=payments,circuit_breaker.state=closed} 1
		circuit_breaker.status gauge "1" {circuit_breaker.name=payments,circuit_breaker.state=half_open} 0
		circuit_breaker.status gauge "1" {circuit_breaker.name=payments,circuit_breaker.state=open} 0
	`)

	ctx := context.Background()
	_, _ = b.Execute(ctx, succeedCall)
	_, _ = b.Execute(ctx, func(context.Context) (int, error) { return 0, context.Canceled })
	_, _ = b.Execute(ctx, failCall)
	_, _ = b.Execute(ctx, failCall)
	_, _ = b.Execute(ctx, succeedCall)
	checkMetrics(t, mp, `
		circuit_breaker.calls counter "" {circuit_breaker.name=payments,circuit_breaker.outcome=excluded} 1
		circuit_breaker.calls counter "" {circuit_breaker.name=payments,circuit_breaker.outcome=failure} 2
		circuit_breaker.calls counter "" {circuit_breaker.name=payments,circuit_breaker.outcome=rejected} 1
		circuit_breaker.calls counter "" {circuit_breaker.name=payments,circuit_breaker.outcome=slow} 0
		circuit_breaker.calls counter "" {circuit_breaker.name=payments,circuit_breaker.outcome=success} 1
		circuit_breaker.status gauge "1" {circuit_breaker.name=payments,circuit_breaker.state=closed} 0
		circuit_breaker.status gauge "1" {circuit_breaker.name=payments,circuit_breaker.state=half_open} 0
		circuit_breaker.status gauge "1" {circuit_breaker.name=payments,circuit_breaker.state=open} 1
		circuit_breaker.transitions counter "" {circuit_breaker.from=closed,circuit_breaker.name=payments,circuit_breaker.to=open} 1
	`)
}
