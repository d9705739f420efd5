// Package availability is the facade of nines: one Monitor wires health
// checks, SLOs, anomaly detection and remediation around a service, with
// net/http server middleware, a client RoundTripper, transport-neutral
// endpoints for gRPC interceptors, and one handler for the operational
// endpoints.
//
// Most callers need a few lines in main:
//
//	m, err := availability.New(availability.WithRouteObjectives(availability.RouteObjectives{
//		Availability: 0.999, Latency: 300 * time.Millisecond,
//	}))
//	...
//	srv := &http.Server{Handler: m.Middleware(mux)}
//	client := &http.Client{Transport: m.RoundTripper(nil)}
//	go http.ListenAndServe("localhost:9090", m.Handler()) // /livez /readyz /statusz /metrics
//	m.Start(ctx)
//	defer m.Shutdown(ctx)
//
// # Endpoints
//
// Every route (the Go 1.22+ ServeMux pattern), gRPC method and outbound host
// is an Endpoint, created on first sight with the SLOs of
// WithRouteObjectives: an availability objective (5xx and panics are bad)
// and a latency objective (good within the threshold). Endpoint.Admit and
// Endpoint.Done are the transport-neutral form the middleware uses.
//
// # Ticks
//
// A started Monitor ticks every WithTickInterval (1s): it advances the SLO
// windows and evaluates their burn-rate alerts, then feeds each endpoint's
// aggregates of the interval to the detectors, as three series named
// "<route|client>:<name>:error_ratio", ":p99" (seconds) and ":rate" (per
// second). An interval without requests feeds NaN for the ratio and the p99,
// which the detectors skip. Tests call TickAt with scripted instants.
//
// # Signals and the timeline
//
// Health changes, SLO alert transitions and anomalies are mapped to
// remediate.Signal values and handed to the engine of WithEngine, on a
// goroutine of the Monitor's own (an approval may block it). Every one of
// them, the engine's decisions, breaker state changes and the first shed
// request of each burst, is also an Event on the OnEvent timeline.
//
// # Shutdown
//
// Shutdown drains readiness first, so load balancers stop sending traffic
// while requests finish; then stops the ticks, the signal feed and the event
// delivery, unregisters the SLO, breaker and detector metrics, shuts the
// health registry down, and last flushes the MeterProvider when it can
// (ForceFlush, as the OTel SDK's has), so push exporters get the final
// counts. Shutting the provider down stays the caller's last step.
//
// # Performance
//
// The request path adds to atomic counters: the SLOs' lock-free Record, the
// endpoint's counters and a log-linear latency histogram that the tick
// drains for the p99. Routes are looked up in an immutable map behind an
// atomic pointer; the response writer wrapper is pooled. The middleware adds
// no allocation per request (guarded by an AllocsPerRun test) and reads the
// clock twice (start and end, for the latency).
//
// One deviation from the design's rule of no synchronous OTel instrument call
// per request: http.server.request.duration is a histogram, and the OTel
// metric API has no observable histogram. The middleware makes one
// Float64Histogram.Record per request with a precomputed attribute set
// (metric.WithAttributeSet, cached per route, method and status), so the call
// does not allocate; everything else is read by observable callbacks at
// collection. bench/availability compares the whole middleware with otelhttp.
//
// # Cardinality
//
// Route names are ServeMux patterns, never raw paths: requests no pattern
// matched share RouteUnmatched, and names past WithMaxRoutes (default 100)
// share RouteOther, for each kind. Per route: two SLOs (15 series each),
// three detector series, and http.server.request.duration series per
// method (10 values, unknown methods are "_OTHER") and status code.
// Outbound hosts are bounded the same way, each with one breaker.
package availability
