package remediate

import (
	"context"
	"testing"
	"time"

	"github.com/nines-sre/nines/internal/metrictest"
)

// The remediation.actions schema is a contract (the root package
// documentation's telemetry schema): name, unit,
// kind, attributes and outcome values.
func TestMetricsGolden(t *testing.T) {
	mp := metrictest.NewProvider(t)
	approveAll := ApproverFunc(func(context.Context, Request) (Approval, error) { return Approval{Approved: true}, nil })
	e := mustEngine(t, Config{Approver: approveAll, Policies: []Policy{
		{Name: "restart", Action: &recordingAction{name: "restart"}, Cooldown: time.Minute, When: Match{Kinds: []SignalKind{SignalHealthStatus}}},
		{Name: "failover", Action: &recordingAction{name: "failover"}, Critical: true, When: Match{Kinds: []SignalKind{SignalSLOAlert}}},
		{Name: "shadow", Action: &recordingAction{name: "restart"}, DryRun: true, When: Match{Kinds: []SignalKind{SignalHealthStatus}}},
	}}, WithMeterProvider(mp))
	handleOne(t, e, engT0, Signal{Kind: SignalSLOAlert})
	e.HandleAt(context.Background(), engT0, Signal{Kind: SignalHealthStatus})
	e.HandleAt(context.Background(), engT0, Signal{Kind: SignalHealthStatus})

	c := mp.Collect(t)
	if got := c.Scopes(); len(got) != 1 || got[0] != meterName {
		t.Errorf("scopes %v, want [%s]", got, meterName)
	}
	metrictest.Golden(t, c.Lines(), `
		remediation.actions counter "" {remediation.action=failover,remediation.outcome=awaiting_approval,remediation.policy=failover} 1
		remediation.actions counter "" {remediation.action=failover,remediation.outcome=executed,remediation.policy=failover} 1
		remediation.actions counter "" {remediation.action=restart,remediation.outcome=dry_run,remediation.policy=shadow} 2
		remediation.actions counter "" {remediation.action=restart,remediation.outcome=executed,remediation.policy=restart} 1
		remediation.actions counter "" {remediation.action=restart,remediation.outcome=rate_limited,remediation.policy=restart} 1
	`)
}
