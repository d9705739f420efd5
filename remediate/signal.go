package remediate

import (
	"time"
)

// SignalKind says which kind of producer a Signal comes from. The zero value
// is SignalCustom: a signal the user raised.
type SignalKind uint8

const (
	// SignalCustom is a signal raised by the user's own code.
	SignalCustom SignalKind = iota
	// SignalHealthStatus is a health check or group changing status.
	SignalHealthStatus
	// SignalSLOAlert is an SLO burn-rate alert changing state.
	SignalSLOAlert
	// SignalAnomaly is an anomaly detected on a metric series.
	SignalAnomaly
)

// String returns "custom", "health_status", "slo_alert" or "anomaly".
func (k SignalKind) String() string {
	switch k {
	case SignalHealthStatus:
		return "health_status"
	case SignalSLOAlert:
		return "slo_alert"
	case SignalAnomaly:
		return "anomaly"
	default:
		return "custom"
	}
}

// Severity is how serious the producer thinks a Signal is. The zero value is
// SeverityInfo.
type Severity uint8

const (
	// SeverityInfo is a signal worth recording, not worrying about: an
	// anomaly (a statistical surprise, not a broken promise), a drain.
	SeverityInfo Severity = iota
	// SeverityWarning is degradation: a warn status, a ticket alert.
	SeverityWarning
	// SeverityCritical is an outage: a failing check, a page alert.
	SeverityCritical
)

// String returns "info", "warning" or "critical".
func (s Severity) String() string {
	switch s {
	case SeverityWarning:
		return "warning"
	case SeverityCritical:
		return "critical"
	default:
		return "info"
	}
}

// Phase is where a Signal stands in the lifecycle of its incident (see
// Signal.Incident). The zero value is PhaseEvent.
type Phase uint8

const (
	// PhaseEvent is a point observation with no end of its own: an
	// anomaly, or a custom signal that does not say when it is over. Its
	// incident counts as over once no signal of it has come for
	// Config.Quiet.
	PhaseEvent Phase = iota
	// PhaseFiring says the incident's condition holds: it started, its
	// severity changed, or it still holds. The engine passes a firing
	// signal to the policies only when its Severity or State differ from
	// the incident's previous signal: a producer may repeat itself (an
	// Alertmanager resending a firing alert) without deciding anything
	// twice.
	PhaseFiring
	// PhaseResolved says the incident is over. It reaches no policy: the
	// engine reverts the actions the incident caused.
	PhaseResolved
)

// String returns "event", "firing" or "resolved".
func (p Phase) String() string {
	switch p {
	case PhaseFiring:
		return "firing"
	case PhaseResolved:
		return "resolved"
	default:
		return "event"
	}
}

// Bounds the audit applies to a Signal. A signal is never rejected for
// exceeding them: the audit record keeps a truncated copy.
const (
	// MaxSignalAttributes is how many attributes (the first, in key order)
	// an audit record keeps.
	MaxSignalAttributes = 16
	// MaxSignalString is how many bytes of each string field (Source,
	// Target, State, attribute keys and values) an audit record keeps.
	MaxSignalString = 256
)

// Signal is one observation a policy may act on: the seam between producers
// (health, slo, detect, or the user's own code) and the engine. It is a plain
// value; the zero Signal is a valid custom signal with no fields set.
//
// SignalFromHealth, SLOIncidents.Signal and SignalFromAnomaly map the
// nines producers onto it, and Engine.SubscribeHealth, SubscribeSLO and
// SubscribeAnomalies wire them to an engine in one call. A user's own
// producer fills in the fields it has and calls Engine.Submit (or Handle).
//
// Target names what the signal is about when that differs from Source (an
// instance, a dependency, a breaker name); policies choose their target from
// it (see Policy.Target).
//
// Phase and Incident give signals a lifecycle: the signals of one incident
// (one objective's burn-rate alert, one check failing, one Alertmanager
// alert) share an Incident key and form one stream: firing (possibly
// several times, as the severity changes) then resolved. A producer that
// knows when its condition ends says so with PhaseResolved; the engine
// then reverts what the incident caused (see Engine).
type Signal struct {
	// Kind is the producer kind; zero means SignalCustom.
	Kind SignalKind
	// Source names the producer's subject: a check, an objective, a
	// series. Empty means none.
	Source string
	// Target is what the signal is about, if not Source. Empty means
	// Source.
	Target string
	// State is the new state as the producer names it ("fail", "firing",
	// "resolved", "anomaly"). Empty means none.
	State string
	// Phase is the signal's place in its incident: PhaseEvent (the zero
	// value), PhaseFiring or PhaseResolved.
	Phase Phase
	// Incident is a stable key shared by every signal of one incident,
	// from its first firing signal to its resolved one ("slo:checkout",
	// an Alertmanager fingerprint). Empty means Kind, Source and Target
	// together ("health_status:db"), which suits any producer with one
	// incident per subject at a time.
	Incident string
	// Severity is the producer's view of how serious the signal is.
	Severity Severity
	// Value is a measurement: a burn rate, an anomaly score. Non-finite
	// values are recorded in the audit as 0.
	Value float64
	// Time is when the producer observed it. The zero value means unknown;
	// the decision time is recorded separately.
	Time time.Time
	// Attributes are extra labels for policies' predicates and the audit;
	// nil means none. The audit keeps at most MaxSignalAttributes of them.
	Attributes map[string]string
}

// incident is the signal's incident key as the audit shows it: Incident,
// or Kind:Source (and /Target when set) when it is empty.
func (s Signal) incident() string { return s.key().String() }

// incidentKey identifies an incident without building a string, so that
// a signal no policy acts on costs no allocation.
type incidentKey struct {
	incident       string
	kind           SignalKind
	source, target string
}

func (s Signal) key() incidentKey {
	if s.Incident != "" {
		return incidentKey{incident: s.Incident}
	}
	return incidentKey{kind: s.Kind, source: s.Source, target: s.Target}
}

func (k incidentKey) String() string {
	if k.incident != "" {
		return k.incident
	}
	s := k.kind.String() + ":" + k.source
	if k.target != "" {
		s += "/" + k.target
	}
	return s
}

// target is the signal's subject: Target, or Source when Target is empty.
func (s Signal) target() string {
	if s.Target != "" {
		return s.Target
	}
	return s.Source
}
