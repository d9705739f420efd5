package availability

import (
	"math"
	"sort"
	"time"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/slo"
)

// Bounds of the status document's lists.
const (
	maxRecentAnomalies   = 32
	maxRecentRemediation = 32
)

// Statusz is the /statusz document: a point-in-time report of everything the
// Monitor knows. It is a plain value, safe to keep, share and encode with
// encoding/json (the field tags are the JSON names).
type Statusz struct {
	Time   time.Time    `json:"time"`
	Health HealthStatus `json:"health"`
	// SLOs holds every endpoint objective, by name.
	SLOs []SLOStatus `json:"slos"`
	// Endpoints holds every endpoint's counts and last-interval aggregates,
	// servers first, each by name.
	Endpoints []EndpointStatus `json:"endpoints"`
	// Anomalies are the most recent anomalies, oldest first (at most 32).
	Anomalies []AnomalyStatus `json:"anomalies"`
	// Breakers are the outbound breakers, by name.
	Breakers []BreakerStatus `json:"breakers"`
	// Remediation are the engine's most recent audit records, oldest
	// first (at most 32); empty without an engine.
	Remediation []RemediationStatus `json:"remediation"`
	// ActiveActions are the engine's actions in effect, which it will
	// revert when their cause resolves; empty without an engine.
	ActiveActions []ActiveActionStatus `json:"active_actions"`
	// Shed counts the server requests refused by admission; each is also
	// counted in its endpoint's Shed.
	Shed uint64 `json:"shed"`
	// DroppedEvents and DroppedSignals count timeline events and engine
	// signals dropped behind a slow listener or engine.
	DroppedEvents  uint64 `json:"dropped_events"`
	DroppedSignals uint64 `json:"dropped_signals"`
	// ListenerPanics counts OnEvent listener calls that panicked (each
	// recovered; the other listeners still got the event).
	ListenerPanics uint64 `json:"listener_panics"`
	// State reports the StateDir's restores and saves; nil without
	// WithStateDir.
	State *StateStatus `json:"state,omitempty"`
}

// HealthStatus is the health part of Statusz. Like Statusz it is a plain
// value.
type HealthStatus struct {
	// Groups maps "live", "ready" and "startup" to their status.
	Groups map[string]string `json:"groups"`
	// Checks maps each check's name to its status.
	Checks   map[string]string `json:"checks"`
	Draining bool              `json:"draining"`
}

// SLOStatus is one objective in Statusz. Like Statusz it is a plain
// value.
type SLOStatus struct {
	Name            string  `json:"name"`
	Target          float64 `json:"target"`
	Good            uint64  `json:"good"`
	Bad             uint64  `json:"bad"`
	BudgetRemaining float64 `json:"budget_remaining"`
	// BurnRates maps each alert window ("5m" ... "3d") to its burn rate.
	BurnRates map[string]float64 `json:"burn_rates"`
	// ActiveAlerts are the tiers firing now.
	ActiveAlerts []AlertStatus `json:"active_alerts"`
	// Tiers are every alert tier with its state, so a silent tier says why:
	// "ok", "firing" or "too few events" (the low-traffic guard).
	Tiers []AlertStatus `json:"tiers"`
}

// AlertStatus is a firing alert tier. Like Statusz it is a plain
// value.
type AlertStatus struct {
	Severity      string  `json:"severity"`
	Long          string  `json:"long"`
	Short         string  `json:"short"`
	Threshold     float64 `json:"threshold"`
	LongBurnRate  float64 `json:"long_burn_rate"`
	ShortBurnRate float64 `json:"short_burn_rate"`
	// State is slo.TierStatus.Reason: "firing", "ok" or "too few events".
	State string `json:"state"`
	// LongEvents and ShortEvents are the windows' event counts; the tier
	// fires only when both reach MinEvents.
	LongEvents  uint64 `json:"long_events"`
	ShortEvents uint64 `json:"short_events"`
	MinEvents   uint64 `json:"min_events"`
}

