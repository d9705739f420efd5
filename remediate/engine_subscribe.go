package remediate

import (
	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/slo"
)

// SubscribeHealth makes every status change of r, of a check or of a
// group, a Signal (SignalFromHealth) submitted to the engine (Submit: it
// never blocks r's listener path). remove unsubscribes. A nil r does
// nothing.
func (e *Engine) SubscribeHealth(r *health.Registry) (remove func()) {
	if r == nil {
		return func() {}
	}
	return r.OnChange(func(c health.Change) { e.Submit(SignalFromHealth(c)) })
}

// SubscribeSLO folds the alert transitions of set into one signal stream
// per objective (see SLOIncidents) and submits each signal to the engine.
// remove unsubscribes. A nil set does nothing.
func (e *Engine) SubscribeSLO(set *slo.Set) (remove func()) {
	if set == nil {
		return func() {}
	}
	var f SLOIncidents
	return set.OnAlert(func(ev slo.AlertEvent) {
		if s, ok := f.Signal(ev); ok {
			e.Submit(s)
		}
	})
}

// SubscribeAnomalies makes every anomaly m reports a Signal
// (SignalFromAnomaly) submitted to the engine. remove unsubscribes. A nil
// m does nothing.
func (e *Engine) SubscribeAnomalies(m *detect.Monitor) (remove func()) {
	if m == nil {
		return func() {}
	}
	return m.OnAnomaly(func(a detect.Anomaly) { e.Submit(SignalFromAnomaly(a)) })
}
