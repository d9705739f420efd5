package remediate

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/slo"
)

func TestSignalFromHealth(t *testing.T) {
	tests := []struct {
		name string
		c    health.Change
		want Signal
	}{
		{"check fails", health.Change{Check: "db", Previous: health.StatusPass, Current: health.StatusFail, Time: engT0},
			Signal{Kind: SignalHealthStatus, Source: "db", State: "fail", Phase: PhaseFiring, Severity: SeverityCritical, Time: engT0,
				Attributes: map[string]string{"previous": "pass"}}},
		{"check degrades", health.Change{Check: "disk", Previous: health.StatusPass, Current: health.StatusWarn, Time: engT0},
			Signal{Kind: SignalHealthStatus, Source: "disk", State: "warn", Phase: PhaseFiring, Severity: SeverityWarning, Time: engT0,
				Attributes: map[string]string{"previous": "pass"}}},
		{"check goes stale", health.Change{Check: "db", Previous: health.StatusPass, Current: health.StatusUnknown},
			Signal{Kind: SignalHealthStatus, Source: "db", State: "unknown", Phase: PhaseFiring, Severity: SeverityWarning,
				Attributes: map[string]string{"previous": "pass"}}},
		{"check recovers", health.Change{Check: "db", Previous: health.StatusFail, Current: health.StatusPass, Time: engT0},
			Signal{Kind: SignalHealthStatus, Source: "db", State: "pass", Phase: PhaseResolved, Severity: SeverityInfo, Time: engT0,
				Attributes: map[string]string{"previous": "fail"}}},
		{"group drains", health.Change{Group: health.Readiness, Previous: health.StatusPass, Current: health.StatusDraining, Time: engT0},
			Signal{Kind: SignalHealthStatus, Source: "ready", State: "draining", Phase: PhaseEvent, Incident: "health_status:ready/draining", Severity: SeverityInfo, Time: engT0,
				Attributes: map[string]string{"previous": "pass", "group": "ready"}}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, SignalFromHealth(tt.c)); diff != "" {
			t.Errorf("%s: SignalFromHealth (-want +got):\n%s", tt.name, diff)
		}
	}
}

// One outage of one objective: four tiers fire and resolve one after the
// other, and the policies see fire, de-escalate and resolve.
func TestSLOIncidentsFoldTiers(t *testing.T) {
	page1h := slo.Tier{Severity: slo.SeverityPage, BudgetPercent: 2, Long: time.Hour, Short: 5 * time.Minute}
	page6h := slo.Tier{Severity: slo.SeverityPage, BudgetPercent: 5, Long: 6 * time.Hour, Short: 30 * time.Minute}
	ticket1d := slo.Tier{Severity: slo.SeverityTicket, BudgetPercent: 10, Long: 24 * time.Hour, Short: 2 * time.Hour}
	ticket3d := slo.Tier{Severity: slo.SeverityTicket, BudgetPercent: 10, Long: 72 * time.Hour, Short: 6 * time.Hour}
	ev := func(obj string, tier slo.Tier, firing bool, burn float64) slo.AlertEvent {
		return slo.AlertEvent{Objective: obj, Tier: tier, Firing: firing, At: engT0, Long: slo.WindowStatus{Window: tier.Long, BurnRate: burn}}
	}
	steps := []struct {
		ev   slo.AlertEvent
		want *Signal // nil: folded away
	}{
		{ev("search", ticket1d, false, 1), nil}, // never fired: nothing to resolve
		{ev("checkout", ticket3d, true, 50), &Signal{Kind: SignalSLOAlert, Source: "checkout", Incident: "slo:checkout",
			State: "firing", Phase: PhaseFiring, Severity: SeverityWarning, Value: 50, Time: engT0,
			Attributes: map[string]string{"tier": "ticket", "window": "72h0m0s"}}},
		{ev("checkout", ticket1d, true, 60), nil},
		{ev("checkout", page6h, true, 70), &Signal{Kind: SignalSLOAlert, Source: "checkout", Incident: "slo:checkout",
			State: "firing", Phase: PhaseFiring, Severity: SeverityCritical, Value: 70, Time: engT0,
			Attributes: map[string]string{"tier": "page", "window": "6h0m0s"}}},
		{ev("search", ticket1d, true, 4), &Signal{Kind: SignalSLOAlert, Source: "search", Incident: "slo:search",
			State: "firing", Phase: PhaseFiring, Severity: SeverityWarning, Value: 4, Time: engT0,
			Attributes: map[string]string{"tier": "ticket", "window": "24h0m0s"}}},
		{ev("checkout", page1h, true, 80), nil},
		{ev("checkout", page1h, false, 9), nil}, // page 6h still fires
		{ev("checkout", page6h, false, 5), &Signal{Kind: SignalSLOAlert, Source: "checkout", Incident: "slo:checkout",
			State: "firing", Phase: PhaseFiring, Severity: SeverityWarning, Value: 60, Time: engT0,
			Attributes: map[string]string{"tier": "ticket", "window": "24h0m0s"}}},
		{ev("checkout", ticket1d, false, 2), nil},
		{ev("checkout", ticket3d, false, 0.5), &Signal{Kind: SignalSLOAlert, Source: "checkout", Incident: "slo:checkout",
			State: "resolved", Phase: PhaseResolved, Severity: SeverityWarning, Value: 0.5, Time: engT0,
			Attributes: map[string]string{"tier": "ticket", "window": "72h0m0s"}}},
		{ev("checkout", ticket3d, false, 0.5), nil}, // a repeat of a resolve says nothing
	}
	var f SLOIncidents
	for i, st := range steps {
		got, ok := f.Signal(st.ev)
		switch {
		case st.want == nil && ok:
			t.Errorf("step %d: got %+v, want nothing", i, got)
		case st.want != nil && !ok:
			t.Errorf("step %d: got nothing, want %+v", i, *st.want)
		case st.want != nil:
			if diff := cmp.Diff(*st.want, got); diff != "" {
				t.Errorf("step %d (-want +got):\n%s", i, diff)
			}
		}
	}
}

func TestSignalFromAnomaly(t *testing.T) {
	a := detect.Anomaly{Series: "p99_ms", Detector: "ensemble", Time: engT0, Value: 950,
		Result: detect.Result{Score: 0.97, Anomaly: true}}
	want := Signal{Kind: SignalAnomaly, Source: "p99_ms", State: "anomaly", Phase: PhaseEvent, Severity: SeverityInfo, Value: 0.97,
		Time: engT0, Attributes: map[string]string{"detector": "ensemble"}}
	if diff := cmp.Diff(want, SignalFromAnomaly(a)); diff != "" {
		t.Errorf("SignalFromAnomaly (-want +got):\n%s", diff)
	}
}
