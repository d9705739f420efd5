package breaker

import (
	"context"
	"fmt"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// calls are the call outcomes, added on the request path and read by
// the circuit_breaker.calls callback at collection.
type calls struct {
	success, failure, slow, rejected, excluded atomic.Uint64
}

type breakerMetrics struct {
	reg         metric.Registration
	transitions metric.Int64Counter
	// transitionAttrs[from][to] is precomputed: a transition adds to the
	// counter without building attributes.
	transitionAttrs [3][3]metric.AddOption
}

// breakerObserved is what the metric callback needs from a Breaker[T],
// so that the metric code is not generic.
type breakerObserved interface {
	Name() string
	effectiveState() State
	callCounts() *calls
}

func (b *Breaker[T]) callCounts() *calls { return &b.calls }

func newMetrics(mp metric.MeterProvider, b breakerObserved) (*breakerMetrics, error) {
	name := b.Name()
	meter := mp.Meter(meterName)
	status, err := meter.Int64ObservableGauge("circuit_breaker.status",
		metric.WithUnit("1"),
		metric.WithDescription("1 for the breaker's current state, 0 for the others."))
	if err != nil {
		return nil, fmt.Errorf("breaker: circuit_breaker.status: %w", err)
	}
	calls, err := meter.Int64ObservableCounter("circuit_breaker.calls",
		metric.WithDescription("Calls seen by the breaker, by outcome."))
	if err != nil {
		return nil, fmt.Errorf("breaker: circuit_breaker.calls: %w", err)
	}
	m := &breakerMetrics{}
	m.transitions, err = meter.Int64Counter("circuit_breaker.transitions",
		metric.WithDescription("State transitions of the breaker."))
	if err != nil {
		return nil, fmt.Errorf("breaker: circuit_breaker.transitions: %w", err)
	}
	nameAttr := attribute.String("circuit_breaker.name", name)
	var stateOpts [3]metric.ObserveOption
	for s := range stateOpts {
		st := State(s)
		stateOpts[s] = metric.WithAttributes(nameAttr, attribute.String("circuit_breaker.state", st.String()))
		for to := range stateOpts {
			m.transitionAttrs[s][to] = metric.WithAttributes(nameAttr,
				attribute.String("circuit_breaker.from", st.String()),
				attribute.String("circuit_breaker.to", State(to).String()))
		}
	}
	outcome := func(o string) metric.ObserveOption {
		return metric.WithAttributes(nameAttr, attribute.String("circuit_breaker.outcome", o))
	}
	okOpt, failOpt, slowOpt, rejOpt, excOpt := outcome("success"), outcome("failure"), outcome("slow"), outcome("rejected"), outcome("excluded")
	c := b.callCounts()
	m.reg, err = meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		cur := b.effectiveState()
		for s := range stateOpts {
			v := int64(0)
			if State(s) == cur {
				v = 1
			}
			o.ObserveInt64(status, v, stateOpts[s])
		}
		o.ObserveInt64(calls, int64(c.success.Load()), okOpt)
		o.ObserveInt64(calls, int64(c.failure.Load()), failOpt)
		o.ObserveInt64(calls, int64(c.slow.Load()), slowOpt)
		o.ObserveInt64(calls, int64(c.rejected.Load()), rejOpt)
		o.ObserveInt64(calls, int64(c.excluded.Load()), excOpt)
		return nil
	}, status, calls)
	if err != nil {
		return nil, fmt.Errorf("breaker: register breaker callback: %w", err)
	}
	return m, nil
}

// transition is called once per delivered state change, outside locks.
func (m *breakerMetrics) transition(ev StateChange) {
	if ev.From > Open || ev.To > Open {
		return
	}
	m.transitions.Add(context.Background(), 1, m.transitionAttrs[ev.From][ev.To])
}
