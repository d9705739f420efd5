// Package breaker is a circuit breaker on the state machine of
// github.com/sony/gobreaker/v2, with trip policies, slow calls, override
// modes and state-change listeners.
//
// # Breakers
//
// [Breaker] wraps calls that return (T, error) in a circuit breaker built
// on the state machine of github.com/sony/gobreaker/v2. [New] takes
// a name (the circuit_breaker.name attribute) and [Config], a
// plain struct whose zero fields are documented defaults; invalid settings
// are rejected with an error wrapping [ErrInvalidConfig] that names the
// field and value.
//
// Most callers want [Breaker.Execute]. Middleware that cannot wrap the call
// in a function uses [Breaker.Allow] and [Permit.Done]. Both drive the same
// state machine. A rejected call returns [ErrOpen] or [ErrTooManyCalls]
// without running, and never counts as a failure.
//
// Trip policies, evaluated by gobreaker on its rolling window
// (Window split into Buckets):
//
//   - ConsecutiveFailures: open after n failures in a row.
//   - FailureRatio with MinimumCalls: open when failures/completed calls in
//     the window reaches the ratio, once the window holds MinimumCalls.
//   - SlowThreshold with SlowCallRatio: a call slower than the threshold
//     is slow; open when slow calls/completed calls in the window reaches
//     the ratio (MinimumCalls applies). Latency is measured only when a
//     threshold is set. A slow success is a success for the other
//     policies; a slow half-open probe reopens the breaker.
//   - IsExcluded: errors that count as neither success nor failure (by
//     default context.Canceled, wrapped or not; add 4xx answers here).
//
// gobreaker's counts have a single failure dimension, so the slow-call
// ratio runs on a window of the breaker's own beside gobreaker's (same
// length and bucket size, cleared at every transition, rolled by the calls'
// end times rather than gobreaker's generation clock, so the two windows'
// bucket edges can differ by the time between two clock reads). When the
// ratio is reached, the slow call that reached it is handed to gobreaker as
// a failure and the trip hook opens the breaker.
//
// [Breaker.SetMode] overrides the policy: [ModeForcedOpen] rejects every
// call, [ModeForcedClosed] admits every call (outside the state machine),
// [ModeMetricsOnly] runs the state machine as a dry run and admits the calls
// it would have rejected, counting them as rejected.
//
// gobreaker calls its state-change callback while holding its mutex. The
// breaker only queues the event there and delivers it after gobreaker's
// call returns, in transition order, with no lock held: a listener
// ([WithStateListener], [Breaker.OnStateChange]) may call State, Counts or
// even Execute. A [StateChange] carries the counts of the state being left,
// just before the transition; mode changes that change the effective state
// are delivered too.
package breaker
