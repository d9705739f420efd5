package slo

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

const meterName = "github.com/nines-sre/nines/slo"

// Attribute keys and values of the telemetry schema.
const (
	attrName     = attribute.Key("slo.name")
	attrOutcome  = attribute.Key("slo.outcome")
	attrWindow   = attribute.Key("slo.window")
	attrSeverity = attribute.Key("slo.alert.severity")
	attrState    = attribute.Key("slo.alert.state")
)

// registerMetrics creates the slo.* observable instruments and one
// callback that reads each objective's cumulative counts and its status
// from the last tick (computing one if the set has not ticked yet).
func registerMetrics(m metric.Meter, set *Set) (metric.Registration, error) {
	events, err := m.Int64ObservableCounter("slo.events",
		metric.WithDescription("Events recorded by the objective, by outcome."))
	if err != nil {
		return nil, err
	}
	objective, err := m.Float64ObservableGauge("slo.objective", metric.WithUnit("1"),
		metric.WithDescription("The objective's target ratio."))
	if err != nil {
		return nil, err
	}
	remaining, err := m.Float64ObservableGauge("slo.error_budget.remaining", metric.WithUnit("1"),
		metric.WithDescription("Share of the period's error budget left; negative when overspent."))
	if err != nil {
		return nil, err
	}
	burn, err := m.Float64ObservableGauge("slo.burn_rate", metric.WithUnit("1"),
		metric.WithDescription("Error ratio over the window divided by the error budget ratio."))
	if err != nil {
		return nil, err
	}
	alert, err := m.Int64ObservableGauge("slo.alert.status", metric.WithUnit("1"),
		metric.WithDescription("1 for the alert severity's current state, 0 for the other."))
	if err != nil {
		return nil, err
	}
	return m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		for _, s := range set.objectives() {
			name := attrName.String(s.Name())
			good, bad := s.ProcessEvents()
			o.ObserveInt64(events, int64(good), metric.WithAttributes(name, attrOutcome.String("good")))
			o.ObserveInt64(events, int64(bad), metric.WithAttributes(name, attrOutcome.String("bad")))
			o.ObserveFloat64(objective, s.obj.Target, metric.WithAttributes(name))
			st := s.lastStatus(set.now)
			o.ObserveFloat64(remaining, st.BudgetRemaining, metric.WithAttributes(name))
			for _, w := range st.Windows {
				o.ObserveFloat64(burn, w.BurnRate, metric.WithAttributes(name, attrWindow.String(WindowLabel(w.Window))))
			}
			for _, sev := range []Severity{SeverityPage, SeverityTicket} {
				present, firing := false, false
				for _, ts := range st.Tiers {
					if ts.Tier.Severity == sev {
						present = true
						firing = firing || ts.Firing
					}
				}
				if !present {
					continue
				}
				on, off := int64(0), int64(1)
				if firing {
					on, off = 1, 0
				}
				sevAttr := attrSeverity.String(sev.String())
				o.ObserveInt64(alert, on, metric.WithAttributes(name, sevAttr, attrState.String("firing")))
				o.ObserveInt64(alert, off, metric.WithAttributes(name, sevAttr, attrState.String("ok")))
			}
		}
		return nil
	}, events, objective, remaining, burn, alert)
}
