package availability

import (
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
//
// The JSON schema, locked by testdata/statusz.golden.json:
//
//   - every list is [] when empty, never null; an optional object (state)
//     is left out, an unknown number (time_to_exhaustion_seconds of a
//     budget not burning) is null;
//   - fractions, ratios, rates and durations are rounded to 6 significant
//     digits; a field carrying a unit says it in its name (_seconds,
//     _per_second); ratios (target, availability, budget_remaining,
//     error_ratio) are fractions of 1, burn rates multiples of the
//     sustainable rate;
//   - burn_rates is one object keyed by window label ("5m" ... "3d"),
//     keys in window length order;
//   - instants are RFC 3339 in the Monitor's clock's location;
//   - lists of names are sorted by name, recent lists (anomalies,
//     remediation) oldest first;
//   - the sections of features not in use are left out: synthetic
//     without AddSynthetic, logs without WithLogMiner, peers without
//     WithPeerDetectors.
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
	// Synthetic are the checks of AddSynthetic, in the order added, with
	// their last runs; left out without any.
	Synthetic []SyntheticStatus `json:"synthetic,omitempty"`
	// Logs reports the miner of WithLogMiner; nil without it.
	Logs *LogsStatus `json:"logs,omitempty"`
	// Peers are the dependencies of WithPeerDetectors, in the order given;
	// left out without any.
	Peers []PeerGroupStatus `json:"peers,omitempty"`
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
	Name   string  `json:"name"`
	Target float64 `json:"target"`
	Good   uint64  `json:"good"`
	Bad    uint64  `json:"bad"`
	// Availability is the compliance period's good share so far (1 with
	// no event): the figure to hold against Target.
	Availability float64 `json:"availability"`
	// BudgetRemaining is the fraction of the period's error budget left
	// (slo.Status.BudgetRemaining); it may go negative.
	BudgetRemaining float64 `json:"budget_remaining"`
	// TimeToExhaustionSeconds is how long the remaining budget lasts at
	// the 5m burn rate: 0 when exhausted, null (nil) when not burning.
	TimeToExhaustionSeconds *float64 `json:"time_to_exhaustion_seconds"`
	// PeriodSeconds is the compliance period's length.
	PeriodSeconds float64 `json:"period_seconds"`
	// BurnRates are the burn rates of every alert window ("5m" ... "3d"),
	// ordered by window length.
	BurnRates BurnRates `json:"burn_rates"`
	// ActiveAlerts are the tiers firing now.
	ActiveAlerts []AlertStatus `json:"active_alerts"`
	// Tiers are every alert tier with its state, so a silent tier says why:
	// "ok", "firing", "too few events" (the low-traffic guard) or "warming
	// up" (burning, but the history is too short: slo.TierStatus.WarmingUp).
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
	// State is slo.TierStatus.Reason: "firing", "ok", "too few events" or
	// "warming up".
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
	Rejected uint64 `json:"rejected"`
	// RatePerSecond (offered: served and refused), ErrorRatio and
	// P99Seconds are the last detector step's (WithDetectorStep).
	RatePerSecond float64 `json:"rate_per_second"`
	ErrorRatio    float64 `json:"error_ratio"`
	P99Seconds    float64 `json:"p99_seconds"`
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
// cached state (with the optional sections, the synthetic Runners' last
// runs, the miner's counters and last step, the peer detectors' views) and
// computes each objective's status (tens of microseconds per objective);
// it runs no check and no detector.
func (m *Monitor) Statusz() Statusz {
	now := m.cfg.clock()
	st := Statusz{Time: now, Health: m.healthStatus(), Shed: m.shedTotal.Load(),
		DroppedEvents: m.timeline.droppedCount(), DroppedSignals: m.signals.droppedCount(),
		ListenerPanics: m.timeline.listeners.Panics(),
		SLOs:           []SLOStatus{}, Endpoints: []EndpointStatus{}, Breakers: []BreakerStatus{},
		Anomalies: roundAnomalies(m.anomalies.values()), Remediation: m.remediationStatus(), ActiveActions: m.activeActions(now)}
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
	st.Synthetic = m.syntheticStatus()
	st.Logs = m.logsStatus(st.Anomalies)
	st.Peers = m.peersStatus()
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
	out := SLOStatus{Name: s.Name, Target: round(s.Target), Good: s.Good, Bad: s.Bad, Availability: 1,
		BudgetRemaining: round(s.BudgetRemaining), PeriodSeconds: round(s.PeriodEnd.Sub(s.PeriodStart).Seconds()),
		BurnRates: BurnRates{}, ActiveAlerts: []AlertStatus{}}
	if !s.Period.NoData {
		out.Availability = round(1 - s.Period.ErrorRatio)
	}
	if s.TimeToExhaustion != slo.Never {
		tte := round(s.TimeToExhaustion.Seconds())
		out.TimeToExhaustionSeconds = &tte
	}
	for _, w := range s.Windows {
		out.BurnRates = append(out.BurnRates, WindowBurnRate{Window: w.Window, BurnRate: round(w.BurnRate)})
	}
	sort.SliceStable(out.BurnRates, func(i, j int) bool { return out.BurnRates[i].Window < out.BurnRates[j].Window })
	out.Tiers = []AlertStatus{}
	for _, t := range s.Tiers {
		a := AlertStatus{Severity: t.Tier.Severity.String(),
			Long: slo.WindowLabel(t.Tier.Long), Short: slo.WindowLabel(t.Tier.Short), Threshold: round(t.Threshold),
			LongBurnRate: round(t.Long.BurnRate), ShortBurnRate: round(t.Short.BurnRate), State: t.Reason(),
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
		RatePerSecond: round(last.rate), ErrorRatio: round(last.errorRatio), P99Seconds: round(last.p99)}
	if e.kind == ClientEndpoint {
		st.Rejected = e.refused.Load()
	} else {
		st.Shed = e.refused.Load()
	}
	return st
}

// roundAnomalies rounds the values and scores, and makes none [].
func roundAnomalies(as []AnomalyStatus) []AnomalyStatus {
	if as == nil {
		return []AnomalyStatus{}
	}
	for i := range as {
		as[i].Value, as[i].Score = round(as[i].Value), round(as[i].Score)
	}
	return as
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
			AgeSeconds: round(max(0, now.Sub(a.Since).Seconds())), DryRun: a.DryRun, Incidents: a.Incidents}
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
