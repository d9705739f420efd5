package remediate

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// engineMetrics holds the remediation.actions counter. Decisions are rare
// (a few per minute at worst, held back by the guard rails), so a
// synchronous counter call per audit record is cheap enough and keeps the
// count exact.
type engineMetrics struct {
	actions metric.Int64Counter
}

func newEngineMetrics(mp metric.MeterProvider) (engineMetrics, error) {
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	c, err := mp.Meter(meterName).Int64Counter("remediation.actions",
		metric.WithDescription("Remediation decisions by policy, action and outcome; a critical action counts once as awaiting_approval and once with its final outcome; a revert counts as reverted (or dry_run, failed)."))
	return engineMetrics{actions: c}, err
}

// outcomeAttrs precomputes, per outcome, the attribute set of one policy.
func outcomeAttrs(policy, action string) [len(outcomeNames)]metric.AddOption {
	var out [len(outcomeNames)]metric.AddOption
	for i, name := range outcomeNames {
		out[i] = metric.WithAttributeSet(attribute.NewSet(
			attribute.String("remediation.policy", policy),
			attribute.String("remediation.action", action),
			attribute.String("remediation.outcome", name),
		))
	}
	return out
}
