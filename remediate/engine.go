package remediate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"go.opentelemetry.io/otel/metric"
	"golang.org/x/time/rate"
)

// The defaults and bounds of Config, as its field docs state them.
const (
	defaultApprovalTimeout = 5 * time.Minute
	defaultActionTimeout   = 30 * time.Second
	defaultAuditCapacity   = 1024
	defaultQuiet           = 10 * time.Minute
	maxAuditCapacity       = 1 << 20
)

// Config describes an Engine. It is a plain value whose zero fields mean
// the documented defaults; NewEngine validates it and copies what it
// keeps, and Validate reports the same errors without building anything.
// The zero Config is valid: an engine with no policies, which decides
// nothing.
type Config struct {
	// Policies are evaluated in order for every signal. Names must be
	// unique. Nil means none.
	Policies []Policy
	// Budget is the global action budget shared by all policies. The zero
	// value means none.
	Budget Budget
	// DryRun makes every policy a dry run (see Policy.DryRun).
	DryRun bool
	// Approver decides critical actions. Required when a policy is
	// Critical.
	Approver Approver
	// ApprovalTimeout is how long the engine waits for the Approver; no
	// answer by then means deny. Zero means 5 minutes; negative is an
	// error.
	ApprovalTimeout time.Duration
	// ActionTimeout bounds an action run when its policy sets no Timeout.
	// Zero means 30 s; negative is an error.
	ActionTimeout time.Duration
	// AuditCapacity is how many audit records the in-memory ring keeps.
	// Zero means 1024; at most 1<<20.
	AuditCapacity int
	// QueueSize is how many signals Submit (and the Subscribe methods)
	// hold for the engine's goroutine before dropping. Zero means
	// 256; at most 1<<16.
	QueueSize int
	// Quiet is how long an incident of PhaseEvent signals (anomalies)
	// may go without another signal before it counts as over and the
	// actions it caused are reverted. Zero means 10 minutes; negative is
	// an error.
	Quiet time.Duration
	// KeepOnShutdown leaves the actions in effect at Shutdown instead of
	// reverting them. The default reverts: the engine keeps no state
	// across restarts, so an action left in place at Shutdown would have
	// nobody left to revert it (a readiness drain or a shed level that
	// outlives a reconfigured engine, a user action with an effect outside
	// the process). Set it when your actions must survive a deploy, and
	// revert them yourself.
	KeepOnShutdown bool
}

