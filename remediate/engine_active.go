package remediate

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sort"
	"time"
)

// maxIncidents bounds the incidents the engine remembers for deduplication
// and quiet-time resolution. Past it a new incident is not remembered: its
// repeats are decided again (and held back by the guard rails), which costs
// decisions, never memory.
const maxIncidents = 1 << 16

// revertRetry is how long after a failed undo the engine tries again when
// the policy has no longer Cooldown.
const revertRetry = time.Minute

// incidentState is what the engine remembers of one incident. Guarded by
// Engine.mu.
type incidentState struct {
	phase    Phase
	severity Severity
	state    string
	last     time.Time // time of its latest signal
	signal   Signal    // its latest signal, for a quiet revert
}

// activeAction is an action in effect that the engine will revert. Guarded
// by Engine.mu.
type activeAction struct {
	since  time.Time
	dryRun bool
	causes map[incidentKey]struct{} // incidents that keep it in effect
	signal Signal                   // the latest signal about it
	// revertAt, when set, is when a revert held back by the cooldown is
	// due (its causes are gone); why is the reason it will carry.
	revertAt time.Time
	why      string
}

// ActiveAction is an action in effect that the engine will revert (see
// Engine). It is a plain value.
type ActiveAction struct {
	// Policy, Action and Target say what is in effect.
	Policy, Action, Target string
	// Since is when it ran (the decision time).
	Since time.Time
	// DryRun is true for an action that only a dry run took: its revert
	// will be a dry run too.
	DryRun bool
	// Incidents are the keys of the incidents that keep it in effect,
	// sorted; empty while a revert waits for the cooldown.
	Incidents []string
	// RevertAt is when a revert held back by the policy's cooldown is
	// due; zero when none is pending.
	RevertAt time.Time
}

func causeNames(causes map[incidentKey]struct{}) []string {
	out := make([]string, 0, len(causes))
	for k := range causes {
		out = append(out, k.String())
	}
	slices.Sort(out)
	return out
}

// ActiveActions returns the actions in effect, by policy order then
// target.
func (e *Engine) ActiveActions() []ActiveAction {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []ActiveAction
	for _, p := range e.policies {
		for _, target := range slices.Sorted(maps.Keys(p.active)) {
			a := p.active[target]
			out = append(out, ActiveAction{Policy: p.Name, Action: p.actionName, Target: target, Since: a.since,
				DryRun: a.dryRun, Incidents: causeNames(a.causes), RevertAt: a.revertAt})
		}
	}
	return out
}

// observe updates the incident of s at t and reports whether s is news:
// false for a firing signal that repeats its incident's severity and
// state.
func (e *Engine) observe(key incidentKey, s Signal, t time.Time) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	inc := e.incidents[key]
	if s.Phase == PhaseResolved {
		delete(e.incidents, key)
		return true
	}
	if inc == nil {
		if len(e.incidents) >= maxIncidents {
			return true
		}
		if e.incidents == nil {
			e.incidents = make(map[incidentKey]*incidentState)
		}
		inc = &incidentState{}
		e.incidents[key] = inc
	} else if s.Phase == PhaseFiring && inc.phase == PhaseFiring && inc.severity == s.Severity && inc.state == s.State {
		inc.last, inc.signal = t, s
		return false
	}
	*inc = incidentState{phase: s.Phase, severity: s.Severity, state: s.State, last: t, signal: s}
	return true
}

// holdActive adds incident key to the active action of (p, target), if
// there is one, and reports whether there was: a matching signal about an
// action already in effect decides nothing again, and cancels a revert
// waiting for the cooldown.
func (e *Engine) holdActive(p *policyState, target string, key incidentKey, s Signal) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	a := p.active[target]
	if a == nil {
		return false
	}
	a.causes[key] = struct{}{}
	a.signal, a.revertAt, a.why = s, time.Time{}, ""
	return true
}

// activate records an executed (or dry-run) reversible action as in
// effect.
func (e *Engine) activate(p *policyState, target string, key incidentKey, s Signal, t time.Time, dryRun bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if a := p.active[target]; a != nil { // a concurrent decision got there first
		a.causes[key] = struct{}{}
		return
	}
	if p.active == nil {
		p.active = make(map[string]*activeAction)
	}
	a := &activeAction{since: t, dryRun: dryRun, causes: map[incidentKey]struct{}{key: {}}, signal: s}
	if s.Phase == PhaseFiring && e.incidents[key] == nil && len(e.incidents) < maxIncidents {
		// The incident resolved while the action ran (a concurrent
		// Handle, or the action itself reporting it): nothing is left to
		// release it, so its revert is due as a resolve would make it.
		a.causes = map[incidentKey]struct{}{}
		a.revertAt, a.why = t.Add(p.Cooldown), ReasonResolved
	}
	p.active[target] = a
}

// due is one revert to run, claimed under Engine.mu.
type due struct {
	p      *policyState
	target string
	a      *activeAction
	why    string
	signal Signal
}

