package remediate

import (
	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/health"
)

// SignalFromHealth maps a health status transition to a Signal of Kind
// SignalHealthStatus: Source is the check, or the group's name ("ready",
// "live", "startup") for a group transition, which also sets the "group"
// attribute; State is the new status ("pass", "warn", "fail", "unknown",
// "draining") and the "previous" attribute the old one; Time is when the
// registry noticed the transition.
//
// The check (or group) is the incident ("health_status:db"): fail is
// PhaseFiring with Severity critical, warn and unknown (no fresh result)
// PhaseFiring with Severity warning, pass is PhaseResolved. A drain is
// the service's own decision, not a fault, so "draining" is a PhaseEvent
// of severity info with an incident of its own
// ("health_status:ready/draining"): it neither resolves the group's
// failure nor keeps it open.
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
		s.Phase, s.Severity = PhaseFiring, SeverityCritical
	case health.StatusWarn, health.StatusUnknown:
		s.Phase, s.Severity = PhaseFiring, SeverityWarning
	case health.StatusPass:
		s.Phase = PhaseResolved
	case health.StatusDraining:
		s.Phase, s.Incident = PhaseEvent, s.incident()+"/draining"
	}
	return s
}

// SignalFromAnomaly maps an anomaly to a Signal of Kind SignalAnomaly:
// Source is the series, State "anomaly", Phase PhaseEvent (an anomaly
// never says when it is over: its incident ends after Config.Quiet
// without another), Severity info (a statistical surprise, not a broken
// promise: by default no policy acts on it, see Match.Kinds), Value the
// score in [0, 1], the "detector" attribute the flagging detector, and
// Time the observed point's time.
func SignalFromAnomaly(a detect.Anomaly) Signal {
	return Signal{
		Kind:       SignalAnomaly,
		Source:     a.Series,
		State:      "anomaly",
		Phase:      PhaseEvent,
		Severity:   SeverityInfo,
		Value:      a.Result.Score,
		Time:       a.Time,
		Attributes: map[string]string{"detector": a.Detector},
	}
}
