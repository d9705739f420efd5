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

// SubscribeSLO makes every alert transition of set a Signal
// (SignalFromSLOAlert) submitted to the engine. remove unsubscribes. A nil
// set does nothing.
func (e *Engine) SubscribeSLO(set *slo.Set) (remove func()) {
	if set == nil {
		return func() {}
	}
	return set.OnAlert(func(ev slo.AlertEvent) { e.Submit(SignalFromSLOAlert(ev)) })
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
