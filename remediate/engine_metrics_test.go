package remediate

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
)

// The remediation.actions schema is a contract (DESIGN.md): name, unit,
// kind, attributes and outcome values.
func TestMetricsGolden(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer mp.Shutdown(context.Background())
	approveAll := ApproverFunc(func(context.Context, Request) (Approval, error) { return Approval{Approved: true}, nil })
	e := mustEngine(t, Config{Approver: approveAll, Policies: []Policy{
		{Name: "restart", Action: &recordingAction{name: "restart"}, Cooldown: time.Minute, When: Match{Kinds: []SignalKind{SignalHealthStatus}}},
		{Name: "failover", Action: &recordingAction{name: "failover"}, Critical: true, When: Match{Kinds: []SignalKind{SignalSLOAlert}}},
		{Name: "shadow", Action: &recordingAction{name: "restart"}, DryRun: true, When: Match{Kinds: []SignalKind{SignalHealthStatus}}},
	}}, WithMeterProvider(mp))
	handleOne(t, e, engT0, Signal{Kind: SignalSLOAlert})
	e.HandleAt(context.Background(), engT0, Signal{Kind: SignalHealthStatus})
	e.HandleAt(context.Background(), engT0, Signal{Kind: SignalHealthStatus})

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	if len(rm.ScopeMetrics) != 1 || rm.ScopeMetrics[0].Scope.Name != "github.com/nines-sre/nines/remediate" {
		t.Fatalf("scopes %+v", rm.ScopeMetrics)
	}
	point := func(policy, action, outcome string, v int64) metricdata.DataPoint[int64] {
		return metricdata.DataPoint[int64]{Attributes: attribute.NewSet(
			attribute.String("remediation.policy", policy),
			attribute.String("remediation.action", action),
			attribute.String("remediation.outcome", outcome),
		), Value: v}
	}
	want := metricdata.Metrics{
		Name:        "remediation.actions",
		Description: "Remediation decisions by policy, action and outcome; a critical action counts once as awaiting_approval and once with its final outcome.",
		Unit:        "",
		Data: metricdata.Sum[int64]{
			Temporality: metricdata.CumulativeTemporality,
			IsMonotonic: true,
			DataPoints: []metricdata.DataPoint[int64]{
				point("failover", "failover", "awaiting_approval", 1),
				point("failover", "failover", "executed", 1),
				point("restart", "restart", "executed", 1),
				point("restart", "restart", "rate_limited", 1),
				point("shadow", "restart", "dry_run", 2),
			},
		},
	}
	metricdatatest.AssertEqual(t, want, rm.ScopeMetrics[0].Metrics[0], metricdatatest.IgnoreTimestamp())
}
