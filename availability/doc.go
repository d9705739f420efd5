// Package availability is the facade of nines: one Monitor wires health
// checks, SLOs, anomaly detection and remediation around a service, with
// net/http server middleware, a client RoundTripper, transport-neutral
// endpoints for gRPC interceptors, and one handler for the operational
// endpoints.
//
// Most callers need a few lines in main:
//
//	prov, err := exporters.New(ctx) // an OTel MeterProvider exporting to Prometheus
//	defer prov.Shutdown(ctx)        // flushes the exporters, last
//	m, err := availability.New(
//		availability.WithMeterProvider(prov.MeterProvider()),
//		availability.WithRouteObjectives(availability.RouteObjectives{
//			Availability: 0.999, Latency: 300 * time.Millisecond,
//		}),
//		availability.WithMetricsHandler(prov.MetricsHandler()), // served as /metrics by m.Handler()
//	)
//	...
//	srv := &http.Server{Handler: m.Middleware(mux)}
//	client := &http.Client{Transport: m.RoundTripper(nil)}
//	go http.ListenAndServe("localhost:9090", m.Handler()) // /livez /readyz /startupz /statusz /metrics
//	m.Start(ctx)
//	defer m.Shutdown(ctx)
//
// Without WithMetricsHandler, /metrics answers 404; without
// WithMeterProvider, the metrics go to otel.GetMeterProvider().
//
// # Endpoints
//
// Every route (the Go 1.22+ ServeMux pattern), gRPC method and outbound
// dependency is an Endpoint with the SLOs of WithRouteObjectives (or of its
// WithObjectivesFor override, whose zero value means none): an
// availability objective (5xx and panics are bad) and a latency objective
// (good within the threshold); a client endpoint also has a circuit breaker
// (WithClientBreakers). Routes declared with WithRoutes and dependencies
// declared with WithDependencies (a name and the hosts that reach it)
// exist from New on, so Monitor.Objectives lists every objective before
// the first request, for exporters.PrometheusRules; others are created on
// first sight. Monitor.Breaker finds a dependency's breaker by its name, for
// a remediation policy to act on.
//
// An endpoint has one spelling, its ID, in every name nines makes of it:
// SLO names, detector series, the breaker, events and /statusz. SLO names
// are limited to [A-Za-z0-9_.:-] (they are also file and rule group
// names), so a pattern is spelled with ':' after the method, '.' for '/'
// and wildcards without braces: "GET /products/{id}" is "GET:products.id",
// whose SLOs are "route:GET:products.id:availability" and ":latency" and
// whose series are "route:GET:products.id:p99"...; the dependency
// "inventory" is "client:inventory:availability", its breaker
// "client:inventory". Metrics keep the OTel semantic conventions
// (http.route is the path template).
//
// # Own traffic
//
// Requests the service makes for itself are not user traffic: a health
// check calling a dependency through the application's client must not
// burn its SLO, trip its breaker, feed the detectors or be shed, or a slow
// check pages with no fault at all. A context marked by OwnTraffic (the
// health registry marks every check run; checks.HTTPGet marks its request)
// makes the RoundTripper and the availgrpc client let the call through
// whatever the breaker says (a check must see the dependency fail and
// recover) and count it nowhere; the mark travels as the OwnTrafficHeader
// header or metadata. A server honours that header only with
// WithOwnTrafficHeader (availgrpc.WithOwnTrafficMetadata): trusted by
// default, it would let any client exclude itself from the SLOs and the
// shedder. An in-process request whose context is marked is always own
// traffic.
//
// Endpoint.Admit is the transport-neutral form of a call, in the shape of
// gobreaker's two-step Allow and x/time/rate's Reservation: it admits the
// call (through the Monitor's shedder for a server endpoint, through the
// breaker for a client one) and returns a Call token, which Call.Done (or
// DoneAt) finishes with the outcome, and Call.Cancel finishes when the
// caller gave up. A client endpoint's Call carries its breaker's permit, so
// the breaker's half-open probe quota and slow-call policy apply to every
// call. The middleware, RoundTripper and the availgrpc interceptors all
// run on it.
//
// # Ticks
//
// A started Monitor ticks every WithTickInterval (1s): it advances the SLO
// windows and evaluates their burn-rate alerts. Every detector step
// (WithDetectorStep, one minute) the tick that ends the step feeds each
// endpoint's aggregates over it to the detectors, as three series named
// "<route|client>:<id>:error_ratio", ":p99" (seconds) and ":rate"
// (offered requests per second). One point a minute, not a second: a
// detector that flags one point in a few thousand then raises about one
// false alarm a day per series instead of one an hour. A series is fed
// only when the step holds enough requests (WithDetectorMinRequests): 1000
// served ones for the error ratio and the p99 (fewer, and a couple of slow
// calls set the p99, one failure exceeds a 99.9% objective's budget), 100
// offered ones for the rate. A quiet step is skipped, never fed as zero;
// low traffic is the SLOs' to judge. The rate counts requests the library refused itself
// (shed, or rejected by an open breaker) as offered, so the library's own
// protection never reads as a drop in a route's traffic. Tests call
// TickAt with scripted instants.
//
// # Signals and the timeline
//
// Health changes, SLO alert transitions and anomalies are mapped to
// remediate.Signal values and handed to the engine of WithEngine, on a
// goroutine of the Monitor's own (an approval may block it). An
// objective's alert tiers reach the engine as one stream per objective
// (remediate.SLOIncidents: fire, change severity, resolve); anomalies are
// signals of severity info that no policy acts on unless it asks for them.
// Every tick also lets the engine revert the actions that are due, and
// every decision, reverts included, is made at the Monitor's clock. Every
// signal, the engine's decisions, breaker state changes and the first
// shed request of each burst are also Events on the OnEvent timeline, and
// Statusz lists the engine's recent decisions and its actions in effect
// with their age (ActiveActions).
//
// WithPeerDetectors adds the replicas of dependencies: each
// remediate/eject Detector is stepped on every tick, and a replica that
// deviates from its peers, or its incident ending, is an EventPeer on the
// timeline and a signal for the engine, whose eject.Action policy takes
// the replica out of rotation and puts it back. The Detector's eject.Stats
// is fed either by an eject.Balancer under the RoundTripper (a list of
// backends the library balances over), or, when one name resolves to many
// addresses and the transport picks the connection, by the dependency
// itself: Dependency.Replicas makes RoundTripper record each call under
// the remote address of the connection that carried it (httptrace's
// GotConn) and availgrpc's client (WithDependency) under the call's peer
// address. Own traffic is never recorded; a call that failed before
// reaching a replica is counted in Stats.Unattributed. The attribution
// costs the RoundTripper two allocations per call (the request copy that
// carries the traced context, and that context, which the transport keeps
// using after RoundTrip returns, so it cannot be pooled) and the gRPC
// client none.
//
// # Lifecycle
//
// Start and Shutdown behave as in every nines package (one implementation):
// Start returns ctx.Err() first, ErrClosed after Shutdown and ErrStarted
// when running; cancelling Start's ctx later stops nothing; Shutdown is
// idempotent, and a concurrent call waits for the first. Invalid options
// make New return an error wrapping ErrInvalidConfig that names the option
// and the value.
//
// # Shutdown
//
// Shutdown drains first: readiness is withdrawn (/readyz 503, gRPC health
// NOT_SERVING) and a started Monitor keeps running for the drain delay
// (WithDrainDelay; DefaultDrainDelay, 15 s, is a Kubernetes readiness
// period of 5 s x failure threshold 2 plus about 5 s for the endpoint
// change to propagate), so that load balancers polling readiness stop
// sending before any listener closes. Call it before stopping the servers.
// Then it stops the ticks, the signal feed and the event
// delivery, unregisters the SLO, breaker and detector metrics, shuts the
// health registry down, and last flushes the MeterProvider when it can
// (ForceFlush, as the OTel SDK's has), so push exporters get the final
// counts. Shutting the provider down stays the caller's last step.
//
// # State through restarts
//
// WithStateDir keeps every objective's buckets in a directory, one snapshot
// file each (package slo's format, written atomically): Start restores the
// objectives that exist then, an endpoint's objectives created later are
// restored when they are created (before they record), a running Monitor
// saves every StateDir.SaveInterval (a minute by default) and Shutdown saves
// once more after the ticks stop. A deploy loses nothing; a crash loses at
// most the events since the last save; the downtime ages out of the windows
// and the 30-day budget keeps what is still in it. A snapshot from the future
// (a clock more than slo.MaxSnapshotSkew ahead), a corrupted one or one of
// another configuration is refused and logged, its objective starts empty,
// and Statusz.State counts restores, refusals, unclaimed snapshots and
// saves. A save killed midway leaves at most one temporary file per
// objective, which the next save takes over. A save costs one 45 KiB write
// and two fsyncs per 30-day objective (BenchmarkStateDirSave: about 9 ms per
// objective on a shared ext4 virtual disk), on the save goroutine.
//
// # Status page
//
// Handler's /statusz is a status page for people and a document for
// scripts. A browser (Accept: text/html) gets one self-contained HTML page,
// inline CSS and SVG, no script, no external asset, readable on a phone:
// the overall state and why, then each objective (target, availability,
// budget left, time to exhaustion, the budget's burn-down, burn rates per
// window against the tier thresholds, each tier's state, "too few events"
// and "warming up" included), the dependencies with their breaker's state strip, the health
// checks with their recent changes, the anomalies with a sparkline of the
// series and its flagged points, the active actions and recent decisions
// with their age, the endpoints. Three sections show only when their
// feature is in use, in the page and in the document alike:
//
//   - Replicas (WithPeerDetectors): per dependency its replicas, their
//     last step's calls, error ratio and latency, which are outliers and
//     on what, which are ejected and until when, and the most that may be
//     ejected at once; the page lists the ejected and the outliers first,
//     20 replicas at most (the document all of them).
//   - Synthetic checks (AddSynthetic): per check its last runs (start,
//     outcome, duration, first failure) and each step of the most recent
//     run with its outcome, status and phase timings (resolve, connect,
//     tls, processing, transfer) as a bar.
//   - Log templates (WithLogMiner): the miner's counters (lines,
//     templates, evicted, overflow and truncated lines), the 10 templates
//     with the most lines in the last detector step with their rate, the
//     last 16 templates first seen after the warm-up, and the
//     template-rate anomalies.
//
// Everything else (Accept: application/json, ?format=json, curl's */*)
// gets the Statusz document. For 20 routes with a full day of history and
// those three sections at their bounds the page weighs about 160 KB
// (TestStatusPageWeight).
//
// The plots come from an in-process history kept in fixed memory and fed
// by the ticks and the timeline, never by a request: per objective 120
// samples of the budget over its period and 120 of the 5m and 1h burn
// rates over the last day (a series halves its resolution when full, so
// early samples are dense), 3,888 bytes; per detector series its last 120
// tick values with their flags, 1,944 bytes; per breaker and health check
// or group its last 16 state changes, 656 bytes, and as many for the last
// 16 new log templates. The synthetic runs are the Runner's own (its last
// 10 per check), the replicas the eject.Detector's (eject.Detector.View).
//
// The page names routes, dependencies and policies, so it is served only
// to the requests an Authorizer allows (WithAuthorizer; the default,
// LoopbackOnly, allows loopback clients, as x/net/trace does); reasons
// (remediation reasons and synthetic failures here, failure reasons on the
// probes) and log template texts (a log line's constant part can carry
// data) are withheld unless the Authorizer also allows details: template
// IDs, counts and phase timings are shown to every allowed client. A
// synthetic check's credentials never show: synthetic replaces them with
// "***" in every failure, and requests' headers and bodies are not kept.
//
// # Performance
//
// A request through the middleware, or a Call, reads the monotonic clock
// twice (admission and end; the wall clock not at all: instants are the
// Monitor's construction instant plus the monotonic time elapsed), takes
// the shedder's admission when there is one, adds to atomic counters (the
// SLOs' lock-free Record, the endpoint's counters, a log-linear latency
// histogram the tick drains for the p99; counters written by every call sit
// on cache lines of their own), and hands its duration to the recorder. The
// route's series (endpoint and attribute set) comes from a direct-mapped
// cache: one atomic load. The response writer wrapper is pooled. Nothing
// allocates: AllocsPerRun tests guard the middleware, the RoundTripper
// (two allocations for a dependency with Replicas, see above) and
// every Admit/Done/DoneAt/Cancel path, server and client (breaker permits
// included). A shed request adds to that only the mux's routing lookup,
// made to count it under its route (ServeMux.Handler): nothing for a
// literal pattern, one allocation for a pattern with wildcards, and the
// mux's method probe (about nine) for a path no pattern matches.
//
// http.server.request.duration is a histogram, and the OTel metric API has
// no observable histogram, so it is the one synchronous instrument of the
// Monitor. The SDK's Float64Histogram.Record costs more than everything
// else a request does (it resolves and hashes the attribute set on every
// call), so while the Monitor runs, a request does not call it: it puts
// (series, seconds) in a bounded lock-free ring of 4096 slots (96 KiB), and
// a recorder goroutine, started by Start, makes the Record calls off the
// request path, with the precomputed attribute set of the series
// (metric.WithAttributeSet, cached per route, method and status). Nothing
// is dropped or approximated: a request whose context carries a sampled
// span records at once (so the SDK can keep it as an exemplar of the
// trace); a full ring, or a Monitor not running (before Start, after
// Shutdown), records at once; Shutdown drains the ring before it flushes
// the MeterProvider. A queued duration reaches the histogram within 250 ms,
// sooner when the ring is a quarter full. The CPU the Record calls take is
// still spent, on the recorder's goroutine: BenchmarkServerMiddlewareParallel
// in bench/availability, which keeps every core busy, counts it.
//
// bench/availability compares the whole middleware on a started Monitor,
// every feature on, with the promhttp duration and counter pair and with
// otelhttp; BenchmarkServerMiddlewareAdded interleaves chunks of requests
// through the bare handler, nines and promhttp and reports the median
// added cost, and BenchmarkFloor measures the parts on their own. On a
// shared 2-core AMD EPYC the middleware adds about 0.4 µs per request to a
// bare handler, with 0 allocations (the promhttp pair about 2 µs and 6
// allocations, otelhttp about 7 µs and 30). What remains is the floor: the
// two monotonic clock reads (about 0.1 µs on that machine), the shedder
// (lock-free while its bucket is far from every reserve; see
// remediate/admit), handing the duration to the recorder (one
// compare-and-swap on the ring's tail), the atomic adds of the SLOs, the
// latency histogram and the aggregates, and the writer pool, the recover
// and the series lookup. The SDK's Record, which a Monitor that is not
// started makes on the request path, is about 0.3 µs more.
//
// # Cardinality
//
// Route names are ServeMux patterns, never raw paths: requests no pattern
// matched share RouteUnmatched, and names past WithMaxRoutes (default 100)
// share RouteOther, for each kind. Per route: two SLOs (15 series each),
// three detector series, and http.server.request.duration series per
// method (10 values, unknown methods are "_OTHER") and status code: the
// codes the service answers (WithStatusCodes; by default the registered
// ones http.StatusText names), any other recorded as its class ("4xx") or
// "other", so a handler echoing client-chosen codes adds at most six.
// Outbound hosts are bounded the same way, each with one breaker; declared
// routes and dependencies count against the same bound.
package availability