// EndpointStatus is one endpoint in Statusz. Rate, ErrorRatio and
// P99Seconds are those of the last detector step (WithDetectorStep), fed to
// the detectors or not; Rate counts offered requests (served and shed or
// rejected), the other two served ones, and they are 0 when the step had
// none. It is a plain value.
type EndpointStatus struct {
	Kind string `json:"kind"`
	// Name is the endpoint's ID (Endpoint.ID), its spelling in SLO,
	// series and breaker names.
	Name string `json:"name"`
	// Pattern is what the endpoint was named after: the ServeMux pattern,
	// gRPC method, dependency name or host.
	Pattern  string `json:"pattern"`
	Requests uint64 `json:"requests"`
	Errors   uint64 `json:"errors"`
	// Shed counts a server endpoint's requests refused by admission (the
	// shedder), under the route they would have taken; the server
	// endpoints' Shed add up to Statusz.Shed. It is 0 for a client.
	Shed uint64 `json:"shed"`
	// Rejected counts a client endpoint's calls its circuit breaker
	// refused (open, or half-open with every probe slot taken): the
	// dependency's trouble, not shedding. It is 0 for a server.
	Rejected   uint64  `json:"rejected"`
	Rate       float64 `json:"rate"`
	ErrorRatio float64 `json:"error_ratio"`
	P99Seconds float64 `json:"p99_seconds"`
}

// AnomalyStatus is one recent anomaly in Statusz. Like Statusz it is a plain
// value.
type AnomalyStatus struct {
	Time     time.Time `json:"time"`
	Series   string    `json:"series"`
	Detector string    `json:"detector"`
	Value    float64   `json:"value"`
	Score    float64   `json:"score"`
}

// BreakerStatus is one outbound breaker in Statusz. Like Statusz it is a plain
// value.
type BreakerStatus struct {
	Name  string `json:"name"`
	State string `json:"state"`
	Mode  string `json:"mode"`
}

// RemediationStatus is one recent audit record of the engine. Like Statusz it is a plain
// value.
type RemediationStatus struct {
	Time    time.Time `json:"time"`
	Policy  string    `json:"policy"`
	Action  string    `json:"action"`
	Target  string    `json:"target"`
	Outcome string    `json:"outcome"`
	Reason  string    `json:"reason,omitempty"`
	Signal  string    `json:"signal"`
}

// ActiveActionStatus is one action of the engine in effect (see
// remediate.ActiveAction). Like Statusz it is a plain value.
type ActiveActionStatus struct {
	Policy string    `json:"policy"`
	Action string    `json:"action"`
	Target string    `json:"target"`
	Since  time.Time `json:"since"`
	// AgeSeconds is how long it has been in effect, at Statusz.Time.
	AgeSeconds float64 `json:"age_seconds"`
	// DryRun is true for an action only a dry run took.
	DryRun bool `json:"dry_run,omitempty"`
	// Incidents keep it in effect; empty while a revert waits for the
	// policy's cooldown, until RevertAt.
	Incidents []string   `json:"incidents"`
	RevertAt  *time.Time `json:"revert_at,omitempty"`
}

// Statusz returns the status document at the Monitor's clock. It reads
// cached state and computes each objective's status (tens of microseconds
// per objective); it runs no check and no detector.
func (m *Monitor) Statusz() Statusz {
	now := m.cfg.clock()
	st := Statusz{Time: now, Health: m.healthStatus(), Shed: m.shedTotal.Load(),
		DroppedEvents: m.timeline.droppedCount(), DroppedSignals: m.signals.droppedCount(),
		ListenerPanics: m.timeline.listeners.Panics(),
		SLOs:           []SLOStatus{}, Endpoints: []EndpointStatus{}, Breakers: []BreakerStatus{},
		Anomalies: m.anomalies.values(), Remediation: m.remediationStatus(), ActiveActions: m.activeActions(now)}
	for k := range m.endpoints {
		for _, e := range m.endpoints[k].all() {
			st.Endpoints = append(st.Endpoints, e.status())
			for _, s := range []*slo.SLO{e.avail, e.lat} {
				if s != nil {
					st.SLOs = append(st.SLOs, sloStatus(s.StatusAt(now)))
				}
			}
			if e.breaker != nil {
				st.Breakers = append(st.Breakers, BreakerStatus{Name: e.breaker.Name(),
					State: e.breaker.State().String(), Mode: e.breaker.Mode().String()})
			}
		}
	}
	sort.Slice(st.SLOs, func(i, j int) bool { return st.SLOs[i].Name < st.SLOs[j].Name })
	if m.state != nil {
		st.State = m.state.statusz()
	}
	return st
}

