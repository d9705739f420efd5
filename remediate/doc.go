// Package remediate is the guarded remediation engine: it turns signals
// (health status changes, SLO alerts, anomalies, your own) into actions
// (force a breaker open, shed load, drain readiness, call your function),
// within guard rails (cooldown, blast radius, budget, dry run, human
// approval), and writes every decision to a hash-chained audit.
//
// The mechanisms the actions drive live in their own packages, which do
// not need the engine: [github.com/nines-sre/nines/remediate/breaker]
// (circuit breakers) and [github.com/nines-sre/nines/remediate/admit]
// (load shedding and adaptive concurrency).
//
// # Which method to use
//
// Build an [Engine] with [NewEngine] from a [Config] (its policies, budget
// and approver), subscribe it to your producers, Start it, and Shutdown it
// on exit:
//
//	e, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
//		Name:     "open-payments-on-db-failure",
//		When:     remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalHealthStatus}},
//		Action:   remediate.BreakerMode(breaker.ModeForcedOpen, map[string]remediate.ModeSetter{"payments-db": payments}),
//		Cooldown: 5 * time.Minute,
//	}}})
//	defer e.SubscribeHealth(registry)()
//	err = e.Start(ctx)
//	defer e.Shutdown(ctx)
//
// [Engine.Submit] is what a producer's listener calls; it never blocks.
// [Engine.Handle] and [Engine.HandleAt] decide synchronously and return the
// decisions, for code that needs them and for tests that drive time.
//
// # Signals
//
// A [Signal] is the seam with any producer: a health status change (Kind
// SignalHealthStatus, Source the check, State status.String()), an SLO
// alert (SignalSLOAlert, Source the objective, Severity critical for page
// and warning for ticket, Value the burn rate), an anomaly (SignalAnomaly,
// Source the series, Value the score, Severity info) or the user's own
// (SignalCustom). [SignalFromHealth], [SLOIncidents] and
// [SignalFromAnomaly] do those mappings, and [Engine.SubscribeHealth],
// [Engine.SubscribeSLO] and [Engine.SubscribeAnomalies] wire a producer to
// an engine in one call (each returns its remove function).
//
// Signals have a lifecycle, so that one incident is one stream, not a
// burst of parallel signals. Signal.Incident is a stable key shared by
// every signal of one incident (empty means Kind:Source, or
// Kind:Source/Target); Signal.Phase says where the incident stands:
//
//   - PhaseFiring: the condition holds. A producer sends it when the
//     incident starts and again when its Severity or State changes
//     (escalates or eases); repeats with the same Severity and State are
//     dropped by the engine before any policy sees them.
//   - PhaseResolved: the condition is over. No policy sees it; the engine
//     reverts the actions the incident caused.
//   - PhaseEvent (the zero value): a point observation that never says
//     when it is over, such as an anomaly. Its incident counts as over once
//     Config.Quiet passes without another signal of it.
//
// SLOIncidents folds an objective's burn-rate tiers (by default two page
// and two ticket tiers, which one outage fires one after the other) into
// one stream per objective, Incident "slo:" plus the objective: firing at
// warning (tickets only) or critical (a page tier fires), and resolved when
// the last tier resolves. A health check is one incident per check: fail
// fires critical, warn and unknown fire warning, pass resolves. Another
// producer maps onto the same fields; for an Alertmanager webhook, one
// alert's fingerprint is the Incident, its status "firing" or "resolved"
// the Phase, and its severity label the Severity.
//
// Anomalies are of severity info, below a ticket: by default they reach
// the timeline and /statusz of the availability Monitor, and the audit's
// producers, but no policy acts on them unless its Match lists
// SignalAnomaly explicitly (an empty Match.Kinds means every kind but
// anomalies).
//
// # Fleet alerts from Alertmanager
//
// A [Receiver] (NewReceiver, or the availability Monitor's
// AlertmanagerReceiver) is an http.Handler for Alertmanager's webhook
// (payload version 4, [ParseAlertmanagerMessage]): each alert becomes a
// Signal ([SignalFromAlertmanager]: the alert's fingerprint is its
// incident, firing and resolved its phases, its slo_name label the Source
// of an SLO alert) submitted to the engine, so fleet alerts go through the
// same policies, approval, guard rails, dry run, audit and revert as local
// ones. It requires credentials ([WithBearerToken] or [WithBasicAuth],
// compared in constant time; 401 otherwise), bounds the body
// ([WithMaxBodyBytes]; 413), and hands on one signal per transition of
// each (group key, fingerprint): Alertmanager's re-sends and an HA pair's
// copies are duplicates.
//
// # Policies and guard rails
//
// A [Policy] says when (Match: kinds and a predicate), what (an [Action]:
// [BreakerMode], [ShedLevel], [Drain], [Undrain], [Func] or
// [ReversibleFunc]) and on which target. For each matching policy, in
// order: the target is chosen; a (policy, target) whose action is already
// in effect decides nothing again; a target outside Pool is denied; a
// (policy, target) still in Cooldown is rate limited; an action that would
// take more than BlastRadius.MaxPercent of Pool within the window, counting
// itself, is rate limited (MinTargets lets a pool of one act); the global
// Budget (a token bucket) must have a token; a dry run stops here; a
// Critical policy asks the [Approver] and is denied if no answer comes
// before Config.ApprovalTimeout; the action runs with its timeout, and its
// failure is recorded, never fatal. Guard rails are used up as soon as they
// pass, so a refused approval or a failed action still cools down.
//
// # Actions with a lifetime
//
// An action that changes state is a [Reverter]: it can undo what it did.
// BreakerMode to a forced mode (undo: ModeNormal), ShedLevel above
// Sheddable ("shed_below_normal", "shed_below_critical"; undo: stop
// shedding), Drain (undo: Undrain) and ReversibleFunc are; Func, and the
// restoring actions BreakerMode(ModeNormal), ShedLevel(Sheddable)
// ("stop_shedding") and Undrain, are not, and their decisions say
// Irreversible.
//
// The engine records an executed Reverter as active for its (policy,
// target), held by the incident of the signal that caused it, and reverts
// it, as a decision of its own (outcome reverted; audited, logged and
// counted like any other), when the first of these happens:
//
//   - every incident holding it has resolved ([ReasonResolved]);
//   - its incident's latest signal no longer matches the policy, such as a
//     page easing to a ticket under a page policy ([ReasonNoLongerMatches]);
//   - an incident of PhaseEvent signals (anomalies) has been quiet for
//     Config.Quiet, 10 minutes by default ([ReasonQuiet]);
//   - it has been in effect for the policy's MaxDuration ([ReasonMaxDuration]);
//   - [Engine.Shutdown], unless Config.KeepOnShutdown ([ReasonShutdown]).
//
// A revert is cooldown-aware: one due less than the policy's Cooldown
// after the action waits until then, and is cancelled if the cause comes
// back meanwhile, so a flapping signal cannot toggle a target faster than
// the cooldown. It is dry-run-aware: a dry-run action is tracked the same
// way and gets a dry-run revert. It takes no budget token and asks no
// approver: it puts back the state the service had before the engine
// acted, and a shed or a drain left in place while waiting is the harm
// reverts exist to prevent. A failed undo leaves the action in effect and
// is tried again after the cooldown (at least a minute). Time-based
// reverts run on [Engine.TickAt], which the goroutine of [Engine.Start]
// calls every second and the availability Monitor calls on its ticks.
// [Engine.ActiveActions] lists what is in effect. Active actions are not
// persisted: Shutdown reverts them because nothing would after a restart.
//
// # Audit
//
// Every decision is a [Record] (signal, policy, action, target, outcome,
// reason, approver, time) in a SHA-256 hash chain: [Verify] pinpoints the
// first altered, removed or reordered record after the first one it is
// given, [VerifyJSONLines] also requires a complete log to start at seq 1,
// and [VerifyHead] checks the end of the chain against [Engine.AuditHead]
// kept elsewhere (a log cut short or rewritten wholesale). Records are kept
// in a bounded ring ([Engine.Records]), written as JSON lines to an optional
// io.Writer ([WithAuditWriter]; [ReadRecords], [VerifyJSONLines]) and logged
// through log/slog (slog.Default unless [WithAuditLogger] says otherwise):
// one line per executed, reverted or dry-run action at info, the skips
// (rate limited, denied) at debug, failures at error; the hash stays in the
// record.
//
// # Zero values, lifecycle and concurrency
//
// The zero Config is valid (an engine with no policies); its zero fields
// mean documented defaults, and [Config.Validate] reports an invalid field
// and its value with an error wrapping [ErrInvalidConfig], as NewEngine
// does. The zero Engine is not usable. An Engine is safe for concurrent use.
//
// A decision may wait minutes for an approver, so producers never call it
// on their own path: Submit (and the Subscribe methods) only puts the
// signal in a bounded queue (Config.QueueSize; a full queue drops the
// signal and counts it in [Engine.DroppedSignals]) and returns, without
// allocating. The goroutine started by [Engine.Start] decides queued
// signals one at a time, at the time it takes them by the engine's clock
// (the signal's Time is kept in the audit). Start and Shutdown behave as in
// every nines component: Start returns ctx.Err() first, then [ErrClosed]
// after Shutdown or [ErrStarted] when running, and cancelling its ctx later
// does not stop the engine; [Engine.Shutdown] is idempotent, lets the
// goroutine finish the queue, or cancels it when its own ctx ends.
//
// Guard rails are checked and committed under one engine mutex, never held
// while user code runs (predicates, target functions, approvers, actions,
// the audit writer and logger), so user code may call back into the
// engine, and two concurrent signals can never both pass one cooldown or
// one blast-radius slot. Approvers and actions run on their own goroutine
// so that their deadline holds even if they ignore ctx.
//
// # Metrics
//
// [WithMeterProvider] sets the engine's MeterProvider and
// [WithReceiverMeterProvider] a Receiver's (default
// otel.GetMeterProvider()). The instruments, in the instrumentation scope
// github.com/nines-sre/nines/remediate:
//
//	remediation.actions           counter  remediation.policy, remediation.action, remediation.outcome (executed, dry_run, awaiting_approval, denied, rate_limited, failed, reverted)
//	remediation.webhook.requests  counter  remediation.webhook.outcome (accepted, unauthorized, too_large, bad_request, method_not_allowed, unavailable)
//	remediation.webhook.alerts    counter  remediation.webhook.outcome (submitted, duplicate, dropped)
//
// # Performance
//
// A signal of a kind no policy watches costs about 40 ns, one a watching
// policy's predicate refuses about 0.5 µs (the engine remembers its
// incident), neither allocating. A decision costs 10-50 µs and 22-33
// allocations (audit encoding and hashing), which is fine because the guard rails keep decisions rare; the
// remediation.actions counter is synchronous for the same reason. Submit
// takes one mutex per engine and does not allocate; the Signal adapters
// allocate the Attributes map. A Receiver handles a one-alert notification
// in about 70 µs and refuses a wrong token in about 11 µs, request
// plumbing included (BenchmarkReceiver, on a loaded 2-core machine):
// notifications come every group_interval, not per request.
//
// # Cardinality
//
// remediation.actions has one series per (policy, action, outcome):
// policy and action names are set by the developer and validated at
// NewEngine; targets and signal fields never become attributes. The
// receiver's two counters have six and three series: nothing of a request
// (receiver name, labels, group key) becomes an attribute.
package remediate