// release removes incident key from p's active actions at t; an action
// left with no cause is reverted now, or when the policy's cooldown since
// it ran has passed (so that a flapping signal cannot toggle a target
// faster than the cooldown).
func (e *Engine) release(ctx context.Context, t time.Time, p *policyState, key incidentKey, s Signal, why string) []Decision {
	var now []due
	e.mu.Lock()
	for target, a := range p.active {
		if _, ok := a.causes[key]; !ok {
			continue
		}
		delete(a.causes, key)
		if len(a.causes) > 0 {
			continue
		}
		a.signal = s
		if hold := a.since.Add(p.Cooldown); t.Before(hold) {
			a.revertAt, a.why = hold, why
			continue
		}
		delete(p.active, target)
		now = append(now, due{p, target, a, why, s})
	}
	e.mu.Unlock()
	return e.runReverts(ctx, t, now)
}

// TickAt reverts, at time t, what is due: actions whose held-back revert
// has come, actions in effect for their policy's MaxDuration, and the
// actions of incidents of PhaseEvent signals quiet for Config.Quiet. It
// returns the revert decisions, in policy order. The goroutine started by
// Start calls it every second by the process clock; code that drives time
// itself (the availability Monitor, tests) calls it on its own ticks.
func (e *Engine) TickAt(ctx context.Context, t time.Time) []Decision {
	var now []due
	var quiet []incidentState
	var quietKeys []incidentKey
	e.mu.Lock()
	for key, inc := range e.incidents {
		if inc.phase == PhaseEvent && !t.Before(inc.last.Add(e.quiet)) {
			delete(e.incidents, key)
			quiet, quietKeys = append(quiet, *inc), append(quietKeys, key)
		}
	}
	for _, p := range e.policies {
		for _, target := range slices.Sorted(maps.Keys(p.active)) {
			a := p.active[target]
			switch {
			case !a.revertAt.IsZero() && !t.Before(a.revertAt):
				now = append(now, due{p, target, a, a.why, a.signal})
			case p.MaxDuration > 0 && !t.Before(a.since.Add(p.MaxDuration)):
				now = append(now, due{p, target, a, ReasonMaxDuration, a.signal})
			default:
				continue
			}
			delete(p.active, target)
		}
	}
	e.mu.Unlock()
	out := e.runReverts(ctx, t, now)
	for i, key := range quietKeys {
		for _, p := range e.policies {
			out = append(out, e.release(ctx, t, p, key, quiet[i].signal, ReasonQuiet)...)
		}
	}
	return out
}

// revertAll reverts every action in effect, whatever its cooldown: what
// Shutdown does.
func (e *Engine) revertAll(ctx context.Context, t time.Time) []Decision {
	var now []due
	e.mu.Lock()
	for _, p := range e.policies {
		for _, target := range slices.Sorted(maps.Keys(p.active)) {
			a := p.active[target]
			now = append(now, due{p, target, a, ReasonShutdown, a.signal})
		}
		p.active = nil
	}
	e.mu.Unlock()
	return e.runReverts(ctx, t, now)
}

func (e *Engine) runReverts(ctx context.Context, t time.Time, ds []due) []Decision {
	if len(ds) == 0 {
		return nil
	}
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].p.index < ds[j].p.index })
	out := make([]Decision, 0, len(ds))
	for _, d := range ds {
		out = append(out, e.revert(ctx, t, d))
	}
	return out
}

// revert runs one undo, claimed (removed from the active set) by the
// caller. A revert passes no guard rail: it takes no budget token, widens
// no blast radius and asks no approver, because it puts back the state the
// service had before the engine acted; leaving a shed or a drain in place
// while waiting for a human is the harm reverts exist to prevent. A dry-run
// action has a dry-run revert. A failed undo leaves the action in effect
// and tries again after the cooldown (at least a minute).
func (e *Engine) revert(ctx context.Context, t time.Time, d due) Decision {
	p := d.p
	rec := Record{
		Time:   canonicalTime(t),
		Policy: p.Name,
		Action: p.actionName,
		Target: boundString(d.target, MaxSignalString),
		Signal: recordSignal(d.signal),
		Revert: true,
	}
	if d.a.dryRun {
		return e.finish(p, rec, OutcomeDryRun, d.why, nil)
	}
	undo := p.Action.(Reverter) // only reversible actions become active
	actx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	start := time.Now()
	_, err, timedOut, panicked := boundedCall(actx, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, undo.Undo(ctx, d.target, d.signal)
	})
	rec.Elapsed = time.Since(start)
	reason := ""
	switch {
	case timedOut:
		reason = ReasonActionTimeout
	case panicked:
		reason, err = ReasonActionPanic, errors.New("remediate: undo panicked")
	case err != nil:
		reason = ReasonActionError
	}
	if reason == "" {
		return e.finish(p, rec, OutcomeReverted, d.why, nil)
	}
	e.mu.Lock()
	if p.active[d.target] == nil {
		if p.active == nil {
			p.active = make(map[string]*activeAction)
		}
		d.a.revertAt, d.a.why = t.Add(max(p.Cooldown, revertRetry)), d.why
		p.active[d.target] = d.a
	}
	e.mu.Unlock()
	return e.finish(p, rec, OutcomeFailed, reason, err)
}