// Engine turns signals into guarded actions. For every policy that matches
// a signal (Policy.When), in policy order, it:
//
//  1. chooses the target (Policy.Target), and decides nothing more when
//     the (policy, target) already has a reversible action in effect;
//  2. denies a target outside the policy's Pool (denied, not_in_pool);
//  3. holds back a (policy, target) still cooling down (rate_limited,
//     cooldown);
//  4. holds back an action that would exceed the blast radius, counting
//     the candidate (rate_limited, blast_radius);
//  5. takes a token from the global budget (rate_limited, budget);
//  6. stops there for a dry run (dry_run);
//  7. asks the Approver for a Critical policy (awaiting_approval, then
//     denied on a refusal, an error or no answer by the deadline);
//  8. runs the action with its timeout (executed, or failed).
//
// Each decision writes its final step, and a critical one its
// awaiting_approval step too, to a hash-chained audit.
//
// Actions with a lifetime: an executed (or dry-run) action that is a
// Reverter is recorded as active for its (policy, target), held by the
// incident of the signal that caused it (Signal.Incident). While it is
// active, further matching signals decide nothing again (they add their
// incident to its causes). It is reverted, as a decision of its own
// (outcome reverted, or a dry_run revert for a dry-run action, audited and
// counted like any other), when the last incident holding it resolves
// (ReasonResolved), when the incident's latest signal no longer matches
// the policy, for instance a page easing to a ticket (ReasonNoLongerMatches),
// when an incident of PhaseEvent signals stays quiet for Config.Quiet
// (ReasonQuiet), when it has been in effect for the policy's MaxDuration
// (ReasonMaxDuration), or at Shutdown (ReasonShutdown). A revert due
// earlier than the policy's Cooldown after the action waits for the
// cooldown, and is cancelled if the cause returns meanwhile: a flapping
// signal cannot toggle a target faster than the cooldown. An action that
// is not a Reverter (Func) says Irreversible in its decision and is never
// reverted. Active actions are not persisted across restarts.
//
// Signals are deduplicated before the policies: a PhaseFiring signal that
// repeats its incident's Severity and State is dropped, so one incident
// reaches the policies as one stream (fire, escalate or ease, resolve),
// whatever its producer repeats.
//
// Create one with NewEngine; the zero value is not usable. An Engine is
// safe for concurrent use. Most callers subscribe it to their producers
// (SubscribeHealth, SubscribeSLO, SubscribeAnomalies, or Submit from their
// own listener), then Start it and Shutdown it on exit; code that needs the
// decisions, and tests, call Handle or HandleAt.
//
// Concurrency model: Submit only queues the signal (bounded by
// Config.QueueSize, dropping and counting when full), so a producer's
// listener never waits for an approval; the goroutine started by Start
// decides queued signals one at a time. Handle runs on the caller's
// goroutine and returns when every matching policy has decided. The guard-rail state is checked and
// committed in one step under a mutex that is never held while user code
// runs (predicates, target functions, approvers, actions, the audit writer
// and logger), so two concurrent signals can never both pass one cooldown
// or one blast-radius slot. Approvers and actions run on their own goroutine
// so that their deadline holds even if they ignore ctx.
//
// Guard rails are committed as soon as a decision passes them, before the
// approval and the action: a refused approval, a failed action and a dry
// run all count against the cooldown, the blast radius and the budget (dry
// runs against a shadow budget of the same shape). That is what keeps a
// flapping signal from asking an approver again and again.
type Engine struct {
	policies        []*policyState
	approver        Approver
	approvalTimeout time.Duration
	audit           *auditLog
	metrics         engineMetrics

	mu     sync.Mutex // guards the fields below and every policyState's guard state
	budget *rate.Limiter
	// shadowBudget has the shape of budget and serves dry-run decisions,
	// so that dry runs report what a live run would do without spending
	// the budget that live policies need.
	shadowBudget *rate.Limiter

	// incidents remembers each incident's latest signal for deduplication
	// and quiet-time resolution (engine_active.go).
	incidents      map[incidentKey]*incidentState
	quiet          time.Duration
	keepOnShutdown bool
	kinds          [SignalAnomaly + 1]bool // kinds some policy may match

	queue signalQueue // Submit's intake, decided by Start's goroutine
}

// policyState is a validated policy with its guard-rail state.
type policyState struct {
	Policy
	actionName string
	index      int                 // position in Config.Policies
	reversible bool                // Action is a Reverter
	pool       map[string]struct{} // nil: any target
	timeout    time.Duration
	attrs      [len(outcomeNames)]metric.AddOption

	cooldown cooldownState            // guarded by Engine.mu
	blast    blastState               // guarded by Engine.mu
	active   map[string]*activeAction // by target; guarded by Engine.mu
}

