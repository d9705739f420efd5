package remediate

import (
	"sync/atomic"

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
// (SignalFromSLOAlert) submitted to the engine. slo.Set has no way to
// remove a listener, so remove only stops the forwarding: set keeps a
// listener that does nothing. A nil set does nothing.
func (e *Engine) SubscribeSLO(set *slo.Set) (remove func()) {
	if set == nil {
		return func() {}
	}
	return forwardUntilRemoved(e, set.OnAlert, SignalFromSLOAlert)
}

// SubscribeAnomalies makes every anomaly m reports a Signal
// (SignalFromAnomaly) submitted to the engine. detect.Monitor has no way
// to remove a listener, so remove only stops the forwarding: m keeps a
// listener that does nothing. A nil m does nothing.
func (e *Engine) SubscribeAnomalies(m *detect.Monitor) (remove func()) {
	if m == nil {
		return func() {}
	}
	return forwardUntilRemoved(e, m.OnAnomaly, SignalFromAnomaly)
}

// forwardUntilRemoved registers, with a producer that cannot remove its
// listeners, one that submits signal(ev) to e until remove is called.
func forwardUntilRemoved[E any](e *Engine, register func(func(E)), signal func(E) Signal) (remove func()) {
	var off atomic.Bool
	register(func(ev E) {
		if !off.Load() {
			e.Submit(signal(ev))
		}
	})
	return func() { off.Store(true) }
}
