// Package eject finds the sick replica of a dependency by comparing the
// replicas with each other, and takes it out of rotation through the
// remediation engine, with its guard rails.
//
// A dependency served by many replicas (many addresses behind one name,
// or a list of backends) is a homogeneous group: when one replica fails
// or slows down while its peers do not, the fault is that replica's, and
// the fleet average hides it. Envoy's outlier detection and grpc-go's
// outlier_detection balancer (gRFC A50) eject such replicas on errors
// only; this package also ejects a replica that is merely slow, and works
// for a plain net/http client.
//
// # Which type to use
//
//   - [Stats] records each call under the replica that served it (call
//     count, failures, a latency histogram), bounded in replicas (calls
//     to replicas past StatsConfig.MaxReplicas are counted in Overflow),
//     lock-free and without allocation once a replica has its slot.
//     Record takes the replica's name (a backend the user's balancer
//     chose); RecordAddr takes a connection's remote address and is what
//     the availability client path uses (availability.Dependency.Replicas:
//     the Monitor's RoundTripper and availgrpc's client attribute each
//     call to the replica that served it when one name resolves to many
//     addresses); a call that reached no replica is counted by
//     RecordUnattributed. RecordMetric adds a sample of a user metric
//     declared in StatsConfig.Metrics (at most MaxMetrics), whose
//     per-step mean is compared across the replicas too.
//   - [Detector] drains the Stats every step and compares the replicas
//     with at least MinCalls calls in two detect.PeerGroups (error ratio
//     and latency quantile: median and MAD, a member deviating upwards on
//     Persistence consecutive steps), and the replicas with samples of
//     each user metric in one more group per metric (deviating upwards,
//     or downwards for a MetricConfig with LowerIsWorse). A latency outlier must also be
//     LatencyFactor times the median; an error outlier MinDeviation above
//     it. Each outlier replica is one incident: a remediate.Signal firing
//     (State "outlier", Target the replica, Source "peer:" plus the
//     dependency, Attributes["metric"] "error_ratio", "latency" or the
//     user metric's name), then
//     resolved when its ejection time is over ("returned"), when it has
//     been measured healthy for RecoverSteps steps while not ejected
//     ("recovered"), or when it has been neither measured nor ejected for
//     ForgetSteps steps ("gone").
//   - [Ejector] holds which replicas are ejected: at most
//     MaxEjectedPercent of them, never the last one; the n-th ejection in
//     a row lasts n times BaseEjectionTime (capped at MaxEjectionTime); a
//     returned replica is on probation, and one that stays in for
//     Probation starts again from the first ejection. OnChange tells a
//     picker of the user's own.
//   - [Action] is the engine's "eject" action: a remediate.Reverter whose
//     Do ejects the signal's target and whose Undo returns it, so the
//     engine's pool, cooldown, blast radius, budget, approval, dry run,
//     audit and revert apply to ejections like to any action.
//   - [Balancer] is a ready http.RoundTripper that spreads requests
//     round-robin over the Ejector's backends, skips the ejected ones and
//     records every call in the Stats.
//
// Wiring, once per dependency: the Balancer (or the user's picker calling
// Stats.Record, or the availability client path for a Dependency with
// Replicas) feeds the Stats; every step (a second, or the Monitor's
// tick) Detector.StepAt's signals go to remediate.Engine.HandleAt (or
// Submit) and Engine.TickAt runs the reverts; a policy whose Predicate
// takes the "peer:" sources has Action(ejector). The incident of an
// ejected replica resolves when its ejection time is over, the engine's
// revert returns it, and if it still deviates it fires again and is
// ejected for longer.
//
// # What it does not do
//
// A peer comparison finds the replicas that differ from the others. When
// a large part of the group is bad at once (about a third with the
// default threshold), the median and the spread move with them and no
// replica deviates: that is a dependency-wide fault, which the
// dependency's circuit breaker and SLO handle. An ejection refused by the
// maximum share is a failed decision in the audit; the replica's incident
// stays firing and is not retried until it resolves.
//
// # Zero values, errors and concurrency
//
// Every Config's zero fields mean documented defaults; the constructors
// report an invalid field with an error wrapping ErrInvalidConfig that
// names it and its value. The zero types are not usable. Every type is
// safe for concurrent use; the Detector's steps are serialised. Ejector
// listeners run after the change and outside every lock.
//
// # Metrics
//
// DetectorConfig.MeterProvider (default otel.GetMeterProvider()) receives,
// in the instrumentation scope github.com/nines-sre/nines/remediate/eject:
//
//	peer.outliers         counter        peer.dependency, peer.metric (error_ratio, latency, user metrics): incidents opened
//	peer.outliers.active  updowncounter  peer.dependency, peer.metric: incidents open now
//
// The dependency is named by the developer; a replica's address never
// becomes an attribute. Ejections and returns are the engine's
// remediation.actions (action "eject", outcomes executed and reverted).
//
// # Performance
//
// Stats.Record, RecordAddr, RecordMetric, Ejector.Ejected and
// Balancer.Pick allocate nothing (AllocsPerRun tests); Balancer.RoundTrip adds two allocations for the
// shallow copy of the request and its URL. A Detector step costs the
// sort of the replicas' values; it is once per step, not per call.
package eject
