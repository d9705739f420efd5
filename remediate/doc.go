// Package remediate is the guarded remediation engine (signal -> decision
// -> action, with approval, cooldown, dry-run and audit). Circuit breakers
// are in package breaker, load shedding and adaptive concurrency in package
// admit.
//
// # Remediation engine
//
// [Engine] turns signals into guarded actions: perception -> decision ->
// remediation. A [Signal] is the seam with any producer: a health status
// change (Kind SignalHealthStatus, Source the check, State status.String()),
// an SLO alert transition (SignalSLOAlert, Source the objective, State
// "firing"/"ok", Severity critical for page and warning for ticket, Value
// the burn rate), an anomaly (SignalAnomaly, Source the series, Value the
// score) or the user's own (SignalCustom). [SignalFromHealth],
// [SignalFromSLOAlert] and [SignalFromAnomaly] do those mappings, and
// [Engine.SubscribeHealth], [Engine.SubscribeSLO] and
// [Engine.SubscribeAnomalies] wire a producer to an engine in one call; a
// user's own producer calls [Engine.Submit].
//
// # Policies and guard rails
//
// A [Policy] says when (Match: kinds and a predicate), what (an [Action]: a
// breaker mode, a shedding level, drain/undrain readiness, or a Func) and
// on which target. For each matching policy, in order: the target is
// chosen; a target outside Pool is denied; a (policy, target) still in
// Cooldown is rate limited; an action that would take more than
// BlastRadius.MaxPercent of Pool within the window, counting itself, is
// rate limited (MinTargets lets a pool of one act); the global Budget (a
// token bucket) must have a token; a dry run stops here; a Critical policy
// asks the [Approver] and is denied if no answer comes before
// Config.ApprovalTimeout; the action runs with its timeout, and its
// failure is recorded, never fatal. Guard rails are used up as soon as
// they pass, so a refused approval or a failed action still cools down.
//
// # Audit
//
// Every decision is a [Record] (signal, policy, action, target, outcome,
// reason, approver, time) in a SHA-256 hash chain: [Verify] pinpoints the
// first altered, removed or reordered record after the first one it is
// given, [VerifyJSONLines] also requires a complete log to start at seq 1,
// and [VerifyHead] checks the end of the chain against [Engine.AuditHead]
// kept elsewhere (a log cut short or rewritten wholesale). Records are
// kept in a bounded ring ([Engine.Records]), written as JSON lines to an
// optional io.Writer ([WithAuditWriter]; [ReadRecords], [VerifyJSONLines])
// and logged through log/slog (slog.Default unless [WithAuditLogger] says
// otherwise).
//
// # Concurrency
//
// A decision may wait minutes for an approver, so producers never call it
// on their own path: [Engine.Submit] (and the Subscribe methods) only puts
// the signal in a bounded queue (Config.QueueSize; a full queue drops the
// signal and counts it in [Engine.DroppedSignals]) and returns. The
// goroutine started by [Engine.Start] decides queued signals one at a
// time, at the time it takes them by the engine's clock (the signal's Time
// is kept in the audit); [Engine.Shutdown] lets it finish the queue, or
// cancels it when its context ends. [Engine.Handle] and [Engine.HandleAt]
// are the synchronous forms, for code that needs the decisions or drives
// time itself: they return when every matching policy has decided, which
// for a critical policy means after the approver answered or timed out.
// Guard rails are checked and committed under one engine mutex, never held
// while user code runs (predicates, target functions, approvers, actions,
// the audit writer and logger), so user code may call back into the
// engine.
//
// # Metrics
//
// Every constructor ([NewBreaker], [NewShedder], [NewConcurrencyLimiter],
// [NewEngine]) takes the same [Option] type; [WithMeterProvider] applies to
// all of them (default otel.GetMeterProvider()), the other options to one,
// and a constructor given an option that does not apply to it returns an
// error wrapping [ErrInvalidConfig] that names it. Instruments, as in the
// nines telemetry schema:
//
//	circuit_breaker.status       observable gauge, 1   circuit_breaker.name, circuit_breaker.state (closed, open, half_open)
//	circuit_breaker.calls        observable counter    circuit_breaker.name, circuit_breaker.outcome (success, failure, slow, rejected, excluded)
//	circuit_breaker.transitions  counter               circuit_breaker.name, circuit_breaker.from, circuit_breaker.to
//	load_shedding.rejections     observable counter    load_shedding.name, load_shedding.reason (rate, concurrency, priority)
//	concurrency.limit            observable gauge      concurrency.name
//	remediation.actions          counter               remediation.policy, remediation.action, remediation.outcome (executed, dry_run, awaiting_approval, denied, rate_limited, failed)
//
// The status gauge reports closed from the first collection. It reads the
// state recorded at the last transition: an open breaker whose timeout has
// passed shows open until a call (or State) moves it to half-open.
//
// # Performance
//
// On the closed path Execute adds no allocation to gobreaker's Execute and
// takes no lock of its own: outcomes go to atomic counters read by the
// observable callbacks at collection; transitions (rare) add to the
// transitions counter. time.Now is read only when SlowThreshold is set;
// then each call also takes the slow window's mutex (one per breaker).
// Allow adds no allocation to gobreaker's two-step form, which allocates one
// closure per call. Shedder.AllowAt and ConcurrencyLimiter acquire/release
// do not allocate for known keys; a new key allocates its bucket. The
// per-key map has one mutex per Shedder, never a global one. Allocation
// tests guard these paths; bench/remediate compares them with gobreaker,
// failsafe-go and x/time/rate.
//
// In the engine, a signal no policy matches costs about 20-30 ns and no
// allocation. A decision costs about 10 µs and 22-31 allocations (audit
// encoding and hashing), which is fine because the guard rails keep
// decisions rare; the remediation.actions counter is synchronous for the
// same reason. Submit takes one mutex per engine and does not allocate;
// the Signal adapters allocate the Attributes map.
//
// # Cardinality
//
// Breaker, shedder and limiter names are chosen by the developer and become
// attribute values: never derive them from requests. Shedder keys (tenants,
// clients) are never attributes; they are bounded in memory by MaxKeys.
// One breaker yields 3 status, 5 calls and at most 6 transition series.
// remediation.actions has one series per (policy, action, outcome):
// policies and action names are set by the developer and validated at
// NewEngine; targets and signal fields never become attributes.
package remediate
