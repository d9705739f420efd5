// Package health runs a process's health checks in the background and
// answers liveness, readiness and startup probes from their cached
// results, so a probe never calls a dependency and a slow or hung
// dependency never slows a probe.
//
// Most callers build a Registry, Register a few Check values, mount
// Registry.Handler for each group at /livez, /readyz and /startupz, call
// Registry.Start, and on SIGTERM call Registry.Shutdown before stopping
// their servers. The gRPC health v1 service in
// health/healthgrpc and the built-in checks in health/checks build on the
// same Registry.
//
// # Checks
//
// A Check is a plain struct: a Name, a CheckFunc, the groups it belongs
// to, and scheduling settings whose zero values are sane defaults
// (Interval 10s, Timeout 2s, thresholds 1, MaxAge 2*Interval+Timeout).
// Register validates it and names the offending field and value in its
// error (wrapping [ErrInvalidConfig]). A check marked External (it depends
// on another system) is refused in Liveness unless AllowExternalInLiveness
// forces it: a dependency outage failing every replica's liveness probe
// restarts the whole fleet at once.
//
// # Groups and aggregation
//
// Each check's status is its last results seen through hysteresis:
// FailureThreshold consecutive failures turn it StatusFail,
// SuccessThreshold consecutive passes turn it healthy again, pass and warn
// replace each other at once. It reads StatusUnknown until the thresholds
// first settle it, and again once its last result is MaxAge old, so that a
// wedged scheduler cannot keep serving a stale pass.
//
// A group is StatusFail if a critical check fails, StatusUnknown if a
// critical check is unknown, StatusWarn if any check warns or a
// NonCritical check fails or goes stale, StatusPass otherwise (also
// when empty). Readiness and Startup are therefore not ready until every
// critical check has passed once; Liveness starts alive and ignores
// checks that have not settled yet, as Kubernetes does. Readiness reads
// StatusDraining after Drain and after Shutdown.
//
// # Draining
//
// A load balancer or a kubelet polls readiness every few seconds, so a
// process that stops listening the instant it withdraws readiness is seen
// as refusing connections, never as not ready. Shutdown therefore drains
// first: it withdraws readiness and keeps the registry running, checks and
// probes, for the drain delay (WithDrainDelay; DefaultDrainDelay, 15 s,
// is a Kubernetes readiness period x failure threshold of 5 s x 2 plus
// about 5 s of endpoint propagation; at most MaxDrainDelay, 10 min),
// counted from the first Drain, and only then stops. Stop the servers
// after Shutdown returns. Drain (or DrainOnSignal) withdraws readiness
// earlier without stopping anything.
//
// # Scheduling
//
// Nothing runs before Start. Each check then runs on its own schedule,
// every Interval shortened by a random jitter (WithJitter), first after
// its InitialDelay. At most one run of a check is in flight: the registry
// enforces the Timeout itself, recording a failed timeout at the deadline
// even if the function ignores its context, and while a hung run has not
// returned each scheduled run is recorded as a timeout again without
// starting anything, so a hung check holds one goroutine, not one per
// interval. A panicking check becomes a failed result carrying the panic
// message. RunChecks runs every check once on demand (a warm-up before
// serving, or deterministic tests).
//
// Every run's context is marked as the library's own traffic
// (availability.IsOwnTraffic reports it): a check that calls a dependency
// through the application's instrumented client is then not counted in
// that dependency's SLOs, breaker or detectors, so a slow check cannot page
// or trip anything; the call still goes out and sees the dependency fail.
//
// # Probes
//
// Registry.Handler follows the Kubernetes conventions: "ok" with 200
// while the group passes or warns, 503 with a per-check listing when it
// fails, is unknown or draining; ?verbose, ?exclude=NAME and /readyz/NAME
// sub-paths; application/health+json (draft-inadarei-api-health-check-06)
// by Accept negotiation, with checks keyed "name" or "name:measurement".
//
// # Security
//
// Probe endpoints are often reachable from outside the cluster, so error
// text (which names hosts, users, queries) is withheld by default: the
// responses say "reason withheld", and application/health+json leaves out
// observedValue and observedUnit, which a check may fill with the same
// kind of text. WithDetailsAuthorizer shows both to the requests it
// allows. Rendering never walks an observed value encoding/json refuses
// (a cycle, a channel): it is shown as "unencodable" and its type, so no
// check result can crash the process through a probe. Check names come from the developer;
// the only request text a response echoes is an ?exclude name that
// matches no check, and only if it has the shape of a check name
// ([A-Za-z0-9._-], as Kubernetes warns "no matches for ...").
//
// # Listeners
//
// OnChange registers a listener for every transition of a check or a
// group (previous and current status) and returns the function that
// removes it. Listeners run outside every lock, one at a time, in the
// order the transitions happened; a listener may call the Registry,
// including Drain. A panicking listener is recovered: the others still
// hear the transition and the scheduler carries on.
//
// # Lifecycle
//
// Start and Shutdown behave as in every nines package. Start returns
// ctx.Err() for a done ctx, ErrClosed after Shutdown and ErrStarted when
// already running; cancelling the ctx given to Start later stops nothing
// (its values still reach the checks). Shutdown is idempotent and waits
// for every goroutine the registry started, or returns ctx.Err().
// Register and RunChecks return ErrClosed after Shutdown. A Check the
// registry refuses yields an error wrapping ErrInvalidConfig that names
// the check, the field and the value. NewRegistry returns no error, so an
// invalid option (a WithDrainDelay out of bounds) is reported by every
// Register and Start instead, wrapping ErrInvalidConfig and naming the
// option and the value; such a registry never starts.
//
// # Metrics
//
// The registry creates, on the MeterProvider given by WithMeterProvider
// (default otel.GetMeterProvider()), the instruments of the nines
// telemetry schema:
//
//	health.check.status      observable gauge, 1   health.check.name, health.check.state (pass, warn, fail, unknown)
//	health.check.duration    histogram, s          health.check.name, health.check.outcome
//	health.check.executions  counter               health.check.name, health.check.outcome (pass, warn, fail, timeout, panic)
//	health.status            observable gauge, 1   health.group (live, ready, startup), health.state (pass, warn, fail, draining)
//
// The gauges follow the status-metric pattern: 1 for the current state,
// 0 for the others; a group that is StatusUnknown reads 0 in all four of
// its states. Collection reads cached state only and never runs a check.
//
// # Performance
//
// A probe reads an atomically swapped snapshot of each check of its
// group and calls time.Now once: no lock, no dependency call, and the
// plain "ok" answer allocates nothing (guarded by an AllocsPerRun test).
// A failing, verbose or per-check text answer allocates three times (its
// report, check list and body: guarded by an AllocsPerRun test), however
// many checks the group has; a JSON answer allocates what encoding/json
// needs, about five times per check.
// Each check costs one goroutine for its schedule plus, while it runs,
// one for the run; the registry adds one goroutine watching for stale
// results.
//
// # Cardinality
//
// health.check.status has 4 series per check; health.check.duration and
// health.check.executions at most 5 outcomes per check; health.status
// has 12 series. Check names are fixed at Register, so the total is
// bounded by the code, never by traffic.
package health
