package remediate

// The labels the generated Prometheus rules put on an SLO alert
// (exporters.PrometheusRules), which SignalFromAlertmanager reads.
const (
	labelAlertName = "alertname"
	labelSLOName   = "slo_name"
	labelSeverity  = "severity"
	labelWindow    = "slo_window"
)

// SignalFromAlertmanager maps one alert of an Alertmanager webhook message
// to a Signal, so that a fleet alert reaches the same policies as the
// in-process one it mirrors:
//
//   - an alert with a slo_name label (the rules exporters generates) is of
//     Kind SignalSLOAlert with Source the objective, as SignalFromSLOAlert
//     makes it, and the "tier" and "window" attributes from its severity
//     and slo_window labels; any other alert is SignalCustom with Source
//     its alertname;
//   - the alert is one incident: Incident is "alertmanager:" plus its
//     fingerprint, so Alertmanager's re-sends and the alert's copies in
//     other groups are one stream; Phase is PhaseFiring with State
//     "firing", or PhaseResolved with State "resolved", which reaches no
//     policy and makes the engine revert what the alert caused. The fleet
//     alert is an incident of its own, apart from the replica's local
//     "slo:" incident of the same objective: each resolves what it
//     started;
//   - Severity is critical for a severity label of page or critical,
//     warning for ticket or warning, info otherwise;
//   - Time is StartsAt for a firing alert and EndsAt for a resolved one;
//   - the "origin" attribute is "alertmanager" (a policy that must act only
//     on fleet alerts, or only on local ones, tests it), "fingerprint" and
//     "group_key" identify the alert, and every label is kept as
//     "label.<name>" (the audit keeps the first MaxSignalAttributes in key
//     order).
func SignalFromAlertmanager(m AlertmanagerMessage, a AlertmanagerAlert) Signal {
	s := Signal{
		Kind:     SignalCustom,
		Source:   a.Labels[labelAlertName],
		State:    alertResolved,
		Phase:    PhaseResolved,
		Incident: "alertmanager:" + a.Fingerprint,
		Severity: alertSeverity(a.Labels[labelSeverity]),
		Time:     a.EndsAt,
		Attributes: map[string]string{
			"origin":      "alertmanager",
			"fingerprint": a.Fingerprint,
			"group_key":   m.GroupKey,
		},
	}
	if a.Firing() {
		s.State, s.Phase, s.Time = alertFiring, PhaseFiring, a.StartsAt
	}
	if name, ok := a.Labels[labelSLOName]; ok && name != "" {
		s.Kind, s.Source = SignalSLOAlert, name
		s.Attributes["tier"] = a.Labels[labelSeverity]
		s.Attributes["window"] = a.Labels[labelWindow]
	}
	for k, v := range a.Labels {
		s.Attributes["label."+k] = v
	}
	return s
}

// alertSeverity reads a severity label: the generated rules say page and
// ticket, most hand-written rules critical and warning.
func alertSeverity(label string) Severity {
	switch label {
	case "page", "critical":
		return SeverityCritical
	case "ticket", "warning":
		return SeverityWarning
	}
	return SeverityInfo
}
