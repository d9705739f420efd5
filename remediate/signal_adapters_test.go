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
			Signal{Kind: SignalHealthStatus, Source: "db", State: "fail", Severity: SeverityCritical, Time: engT0,
				Attributes: map[string]string{"previous": "pass"}}},
		{"check degrades", health.Change{Check: "disk", Previous: health.StatusPass, Current: health.StatusWarn, Time: engT0},
			Signal{Kind: SignalHealthStatus, Source: "disk", State: "warn", Severity: SeverityWarning, Time: engT0,
				Attributes: map[string]string{"previous": "pass"}}},
		{"check goes stale", health.Change{Check: "db", Previous: health.StatusPass, Current: health.StatusUnknown},
			Signal{Kind: SignalHealthStatus, Source: "db", State: "unknown", Severity: SeverityWarning,
				Attributes: map[string]string{"previous": "pass"}}},
		{"check recovers", health.Change{Check: "db", Previous: health.StatusFail, Current: health.StatusPass, Time: engT0},
			Signal{Kind: SignalHealthStatus, Source: "db", State: "pass", Severity: SeverityInfo, Time: engT0,
				Attributes: map[string]string{"previous": "fail"}}},
		{"group drains", health.Change{Group: health.Readiness, Previous: health.StatusPass, Current: health.StatusDraining, Time: engT0},
			Signal{Kind: SignalHealthStatus, Source: "ready", State: "draining", Severity: SeverityInfo, Time: engT0,
				Attributes: map[string]string{"previous": "pass", "group": "ready"}}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, SignalFromHealth(tt.c)); diff != "" {
			t.Errorf("%s: SignalFromHealth (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestSignalFromSLOAlert(t *testing.T) {
	page := slo.Tier{Severity: slo.SeverityPage, BudgetPercent: 2, Long: time.Hour, Short: 5 * time.Minute}
	ticket := slo.Tier{Severity: slo.SeverityTicket, BudgetPercent: 10, Long: 24 * time.Hour, Short: 2 * time.Hour}
	tests := []struct {
		name string
		ev   slo.AlertEvent
		want Signal
	}{
		{"page fires", slo.AlertEvent{Objective: "checkout", Tier: page, Threshold: 14.4, Firing: true, At: engT0,
			Long: slo.WindowStatus{Window: time.Hour, BurnRate: 20}, Short: slo.WindowStatus{BurnRate: 30}},
			Signal{Kind: SignalSLOAlert, Source: "checkout", State: "firing", Severity: SeverityCritical, Value: 20, Time: engT0,
				Attributes: map[string]string{"tier": "page", "window": "1h0m0s"}}},
		{"page resolves", slo.AlertEvent{Objective: "checkout", Tier: page, Threshold: 14.4, At: engT0,
			Long: slo.WindowStatus{BurnRate: 10}},
			Signal{Kind: SignalSLOAlert, Source: "checkout", State: "ok", Severity: SeverityCritical, Value: 10, Time: engT0,
				Attributes: map[string]string{"tier": "page", "window": "1h0m0s"}}},
		{"ticket fires", slo.AlertEvent{Objective: "search", Tier: ticket, Threshold: 3, Firing: true, At: engT0,
			Long: slo.WindowStatus{BurnRate: 4}},
			Signal{Kind: SignalSLOAlert, Source: "search", State: "firing", Severity: SeverityWarning, Value: 4, Time: engT0,
				Attributes: map[string]string{"tier": "ticket", "window": "24h0m0s"}}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, SignalFromSLOAlert(tt.ev)); diff != "" {
			t.Errorf("%s: SignalFromSLOAlert (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestSignalFromAnomaly(t *testing.T) {
	a := detect.Anomaly{Series: "p99_ms", Detector: "ensemble", Time: engT0, Value: 950,
		Result: detect.Result{Score: 0.97, Anomaly: true}}
	want := Signal{Kind: SignalAnomaly, Source: "p99_ms", State: "anomaly", Severity: SeverityWarning, Value: 0.97,
		Time: engT0, Attributes: map[string]string{"detector": "ensemble"}}
	if diff := cmp.Diff(want, SignalFromAnomaly(a)); diff != "" {
		t.Errorf("SignalFromAnomaly (-want +got):\n%s", diff)
	}
}
