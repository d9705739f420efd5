package remediate

import (
	"sync"

	"github.com/nines-sre/nines/slo"
)

// SLOIncidents folds the alert tiers of SLO objectives into one signal
// stream per objective. An objective has several burn-rate tiers (by
// default two page and two ticket tiers), and one outage makes most of
// them fire and resolve one after the other; as separate signals they
// would reach every policy four times per objective. SLOIncidents
// remembers which tiers of each objective fire and turns the transitions
// into what a policy needs to know: the objective's incident started (or
// changed severity), or it is over.
//
// The zero value is ready to use. It is safe for concurrent use. Most
// callers never see it: Engine.SubscribeSLO and the availability Monitor
// use one.
type SLOIncidents struct {
	mu  sync.Mutex
	obj map[string]*sloIncident
}

// sloIncident is one objective's firing tiers and what was last said.
type sloIncident struct {
	firing map[slo.Tier]slo.AlertEvent // the firing event of each firing tier
	said   Severity                    // the severity of the last firing signal
}

// Signal folds ev into its objective's incident and returns the signal
// to submit, or false when ev changes nothing a policy sees (another tier
// of an objective already firing at that severity).
//
// The signal has Kind SignalSLOAlert, Source the objective and Incident
// "slo:" plus the objective. While any tier fires, it is PhaseFiring with
// State "firing", Severity critical if a page tier fires and warning if
// only ticket tiers do, Value the long-window burn rate of the most severe
// firing tier (the shortest-windowed among equals) and its "tier" (page or
// ticket) and "window" (the long window, as time.Duration prints it)
// attributes; a new signal comes when the severity changes, up or down.
// When the last tier resolves, it is PhaseResolved with State "resolved",
// the severity it had and ev's burn rate. Time is ev's.
func (f *SLOIncidents) Signal(ev slo.AlertEvent) (Signal, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	inc := f.obj[ev.Objective]
	if ev.Firing {
		if inc == nil {
			if f.obj == nil {
				f.obj = make(map[string]*sloIncident)
			}
			inc = &sloIncident{firing: make(map[slo.Tier]slo.AlertEvent)}
			f.obj[ev.Objective] = inc
		}
		inc.firing[ev.Tier] = ev
	} else if inc != nil {
		delete(inc.firing, ev.Tier)
	}
	if inc == nil {
		return Signal{}, false // a tier resolving that was never seen firing
	}
	s := Signal{Kind: SignalSLOAlert, Source: ev.Objective, Incident: "slo:" + ev.Objective, Time: ev.At}
	if len(inc.firing) == 0 {
		delete(f.obj, ev.Objective)
		s.Phase, s.State, s.Severity, s.Value = PhaseResolved, "resolved", inc.said, ev.Long.BurnRate
		s.Attributes = tierAttributes(ev.Tier)
		return s, true
	}
	top, first := slo.AlertEvent{}, true
	for _, e := range inc.firing {
		if first || moreSevere(e.Tier, top.Tier) {
			top, first = e, false
		}
	}
	sev := SeverityWarning
	if top.Tier.Severity == slo.SeverityPage {
		sev = SeverityCritical
	}
	if sev == inc.said {
		return Signal{}, false
	}
	inc.said = sev
	s.Phase, s.State, s.Severity, s.Value = PhaseFiring, "firing", sev, top.Long.BurnRate
	s.Attributes = tierAttributes(top.Tier)
	return s, true
}

// moreSevere orders tiers: page before ticket, then the shorter long
// window (the faster burn) first, then the shorter short window.
func moreSevere(a, b slo.Tier) bool {
	if a.Severity != b.Severity {
		return a.Severity == slo.SeverityPage
	}
	if a.Long != b.Long {
		return a.Long < b.Long
	}
	return a.Short < b.Short
}

func tierAttributes(t slo.Tier) map[string]string {
	return map[string]string{"tier": t.Severity.String(), "window": t.Long.String()}
}
