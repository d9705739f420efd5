package remediate

import (
	"fmt"
	"slices"
	"time"
)

// Policy is one rule of the engine: when a signal matches, do an action on a
// target, within guard rails. It is a plain value: build it as a literal and
// pass it to NewEngine in Config.Policies, which validates it.
//
// The zero value is not a valid policy: Name and Action are required.
type Policy struct {
	// Name identifies the policy; it becomes the remediation.policy metric
	// attribute. Required: 1 to 128 characters of [A-Za-z0-9_.:-], unique
	// within an engine.
	Name string
	// When selects the signals the policy reacts to. The zero Match matches
	// every signal but anomalies and resolved signals.
	When Match
	// Action is what the policy does. Required. Its Name becomes the
	// remediation.action metric attribute and must follow the same rules
	// as Name.
	Action Action
	// Target chooses the target from the signal. Nil means the signal's
	// Target, or its Source when Target is empty. It is called outside
	// every lock; it must not block.
	Target func(Signal) string
	// Pool is the set of targets the policy may act on. Nil means any
	// target; a target outside a non-empty Pool is denied. The blast
	// radius is a share of this pool. Duplicates are an error.
	Pool []string
	// Cooldown is the minimum time between two decisions that act on the
	// same target for this policy, and the minimum time a reversible
	// action stays in effect before it is reverted. Zero means none;
	// negative is an error.
	Cooldown time.Duration
	// BlastRadius limits the share of Pool acted on within a window. The
	// zero value means no limit.
	BlastRadius BlastRadius
	// Critical actions need an approval from Config.Approver before they
	// run; no answer before Config.ApprovalTimeout means deny.
	Critical bool
	// DryRun runs the whole decision path and writes the audit, but never
	// calls the action nor the approver. Config.DryRun sets it for every
	// policy.
	DryRun bool
	// Timeout bounds one run of the action, and of its undo. Zero means
	// Config.ActionTimeout; negative is an error.
	Timeout time.Duration
	// MaxDuration is the longest a reversible action stays in effect: it
	// is reverted this long after it ran even if its cause still holds
	// (the engine's tick notices it; see Engine.TickAt). Zero means no
	// limit: it lasts until its cause resolves; negative is an error.
	MaxDuration time.Duration
}

// Match selects signals. The zero value matches every signal but
// anomalies. Resolved signals (PhaseResolved) never reach a Match: they
// revert what their incident caused.
type Match struct {
	// Kinds are the signal kinds matched. Empty means every kind except
	// SignalAnomaly: an anomaly is a statistical surprise, not a broken
	// promise, so it reaches the timeline and the audit's producers but
	// moves nothing unless a policy lists SignalAnomaly here.
	Kinds []SignalKind
	// Predicate further filters the signals of those kinds. Nil means
	// every one. It is called outside every lock, on the caller's
	// goroutine; it must not block. A panicking predicate does not match.
	Predicate func(Signal) bool
}

// BlastRadius limits how much of a policy's Pool is acted on within a
// window. The zero value means no limit.
//
// An action on a new target is allowed iff, counting that target,
// (targets acted on within Window + 1) / len(Pool) <= MaxPercent/100, or the
// count is at most MinTargets. With MaxPercent 50: a pool of 1 is never
// acted on unless MinTargets >= 1 (acting on the only target is 100% of the
// pool); a pool of 2 allows 1 target; a pool of 3 allows 1 (2/3 > 50%); a
// pool of 100 allows 50. Acting again on a target already counted within
// the window does not widen the blast radius.
type BlastRadius struct {
	// MaxPercent is the largest share of the pool, in percent, that may be
	// acted on within Window: 0 < MaxPercent <= 100. Zero means no limit.
	MaxPercent float64
	// Window is how long an acted-on target counts. Required (positive)
	// when MaxPercent is set.
	Window time.Duration
	// MinTargets is how many distinct targets may be acted on within
	// Window whatever the percentage; it is how a pool of one (a single
	// instance draining itself) is allowed at all. Zero means none;
	// negative is an error.
	MinTargets int
}

// matches reports whether the policy reacts to s. It calls the user's
// predicate, so it is never called under a lock.
func (m *Match) matches(s Signal) (ok bool) {
	if len(m.Kinds) == 0 && s.Kind == SignalAnomaly || len(m.Kinds) > 0 && !slices.Contains(m.Kinds, s.Kind) {
		return false
	}
	if m.Predicate == nil {
		return true
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return m.Predicate(s)
}

// validate checks p; i is its index in Config.Policies, for the message.
func (p *Policy) validate(i int) error {
	field := func(name string) string { return fmt.Sprintf("Policies[%d].%s", i, name) }
	if err := validatePolicyName(field("Name"), p.Name); err != nil {
		return err
	}
	if p.Action == nil {
		return invalid(field("Action"), nil, "is required")
	}
	if err := validatePolicyName(field("Action.Name()"), safeActionName(p.Action)); err != nil {
		return err
	}
	if p.Cooldown < 0 {
		return invalid(field("Cooldown"), p.Cooldown, "must not be negative")
	}
	if p.Timeout < 0 {
		return invalid(field("Timeout"), p.Timeout, "must not be negative")
	}
	if p.MaxDuration < 0 {
		return invalid(field("MaxDuration"), p.MaxDuration, "must not be negative")
	}
	seen := make(map[string]struct{}, len(p.Pool))
	for j, t := range p.Pool {
		if _, dup := seen[t]; dup {
			return invalid(fmt.Sprintf("%s[%d]", field("Pool"), j), t, "is a duplicate")
		}
		seen[t] = struct{}{}
	}
	for j, k := range p.When.Kinds {
		if k > SignalAnomaly {
			return invalid(fmt.Sprintf("%s[%d]", field("When.Kinds"), j), uint8(k), "is not a SignalKind")
		}
	}
	return p.BlastRadius.validate(field("BlastRadius"), len(p.Pool))
}

func (b *BlastRadius) validate(field string, pool int) error {
	switch {
	case b.MaxPercent != b.MaxPercent || b.MaxPercent < 0 || b.MaxPercent > 100:
		return invalid(field+".MaxPercent", b.MaxPercent, "must be in (0, 100], or 0 for no limit")
	case b.MinTargets < 0:
		return invalid(field+".MinTargets", b.MinTargets, "must not be negative")
	case b.Window < 0:
		return invalid(field+".Window", b.Window, "must not be negative")
	case b.MaxPercent == 0:
		return nil
	case b.Window == 0:
		return invalid(field+".Window", b.Window, "must be positive when MaxPercent is set")
	case pool == 0:
		return invalid(field+".MaxPercent", b.MaxPercent, "needs a non-empty Pool")
	}
	return nil
}

// validatePolicyName checks a metric attribute value given by the developer.
func validatePolicyName(field, v string) error {
	if len(v) == 0 || len(v) > 128 {
		return invalid(field, v, "must be 1 to 128 characters")
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == ':' || c == '-') {
			return invalid(field, v, "must be only [A-Za-z0-9_.:-]")
		}
	}
	return nil
}
