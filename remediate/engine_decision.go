package remediate

import "fmt"

// DecisionOutcome is what became of one decision; it is the
// remediation.outcome metric attribute and the outcome of an audit record.
// The zero value is OutcomeExecuted.
type DecisionOutcome uint8

const (
	// OutcomeExecuted: the action ran and returned nil.
	OutcomeExecuted DecisionOutcome = iota
	// OutcomeDryRun: every guard rail passed; the action was not run.
	OutcomeDryRun
	// OutcomeAwaitingApproval: a critical action was put to the approver.
	// The same decision is recorded again with its final outcome.
	OutcomeAwaitingApproval
	// OutcomeDenied: the approver said no, did not answer before the
	// deadline, or the target is outside the policy's pool.
	OutcomeDenied
	// OutcomeRateLimited: a guard rail held the action back: cooldown,
	// blast radius or budget (see Decision.Reason).
	OutcomeRateLimited
	// OutcomeFailed: the action (or its undo) returned an error, panicked
	// or timed out.
	OutcomeFailed
	// OutcomeReverted: the action's undo ran and returned nil (see
	// Reverter); Decision.Reason says why it was reverted.
	OutcomeReverted
)

var outcomeNames = [...]string{"executed", "dry_run", "awaiting_approval", "denied", "rate_limited", "failed", "reverted"}

// String returns the metric attribute value: "executed", "dry_run",
// "awaiting_approval", "denied", "rate_limited", "failed" or "reverted".
func (o DecisionOutcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("DecisionOutcome(%d)", uint8(o))
}

// MarshalText encodes the outcome as its String.
func (o DecisionOutcome) MarshalText() ([]byte, error) {
	if int(o) >= len(outcomeNames) {
		return nil, fmt.Errorf("remediate: invalid outcome %d", uint8(o))
	}
	return []byte(outcomeNames[o]), nil
}

// UnmarshalText decodes an outcome from its String.
func (o *DecisionOutcome) UnmarshalText(b []byte) error {
	for i, n := range outcomeNames {
		if string(b) == n {
			*o = DecisionOutcome(i)
			return nil
		}
	}
	return fmt.Errorf("remediate: unknown outcome %q", b)
}

// Reasons explain an outcome other than executed, and why a revert
// happened; they appear in Decision.Reason and the audit record. The set is
// closed.
const (
	ReasonCooldown        = "cooldown"          // rate_limited: the (policy, target) is cooling down
	ReasonBlastRadius     = "blast_radius"      // rate_limited: acting would exceed the blast radius
	ReasonBudget          = "budget"            // rate_limited: the global action budget is spent
	ReasonTargetLimit     = "target_limit"      // rate_limited: too many distinct targets cooling down
	ReasonNotInPool       = "not_in_pool"       // denied: the target is outside the policy's pool
	ReasonApprovalRefused = "approval_refused"  // denied: the approver said no
	ReasonApprovalTimeout = "approval_timeout"  // denied: no answer before the deadline
	ReasonApprovalError   = "approval_error"    // denied: the approver returned an error or panicked
	ReasonApprovalNeeded  = "approval_required" // dry_run or awaiting_approval: a live run would ask the approver
	ReasonTargetError     = "target_error"      // denied: the policy's Target function panicked
	ReasonActionError     = "action_error"      // failed: the action returned an error
	ReasonActionTimeout   = "action_timeout"    // failed: the action did not return before its timeout
	ReasonActionPanic     = "action_panic"      // failed: the action panicked
	ReasonResolved        = "resolved"          // reverted: the incident that caused the action resolved
	ReasonNoLongerMatches = "no_longer_matches" // reverted: the incident's latest signal no longer matches the policy (it eased)
	ReasonQuiet           = "quiet"             // reverted: the incident sent no signal for Config.Quiet
	ReasonMaxDuration     = "max_duration"      // reverted: the action was in effect for the policy's MaxDuration
	ReasonShutdown        = "shutdown"          // reverted: Engine.Shutdown reverts what is still in effect
)

// Decision is what the engine decided for one policy that matched a signal.
// It mirrors the final audit record of that decision.
type Decision struct {
	// Policy and Action name the policy and its action.
	Policy, Action string
	// Target is the target chosen.
	Target string
	// Outcome is the final outcome (never OutcomeAwaitingApproval: Handle
	// returns after the approver has answered or timed out).
	Outcome DecisionOutcome
	// Reason explains any outcome but executed, and why a revert
	// happened; one of the Reason constants, empty when executed.
	Reason string
	// Revert is true for the decision that undoes an earlier one
	// (outcome reverted, a dry_run revert, or a failed undo).
	Revert bool
	// Irreversible is true when the action ran, or a dry run says it
	// would, and cannot be undone (it is not a Reverter): the engine will
	// not revert it.
	Irreversible bool
	// Approver is who approved or refused, as the approver said; empty
	// when no approval was asked.
	Approver string
	// Err is the action's or the approver's error, if any.
	Err error
	// Seq is the sequence number of the final audit record.
	Seq uint64
}

// String returns a one-line summary: "policy: action on target: outcome
// (reason)", with "revert" after the outcome of a revert that did not
// revert (a dry run, a failure) and "(irreversible)" after an action that
// cannot be undone.
func (d Decision) String() string {
	s := fmt.Sprintf("%s: %s on %q: %s", d.Policy, d.Action, d.Target, d.Outcome)
	if d.Revert && d.Outcome != OutcomeReverted {
		s += " revert"
	}
	switch {
	case d.Reason != "":
		s += " (" + d.Reason + ")"
	case d.Irreversible:
		s += " (irreversible)"
	}
	return s
}
