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
//   - [github.com/nines-sre/nines/synthetic]: scripted multi-step HTTP
//     (and, through synthetic/grpccheck, gRPC) checks run on a schedule:
//     synthetic transactions; each check is a health check, two SLOs and
//     metrics.
//   - [github.com/nines-sre/nines/availability]: the facade that wires them
//     together, with net/http and gRPC middleware.
//   - [github.com/nines-sre/nines/exporters]: MeterProvider set-up
//     (Prometheus by default, stdout, any push exporter), and Prometheus
//     rules generated from SLOs.
//
// Sub-packages: [github.com/nines-sre/nines/health/checks] (built-in checks
// that reuse the application's clients), [github.com/nines-sre/nines/health/healthgrpc]
// and [github.com/nines-sre/nines/availability/availgrpc] (gRPC health v1 and
// interceptors, kept apart so that a service without gRPC does not link it),
// [github.com/nines-sre/nines/exporters/otlp] (OTLP exporters, apart for the
// same reason), [github.com/nines-sre/nines/remediate/eject] (per-replica
// statistics, peer outliers and their ejection through the engine, with a
// balancing RoundTripper), [github.com/nines-sre/nines/slo/openslo] (OpenSLO import,
// which keeps the YAML parser out of slo),
// [github.com/nines-sre/nines/synthetic/grpccheck] (gRPC steps for synthetic
// checks, which keeps gRPC out of synthetic),
// [github.com/nines-sre/nines/synthetic/yamlcheck] (synthetic checks from
// YAML files, which keeps the YAML parser out of synthetic) and
// [github.com/nines-sre/nines/detect/eval] (NAB-compatible scoring).
//
// health, slo, detect, logpattern, remediate/breaker and remediate/admit
// are leaves: they link only the standard library, the OpenTelemetry API
// (otel, attribute and metric, never the SDK) and the module's internal/
// packages (breaker also sony/gobreaker, admit golang.org/x/time/rate), and
// import no other package of the module. remediate (to subscribe to their
// signals) and synthetic (to be health checks and SLOs) may import the
// leaves, remediate/eject the leaves and remediate, and availability the
// leaves, remediate, remediate/eject and synthetic; none of these links a
// third-party package beyond the leaves' (so no gRPC, no YAML parser, no
// OpenTelemetry SDK). Heavy dependencies stay in sub-packages: exporters
// imports no package of the module but slo (and internal/) and links
// neither gRPC nor OTLP (exporters/otlp does); slo links no YAML parser
// (slo/openslo does); synthetic links neither YAML nor gRPC,
// synthetic/yamlcheck no gRPC and synthetic/grpccheck no YAML, so that a
// service reading YAML checks links no gRPC and a gRPC prober no YAML; and
// examples/httpservice, a Prometheus-only service, links neither gRPC nor
// OTLP. The tests in deps_test.go enforce these floors on everything each
// of those packages links (go list -deps), not only on its direct imports.
// Outside these floors, only exporters and exporters/otlp import the
// OpenTelemetry SDK (tests and examples aside); no test checks that.
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
//	peer.outliers                counter                   peer.dependency, peer.metric (error_ratio, latency)
//	peer.outliers.active         updowncounter             peer.dependency, peer.metric
//	http.server.request.duration histogram, s              http.request.method, http.route, http.response.status_code, error.type
//	log.template.records         observable counter        log.template.id (at most N granted template IDs, then other)
//	log.template.count           observable gauge          (templates currently known)
//	synthetic.check.duration     histogram, s              synthetic.check.name, synthetic.step (a step's name, or total for the whole run), synthetic.phase (resolve, connect, tls, processing, transfer, total)
//	synthetic.check.runs         counter, {run}            synthetic.check.name, synthetic.outcome (pass, degraded, fail, timeout)
//
// slo.events are cumulative so that Prometheus can sum(rate(...)) them
// across replicas; the in-process burn rates serve local decisions.
//
// Attribute values are bounded by construction: route templates, never raw
// paths; names given by the developer, never taken from a request.
package nines