// NewEngine validates cfg and returns an Engine. It starts nothing. Errors
// wrap ErrInvalidConfig and name the field and its value (see
// Config.Validate).
func NewEngine(cfg Config, opts ...Option) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	o := applyOptions(opts)
	m, err := newEngineMetrics(o.meterProvider)
	if err != nil {
		return nil, fmt.Errorf("remediate: creating metrics: %w", err)
	}
	e := &Engine{
		approver:        cfg.Approver,
		approvalTimeout: orDefault(cfg.ApprovalTimeout, defaultApprovalTimeout),
		audit:           newAuditLog(orDefault(cfg.AuditCapacity, defaultAuditCapacity), o.writer, o.logger),
		metrics:         m,
		budget:          cfg.Budget.limiter(),
		shadowBudget:    cfg.Budget.limiter(),
		queue:           signalQueue{ch: make(chan Signal, orDefault(cfg.QueueSize, defaultQueueSize))},
		quiet:           orDefault(cfg.Quiet, defaultQuiet),
		keepOnShutdown:  cfg.KeepOnShutdown,
	}
	actionTimeout := orDefault(cfg.ActionTimeout, defaultActionTimeout)
	for i, p := range cfg.Policies {
		ps := &policyState{Policy: p, actionName: safeActionName(p.Action), timeout: orDefault(p.Timeout, actionTimeout), index: i}
		_, ps.reversible = p.Action.(Reverter)
		ps.DryRun = p.DryRun || cfg.DryRun
		ps.When.Kinds = slices.Clone(p.When.Kinds)
		ps.Pool = slices.Clone(p.Pool)
		if len(p.Pool) > 0 {
			ps.pool = make(map[string]struct{}, len(p.Pool))
			for _, t := range p.Pool {
				ps.pool[t] = struct{}{}
			}
		}
		ps.attrs = outcomeAttrs(p.Name, ps.actionName)
		for k := range e.kinds {
			kind := SignalKind(k)
			e.kinds[k] = e.kinds[k] || len(p.When.Kinds) == 0 && kind != SignalAnomaly || slices.Contains(p.When.Kinds, kind)
		}
		e.policies = append(e.policies, ps)
	}
	return e, nil
}

// Validate reports whether c is a valid configuration, with an error
// wrapping ErrInvalidConfig that names the first invalid field (as
// "Policies[1].Cooldown") and its value.
func (c Config) Validate() error {
	switch {
	case c.ApprovalTimeout < 0:
		return invalid("ApprovalTimeout", c.ApprovalTimeout, "must not be negative")
	case c.ActionTimeout < 0:
		return invalid("ActionTimeout", c.ActionTimeout, "must not be negative")
	case c.AuditCapacity < 0 || c.AuditCapacity > maxAuditCapacity:
		return invalid("AuditCapacity", c.AuditCapacity, fmt.Sprintf("must be in [0, %d]", maxAuditCapacity))
	case c.QueueSize < 0 || c.QueueSize > maxQueueSize:
		return invalid("QueueSize", c.QueueSize, fmt.Sprintf("must be in [0, %d]", maxQueueSize))
	case c.Quiet < 0:
		return invalid("Quiet", c.Quiet, "must not be negative")
	}
	if err := c.Budget.validate(); err != nil {
		return err
	}
	names := make(map[string]int, len(c.Policies))
	for i := range c.Policies {
		p := &c.Policies[i]
		if err := p.validate(i); err != nil {
			return err
		}
		if j, dup := names[p.Name]; dup {
			return invalid(fmt.Sprintf("Policies[%d].Name", i), p.Name, fmt.Sprintf("duplicates Policies[%d]", j))
		}
		names[p.Name] = i
		if p.Critical && c.Approver == nil {
			return invalid("Approver", nil, fmt.Sprintf("Policies[%d] (%q) is Critical and needs an Approver", i, p.Name))
		}
	}
	return nil
}

// orDefault returns v, or def when v is zero.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// safeActionName calls the user's Name method, reading a panic as an
// invalid (empty) name.
func safeActionName(a Action) (name string) {
	defer func() {
		if recover() != nil {
			name = ""
		}
	}()
	return a.Name()
}

// Handle is HandleAt with the current time.
func (e *Engine) Handle(ctx context.Context, s Signal) []Decision {
	return e.HandleAt(ctx, time.Now(), s)
}

