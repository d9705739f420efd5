// Package breaker is a circuit breaker on the state machine of
// github.com/sony/gobreaker/v2: trip policies on a rolling window, slow
// calls, exclusions, override modes, state-change listeners that run outside
// every lock, and OpenTelemetry metrics read from atomics.
//
// A breaker protects a caller from a dependency that is failing: after
// enough failures it opens and rejects calls at once (fail fast, serve a
// fallback) instead of letting them pile up; after OpenTimeout it lets a few
// probe calls through (half-open) and closes again when they succeed.
//
// # Which method to use
//
// [New] takes a name (the circuit_breaker.name attribute, a constant chosen
// by the developer) and a [Config]. Most callers want [Breaker.Execute],
// which runs a function and counts its outcome:
//
//	b, err := breaker.New[*http.Response]("inventory", breaker.Config{})
//	resp, err := b.Execute(ctx, func(ctx context.Context) (*http.Response, error) {
//		resp, err := client.Do(req.WithContext(ctx))
//		if err == nil && resp.StatusCode >= 500 {
//			resp.Body.Close()
//			return nil, fmt.Errorf("inventory: %s", resp.Status) // a 5xx is a failure
//		}
//		return resp, err
//	})
//	if errors.Is(err, breaker.ErrOpen) { /* serve a fallback */ }
//
// A function that returns a nil error for an answer that is a failure
// (client.Do and a 5xx) must turn it into an error itself, or the breaker
// never sees the failure. Middleware that cannot wrap the call in a
// function asks first with [Breaker.Allow] (or AllowAt) and reports later
// with [Permit.Done] (or DoneAt). Both forms drive one state machine and
// share the half-open probe quota. A rejected call returns [ErrOpen] or
// [ErrTooManyCalls] without running and never counts as a failure.
//
// # Trip policies
//
// The policies are evaluated by gobreaker on its rolling window (Window
// split into Buckets) after each failure in the closed state:
//
//   - ConsecutiveFailures: open after n failures in a row (5 by default,
//     always on beside the ratio policies, so that a dependency that fails
//     every call trips within a handful of calls whatever MinimumCalls says;
//     math.MaxUint32 turns it off).
//   - FailureRatio with MinimumCalls: open when failures/completed calls in
//     the window reaches the ratio, once the window holds MinimumCalls.
//   - SlowThreshold with SlowCallRatio: a call slower than the threshold is
//     slow; open when slow calls/completed calls in the window reaches the
//     ratio (MinimumCalls applies; a zero ratio means 1). Latency is
//     measured only when a threshold is set, so a SlowCallRatio without a
//     SlowThreshold is an invalid Config. A slow success is a success for
//     the other policies; a slow half-open probe reopens the breaker.
//   - IsExcluded: errors that count as neither success nor failure (by
//     default context.Canceled, wrapped or not; add 4xx answers here).
//
// gobreaker's counts have a single failure dimension, so the slow-call
// ratio runs on a window of the breaker's own beside gobreaker's (same
// length and bucket size, cleared at every transition, rolled by the calls'
// end times). When the ratio is reached, the slow call that reached it is
// handed to gobreaker as a failure and the trip hook opens the breaker.
//
// # Modes
//
// [Breaker.SetMode] overrides the policy, for an operator or the
// remediation engine: [ModeForcedOpen] rejects every call,
// [ModeForcedClosed] admits every call (outside the state machine), and
// [ModeMetricsOnly] runs the state machine as a dry run and admits the calls
// it would have rejected, counting them as rejected.
//
// # State changes
//
// gobreaker calls its state-change callback while holding its mutex. The
// breaker only records the transition there and delivers a [StateChange]
// after gobreaker's call returns, in transition order, with no lock held: a
// listener ([WithStateListener], [Breaker.OnStateChange], which returns a
// remove function) may call State, Counts or even Execute, and a panicking
// listener is recovered without stopping the others. A StateChange carries
// the counts of the state being left, just before the transition; mode
// changes that change the effective state are delivered too.
//
// # Execute and Allow on one state machine
//
// Execute is gobreaker's own allocation-free Execute while the breaker is
// closed. Allow cannot be gobreaker's two-step form, which only wraps a
// breaker it creates and allocates a closure per call, so it admits from the
// breaker's own exact view of gobreaker's state (the state, a generation
// bumped on every transition and the half-open probe slots, in one atomic
// word kept by gobreaker's state-change hook), and Permit.Done reports the
// outcome through gobreaker's Execute when the generation is still the one
// the call was admitted in. The [Permit] documentation details the design
// and the one narrow window where it differs from gobreaker's two-step form
// (harmlessly). No reflection on gobreaker's internals, no unsafe.
//
// # Zero values and concurrency
//
// Config{} is valid: every zero field means the documented default. The
// zero Breaker is not usable (use New); the zero Permit's Done does
// nothing. A Breaker is safe for concurrent use; a Permit is a value to be
// finished once, by one goroutine. New starts nothing in the background;
// Shutdown only unregisters the metric callbacks.
//
// # Metrics
//
// Instruments, as in the nines telemetry schema, in the instrumentation
// scope github.com/nines-sre/nines/remediate/breaker:
//
//	circuit_breaker.status       observable gauge, 1   circuit_breaker.name, circuit_breaker.state (closed, open, half_open)
//	circuit_breaker.calls        observable counter    circuit_breaker.name, circuit_breaker.outcome (success, failure, slow, rejected, excluded)
//	circuit_breaker.transitions  counter               circuit_breaker.name, circuit_breaker.from, circuit_breaker.to
//
// The status gauge reports closed from the first collection. It reads the
// state recorded at the last transition: an open breaker whose timeout has
// passed shows open until a call (or State) moves it to half-open.
//
// # Performance
//
// On the closed path Execute adds no allocation to gobreaker's Execute and
// takes no lock of its own: two atomic loads decide the path, outcomes go to
// atomic counters read by the observable callbacks at collection, and
// transitions (rare) add to the transitions counter. Allow plus Done
// allocate nothing in any state (gobreaker's two-step form allocates one
// closure per call); closed, Allow is one atomic load and Done one
// gobreaker Execute. Open, Allow takes gobreaker's mutex once to see
// whether the timeout has passed. time.Now is read only when SlowThreshold
// is set; then each call also takes the slow window's mutex (one per
// breaker). bench/remediate compares Execute and Allow+Done with gobreaker
// and failsafe-go; allocation tests guard both paths.
//
// # Cardinality
//
// Breaker names become attribute values: choose them as constants, never
// derive them from requests. One breaker yields 3 status, 5 calls and at
// most 6 transition series.
package breaker
