package availability

import (
	"fmt"
	"sync"

	"github.com/nines-sre/nines/synthetic"
)

// AddSynthetic attaches a synthetic Runner's checks to the Monitor, with no
// code per check: each check's health check joins the registry (so its
// status changes, with the registry's hysteresis, are timeline events and
// remediation signals, and it shows on /readyz and /statusz), its two
// objectives join the SLO set (burn rates, alerts, the state directory),
// and each change of a check's outcome (pass to fail, fail to pass) is an
// EventHealth on the timeline naming the step that broke.
//
// The Monitor does not run the checks: start the Runner beside the
// Monitor and shut it down before it. Give the Runner the Monitor's
// RoundTripper (synthetic.WithTransport) to route its requests through
// the declared dependencies without counting them as user traffic.
// AddSynthetic fails, having added nothing more, on the first name already
// taken.
func (m *Monitor) AddSynthetic(r *synthetic.Runner) error {
	for _, hc := range r.HealthChecks() {
		if err := m.health.Register(hc); err != nil {
			return fmt.Errorf("availability: synthetic check: %w", err)
		}
	}
	for _, s := range r.SLOs() {
		if err := m.slos.Add(s); err != nil {
			return fmt.Errorf("availability: synthetic objective: %w", err)
		}
		if m.state != nil {
			m.state.adopt(s)
		}
	}
	m.hist.addSynthetic(r)
	var mu sync.Mutex
	last := map[string]synthetic.Outcome{}
	r.OnResult(func(res synthetic.Result) {
		failed := res.Outcome >= synthetic.Fail
		mu.Lock()
		prev, seen := last[res.Check]
		last[res.Check] = res.Outcome
		mu.Unlock()
		if (!seen && !failed) || (seen && (prev >= synthetic.Fail) == failed) {
			return
		}
		msg := fmt.Sprintf("synthetic check %s passes again", res.Check)
		if failed {
			msg = fmt.Sprintf("synthetic check %s: %s: %s", res.Check, res.Outcome, res.Err())
		}
		m.timeline.emit(Event{Time: res.Start.Add(res.Duration), Kind: EventHealth, Subject: "synthetic." + res.Check, Message: msg})
	})
	return nil
}