// HandleAt decides, at time t, what s changes, and returns the decisions
// in policy order (nil when there are none): one per matching policy whose
// (policy, target) has no action in effect yet, and one per revert that s
// brings about (its incident resolved, or it no longer matches a policy
// whose action it caused). A firing signal that repeats its incident
// decides nothing. It blocks while approvers, actions and undos run, each
// bounded by its timeout; policies are decided one after the other. t
// drives the guard rails (cooldown, blast radius, budget), the lifetime of
// actions and the audit time; it should not go backwards (a cooldown is
// then treated as still running). Cancelling ctx denies pending approvals
// and fails running actions.
func (e *Engine) HandleAt(ctx context.Context, t time.Time, s Signal) []Decision {
	if int(s.Kind) >= len(e.kinds) || !e.kinds[s.Kind] {
		return nil // no policy acts on this kind: nothing to track either
	}
	key := s.key()
	if !e.observe(key, s, t) {
		return nil
	}
	var out []Decision
	for _, p := range e.policies {
		if s.Phase == PhaseResolved {
			out = append(out, e.release(ctx, t, p, key, s, ReasonResolved)...)
			continue
		}
		if !p.When.matches(s) {
			out = append(out, e.release(ctx, t, p, key, s, ReasonNoLongerMatches)...)
			continue
		}
		if d, ok := e.decide(ctx, t, p, s, key); ok {
			out = append(out, d)
		}
	}
	return out
}

// decide runs one policy's decision path, in the documented order: target,
// pool, cooldown, blast radius, budget, dry run, approval, action. It
// decides nothing (false) when the (policy, target) already has an action
// in effect. A reversible action that runs, or would run in a dry run,
// becomes active, held by incident key.
func (e *Engine) decide(ctx context.Context, t time.Time, p *policyState, s Signal, key incidentKey) (Decision, bool) {
	target, ok := p.chooseTarget(s)
	if ok && p.reversible && e.holdActive(p, target, key, s) {
		return Decision{}, false
	}
	d := e.decideNew(ctx, t, p, s, target, ok)
	if p.reversible && (d.Outcome == OutcomeExecuted || d.Outcome == OutcomeDryRun) {
		e.activate(p, target, key, s, t, d.Outcome == OutcomeDryRun)
	}
	return d, true
}

func (e *Engine) decideNew(ctx context.Context, t time.Time, p *policyState, s Signal, target string, ok bool) Decision {
	rec := Record{
		Time:   canonicalTime(t),
		Policy: p.Name,
		Action: p.actionName,
		Target: boundString(target, MaxSignalString),
		Signal: recordSignal(s),
	}
	if !ok {
		return e.finish(p, rec, OutcomeDenied, ReasonTargetError, nil)
	}
	if p.pool != nil {
		if _, in := p.pool[target]; !in {
			return e.finish(p, rec, OutcomeDenied, ReasonNotInPool, nil)
		}
	}
	if reason := e.admit(p, target, t); reason != "" {
		return e.finish(p, rec, OutcomeRateLimited, reason, nil)
	}
	if p.DryRun {
		reason := ""
		if p.Critical {
			reason = ReasonApprovalNeeded
		}
		return e.finish(p, rec, OutcomeDryRun, reason, nil)
	}
	if p.Critical {
		awaiting := rec
		awaiting.Outcome, awaiting.Reason = OutcomeAwaitingApproval, ReasonApprovalNeeded
		awaiting = e.record(p, awaiting)
		start := time.Now()
		approval, reason, err := e.approve(ctx, p, target, s, awaiting.Seq)
		rec.Elapsed = time.Since(start)
		rec.Approver = boundString(approval.By, MaxSignalString)
		if reason != "" {
			return e.finish(p, rec, OutcomeDenied, reason, err)
		}
	}
	actx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	start := time.Now()
	_, err, timedOut, panicked := boundedCall(actx, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, p.Action.Do(ctx, target, s)
	})
	rec.Elapsed += time.Since(start)
	switch {
	case timedOut:
		return e.finish(p, rec, OutcomeFailed, ReasonActionTimeout, err)
	case panicked:
		return e.finish(p, rec, OutcomeFailed, ReasonActionPanic, errors.New("remediate: action panicked"))
	case err != nil:
		return e.finish(p, rec, OutcomeFailed, ReasonActionError, err)
	}
	return e.finish(p, rec, OutcomeExecuted, "", nil)
}