func (m *Monitor) healthStatus() HealthStatus {
	h := HealthStatus{Groups: map[string]string{}, Checks: map[string]string{}, Draining: m.health.Draining()}
	for _, g := range []health.Group{health.Liveness, health.Readiness, health.Startup} {
		h.Groups[g.String()] = m.health.Status(g).String()
	}
	for _, name := range m.health.Checks() {
		if s, ok := m.health.CheckStatus(name); ok {
			h.Checks[name] = s.String()
		}
	}
	return h
}

func sloStatus(s slo.Status) SLOStatus {
	out := SLOStatus{Name: s.Name, Target: s.Target, Good: s.Good, Bad: s.Bad,
		BudgetRemaining: s.BudgetRemaining, BurnRates: map[string]float64{}, ActiveAlerts: []AlertStatus{}}
	for _, w := range s.Windows {
		out.BurnRates[slo.WindowLabel(w.Window)] = w.BurnRate
	}
	out.Tiers = []AlertStatus{}
	for _, t := range s.Tiers {
		a := AlertStatus{Severity: t.Tier.Severity.String(),
			Long: slo.WindowLabel(t.Tier.Long), Short: slo.WindowLabel(t.Tier.Short), Threshold: t.Threshold,
			LongBurnRate: t.Long.BurnRate, ShortBurnRate: t.Short.BurnRate, State: t.Reason(),
			LongEvents: t.Long.Good + t.Long.Bad, ShortEvents: t.Short.Good + t.Short.Bad, MinEvents: t.MinEvents}
		out.Tiers = append(out.Tiers, a)
		if t.Firing {
			out.ActiveAlerts = append(out.ActiveAlerts, a)
		}
	}
	return out
}

func (e *Endpoint) status() EndpointStatus {
	last := e.lastStats()
	st := EndpointStatus{Kind: e.kind.String(), Name: e.id, Pattern: e.name, Requests: e.requests(), Errors: e.bad.Load(),
		Rate: finite(last.rate), ErrorRatio: finite(last.errorRatio), P99Seconds: finite(last.p99)}
	if e.kind == ClientEndpoint {
		st.Rejected = e.refused.Load()
	} else {
		st.Shed = e.refused.Load()
	}
	return st
}

// finite maps NaN and infinities (no data) to 0, which JSON can carry.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

func (m *Monitor) remediationStatus() []RemediationStatus {
	out := []RemediationStatus{}
	if m.engine == nil {
		return out
	}
	recs := m.engine.Records()
	if len(recs) > maxRecentRemediation {
		recs = recs[len(recs)-maxRecentRemediation:]
	}
	for _, r := range recs {
		out = append(out, RemediationStatus{Time: r.Time, Policy: r.Policy, Action: r.Action, Target: r.Target,
			Outcome: outcomeText(r), Reason: r.Reason, Signal: r.Signal.Kind + " " + r.Signal.Source + " " + r.Signal.State})
	}
	return out
}

// outcomeText is the record's outcome, "revert" added to a revert that
// did not revert (a dry run, a failure) and "irreversible" to an action
// that cannot be undone.
func outcomeText(r remediate.Record) string {
	s := r.Outcome.String()
	switch {
	case r.Revert && r.Outcome != remediate.OutcomeReverted:
		s += " revert"
	case r.Irreversible:
		s += " irreversible"
	}
	return s
}

func (m *Monitor) activeActions(now time.Time) []ActiveActionStatus {
	out := []ActiveActionStatus{}
	if m.engine == nil {
		return out
	}
	for _, a := range m.engine.ActiveActions() {
		st := ActiveActionStatus{Policy: a.Policy, Action: a.Action, Target: a.Target, Since: a.Since,
			AgeSeconds: max(0, now.Sub(a.Since).Seconds()), DryRun: a.DryRun, Incidents: a.Incidents}
		if st.Incidents == nil {
			st.Incidents = []string{}
		}
		if !a.RevertAt.IsZero() {
			at := a.RevertAt
			st.RevertAt = &at
		}
		out = append(out, st)
	}
	return out
}
