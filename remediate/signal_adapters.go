package remediate

import (
	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/slo"
)

// SignalFromHealth maps a health status transition to a Signal of Kind
// SignalHealthStatus: Source is the check, or the group's name ("ready",
// "live", "startup") for a group transition, which also sets the "group"
// attribute; State is the new status ("pass", "warn", "fail", "unknown",
// "draining") and the "previous" attribute the old one; Severity is
// critical for fail, warning for warn and unknown (no fresh result),
// info otherwise; Time is when the registry noticed the transition.
func SignalFromHealth(c health.Change) Signal {
	s := Signal{
		Kind:       SignalHealthStatus,
		Source:     c.Check,
		State:      c.Current.String(),
		Time:       c.Time,
		Attributes: map[string]string{"previous": c.Previous.String()},
	}
	if c.Check == "" {
		s.Source = c.Group.String()
		s.Attributes["group"] = s.Source
	}
	switch c.Current {
	case health.StatusFail:
		s.Severity = SeverityCritical
	case health.StatusWarn, health.StatusUnknown:
		s.Severity = SeverityWarning
	}
	return s
}

// SignalFromSLOAlert maps an alert tier's transition to a Signal of Kind
// SignalSLOAlert: Source is the objective; State is "firing" or "ok";
// Severity is critical for a page tier and warning for a ticket tier,
// whether the tier fires or resolves (policies tell them apart by State);
// Value is the burn rate of the tier's long window; the "tier" (page or
// ticket) and "window" (the long window, as time.Duration prints it)
// attributes tell the tiers of one objective apart; Time is the
// transition's.
func SignalFromSLOAlert(ev slo.AlertEvent) Signal {
	s := Signal{
		Kind:     SignalSLOAlert,
		Source:   ev.Objective,
		State:    "ok",
		Severity: SeverityWarning,
		Value:    ev.Long.BurnRate,
		Time:     ev.At,
		Attributes: map[string]string{
			"tier":   ev.Tier.Severity.String(),
			"window": ev.Tier.Long.String(),
		},
	}
	if ev.Firing {
		s.State = "firing"
	}
	if ev.Tier.Severity == slo.SeverityPage {
		s.Severity = SeverityCritical
	}
	return s
}

// SignalFromAnomaly maps an anomaly to a Signal of Kind SignalAnomaly:
// Source is the series, State "anomaly", Severity warning, Value the
// score in [0, 1], the "detector" attribute the flagging detector, and
// Time the observed point's time.
func SignalFromAnomaly(a detect.Anomaly) Signal {
	return Signal{
		Kind:       SignalAnomaly,
		Source:     a.Series,
		State:      "anomaly",
		Severity:   SeverityWarning,
		Value:      a.Result.Score,
		Time:       a.Time,
		Attributes: map[string]string{"detector": a.Detector},
	}
}
