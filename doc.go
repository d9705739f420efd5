// Package nines is an embeddable SDK that makes a Go service measure and
// defend its own availability: health checks, SLO and error-budget tracking,
// online anomaly detection and circuit-breaking remediation, all exported over
// OpenTelemetry metrics.
//
// This package holds no code; it documents how the packages fit together.
//
// # Packages
//
// The SDK follows the loop large operations teams run: perception ->
// decision -> remediation, exported as data so a fleet can be watched
// centrally.
//
//   - [github.com/nines-sre/nines/health]: liveness, readiness and startup
//     checks that run in the background and answer probes from cached state;
//     Kubernetes text, application/health+json and gRPC health v1.
//   - [github.com/nines-sre/nines/slo]: objectives, error budgets, burn rates
//     and multiwindow multi-burn-rate alerts computed in process.
//   - [github.com/nines-sre/nines/detect]: online anomaly detectors for
//     metric streams, a per-series monitor and peer-group outliers.
//   - [github.com/nines-sre/nines/logpattern]: a streaming log-template
//     miner (slog.Handler and io.Writer inputs) whose per-template counts
//     and new templates feed the same detectors and remediation.
//   - [github.com/nines-sre/nines/remediate]: the guarded remediation
//     engine (signal -> policy -> action, with approval, cooldown, blast
//     radius, budget, dry run and audit).
//   - [github.com/nines-sre/nines/remediate/breaker]: circuit breakers on
//     sony/gobreaker v2; [github.com/nines-sre/nines/remediate/admit]: load
//     shedding and adaptive concurrency. Both are leaves the engine drives.
//   - [github.com/nines-sre/nines/availability]: the facade that wires the
//     four together, with net/http and gRPC middleware.
//   - [github.com/nines-sre/nines/exporters]: MeterProvider set-up
//     (Prometheus by default, stdout, any push exporter), and Prometheus
//     rules generated from SLOs.
//
// Sub-packages: [github.com/nines-sre/nines/health/checks] (built-in checks
// that reuse the application's clients), [github.com/nines-sre/nines/health/healthgrpc]
// and [github.com/nines-sre/nines/availability/availgrpc] (gRPC health v1 and
// interceptors, kept apart so that a service without gRPC does not link it),
// [github.com/nines-sre/nines/exporters/otlp] (OTLP exporters, apart for the
// same reason), [github.com/nines-sre/nines/slo/openslo] (OpenSLO import,
// which keeps the YAML parser out of slo) and
// [github.com/nines-sre/nines/detect/eval] (NAB-compatible scoring).
//
// health, slo, detect, logpattern, remediate/breaker and remediate/admit
// are leaves: they import only the standard library, the OpenTelemetry
// metric API and the module's internal/ packages (breaker also sony/gobreaker, admit
// golang.org/x/time/rate). remediate may import them to subscribe to their
// signals; availability imports them all. Only exporters (with
// exporters/otlp), tests and examples import the OpenTelemetry SDK. A test
// in this package enforces the direction.
//
// # Two paths
//
// The request path (per request) adds to atomic counters and never
// allocates, takes a global lock, calls a dependency or calls a synchronous
// OpenTelemetry instrument: even http.server.request.duration, the one
// synchronous instrument (the OTel API has no observable histogram), is
// recorded by the availability Monitor's recorder goroutine from a
// lock-free ring while the Monitor runs (at once when the ring is full, the
// Monitor stopped, or the request's trace sampled). The tick path (per interval, in the background)
// rotates buckets, evaluates alerts, feeds detectors and fires listeners.
// Metric collection reads snapshots through observable callbacks; it never
// runs a check or a detector.
//
// # Conventions
//
// Constructors are NewX(required..., opts ...Option); options are WithX.
// Time is an argument wherever it matters (RecordAt, ObserveAt) beside a
// shorthand that reads the clock. Nothing starts on import or construction:
// background work starts in Start(ctx) and ends in an idempotent
// Shutdown(ctx). User callbacks are never called while a lock is held.
// Invalid configuration is rejected at construction with an error that names
// the field and the value.
//
// # Telemetry schema
//
// The instrument names, units and attributes below are a contract, locked by
// golden tests in each package. States follow the OpenTelemetry status-metric
// pattern: one series per state, value 1 for the current state and 0 for the
// others.
//
//	instrument                   kind, unit                attributes
//	health.check.status          observable gauge, 1       health.check.name, health.check.state (pass, warn, fail, unknown)
//	health.check.duration        histogram, s              health.check.name, health.check.outcome
//	health.check.executions      counter                   health.check.name, health.check.outcome (pass, warn, fail, timeout, panic)
//	health.status                observable gauge, 1       health.group (live, ready, startup), health.state (pass, warn, fail, draining)
//	slo.events                   observable counter        slo.name, slo.outcome (good, bad)
//	slo.objective                observable gauge, 1       slo.name
//	slo.error_budget.remaining   observable gauge, 1       slo.name
//	slo.burn_rate                observable gauge, 1       slo.name, slo.window (5m, 30m, 1h, 2h, 6h, 1d, 3d)
//	slo.alert.status             observable gauge, 1       slo.name, slo.alert.severity (page, ticket), slo.alert.state (firing, ok)
//	anomaly.score                observable gauge, 1       anomaly.series
//	anomaly.detections           counter                   anomaly.series, anomaly.detector
//	circuit_breaker.status       observable gauge, 1       circuit_breaker.name, circuit_breaker.state (closed, open, half_open)
//	circuit_breaker.calls        observable counter        circuit_breaker.name, circuit_breaker.outcome (success, failure, slow, rejected, excluded)
//	circuit_breaker.transitions  counter                   circuit_breaker.name, circuit_breaker.from, circuit_breaker.to
//	load_shedding.rejections     observable counter        load_shedding.name, load_shedding.reason (rate, concurrency, priority)
//	concurrency.limit            observable gauge          concurrency.name
//	remediation.actions          counter                   remediation.policy, remediation.action, remediation.outcome (executed, dry_run, awaiting_approval, denied, rate_limited, failed, reverted)
//	remediation.webhook.requests counter                   remediation.webhook.outcome (accepted, unauthorized, too_large, bad_request, method_not_allowed, unavailable)
//	remediation.webhook.alerts   counter                   remediation.webhook.outcome (submitted, duplicate, dropped)
//	http.server.request.duration histogram, s              http.request.method, http.route, http.response.status_code, error.type
//	log.template.records         observable counter        log.template.id (at most N granted template IDs, then other)
//	log.template.count           observable gauge          (templates currently known)
//
// slo.events are cumulative so that Prometheus can sum(rate(...)) them
// across replicas; the in-process burn rates serve local decisions.
//
// Attribute values are bounded by construction: route templates, never raw
// paths; names given by the developer, never taken from a request.
package nines