// chooseTarget calls the policy's target function outside every lock; a
// panic reports !ok.
func (p *policyState) chooseTarget(s Signal) (target string, ok bool) {
	if p.Target == nil {
		return s.target(), true
	}
	defer func() {
		if recover() != nil {
			target, ok = "", false
		}
	}()
	return p.Target(s), true
}

// admit applies cooldown, blast radius and budget, in that order, and
// commits all three when they pass, in one critical section. It returns
// the reason of the first guard rail that holds the action back, or "".
// The budget goes last because a token, once taken, is not given back.
func (e *Engine) admit(p *policyState, target string, t time.Time) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if p.Cooldown > 0 {
		if p.cooldown.cooling(p.Cooldown, target, t) {
			return ReasonCooldown
		}
		if p.pool == nil && p.cooldown.full(p.Cooldown, target, t) {
			return ReasonTargetLimit
		}
	}
	if !p.blast.allow(&p.BlastRadius, len(p.Pool), target, t) {
		return ReasonBlastRadius
	}
	budget := e.budget
	if p.DryRun {
		budget = e.shadowBudget
	}
	if budget != nil && !budget.AllowN(t, 1) {
		return ReasonBudget
	}
	p.cooldown.commit(p.Cooldown, target, t)
	p.blast.commit(&p.BlastRadius, target, t)
	return ""
}

// approve asks the approver, bounded by the approval timeout. reason is ""
// when approved.
func (e *Engine) approve(ctx context.Context, p *policyState, target string, s Signal, seq uint64) (Approval, string, error) {
	actx, cancel := context.WithTimeout(ctx, e.approvalTimeout)
	defer cancel()
	deadline, _ := actx.Deadline()
	req := Request{Policy: p.Name, Action: p.actionName, Target: target, Signal: s, Seq: seq, Deadline: deadline}
	a, err, timedOut, panicked := boundedCall(actx, func(ctx context.Context) (Approval, error) {
		return e.approver.Approve(ctx, req)
	})
	switch {
	case timedOut:
		return Approval{}, ReasonApprovalTimeout, err
	case panicked:
		return Approval{}, ReasonApprovalError, errors.New("remediate: approver panicked")
	case err != nil:
		return a, ReasonApprovalError, err
	case !a.Approved:
		return a, ReasonApprovalRefused, nil
	}
	return a, "", nil
}

// finish records the final step of a decision and returns it.
func (e *Engine) finish(p *policyState, rec Record, o DecisionOutcome, reason string, err error) Decision {
	rec.Outcome, rec.Reason = o, reason
	rec.Irreversible = !p.reversible && !rec.Revert && (o == OutcomeExecuted || o == OutcomeDryRun)
	if err != nil {
		rec.Error = boundString(err.Error(), maxErrorText)
	}
	rec = e.record(p, rec)
	return Decision{
		Policy: rec.Policy, Action: rec.Action, Target: rec.Target,
		Outcome: o, Reason: reason, Approver: rec.Approver, Err: err, Seq: rec.Seq,
		Revert: rec.Revert, Irreversible: rec.Irreversible,
	}
}

// record appends rec to the audit and counts it.
func (e *Engine) record(p *policyState, rec Record) Record {
	rec = e.audit.append(rec)
	e.metrics.actions.Add(context.Background(), 1, p.attrs[rec.Outcome])
	return rec
}

// Records returns a copy of the audit records the ring still holds, oldest
// first; Verify accepts it as is.
func (e *Engine) Records() []Record { return e.audit.records() }

// AuditHead returns the sequence number and hash of the last audit record
// (0 and the genesis hash before the first). Storing it where the audit's
// writer cannot change it lets a later Verify detect a truncated or
// rewritten log.
func (e *Engine) AuditHead() (seq uint64, hash string) { return e.audit.headState() }

// AuditWriteErrors counts audit records the io.Writer failed to take.
func (e *Engine) AuditWriteErrors() uint64 { return e.audit.writeErrors.Load() }
