// Package admit decides which requests a service takes on when it is
// overloaded: load shedding by rate and priority on golang.org/x/time/rate
// token buckets ([Shedder]), and an adaptive concurrency limit for calls to
// a dependency ([Limiter]).
//
// # Which type to use
//
// A [Shedder] guards a server's front door: it answers, per request, "do
// we take this one?" from a global rate, a per-key rate (tenants, clients)
// and the request's [Priority]. Most callers want [Shedder.Allow]:
//
//	sh, err := admit.NewShedder("api", admit.ShedderConfig{Rate: 500, PerKeyRate: 50})
//	if err := sh.Allow(tenant, admit.Normal); err != nil {
//		// admit.ErrRateLimited: answer 429; admit.ErrShed: answer 503
//	}
//
// A [Limiter] guards the calls a service makes: it bounds how many are in
// flight and adapts the bound to how the dependency copes. Acquire a
// [Permit] before the call and Release it with the call's [Outcome]:
//
//	p, err := lim.Acquire()
//	if err != nil { /* errors.Is(err, admit.ErrConcurrencyLimited) */ }
//	err = call()
//	p.Release(admit.Success) // or Dropped, Timeout, Ignored
//
// Time is an argument for tests and for callers that have just read the
// clock: [Shedder.AllowAt], [Limiter.AcquireAt], [Permit.ReleaseAt].
//
// # Load shedding
//
// The Shedder keeps a global bucket and one bucket per key, at most MaxKeys
// of them, evicting the least recently used key (evictions are counted in
// [Shedder.Stats]). Critical traffic is shed last by reserved headroom:
// [Normal] traffic may not spend the last CriticalReserve share of a
// bucket and [Sheddable] traffic may not spend the last
// CriticalReserve+NormalReserve share, so under overload the tokens
// refilled below those floors go to the higher classes. [Shedder.SetLevel]
// sheds everything below a priority (the remediation engine's "change
// shedding level" action). Rejections are [ErrRateLimited] (reason rate)
// when a bucket has no token the request's class may spend, empty or down to
// a higher class's reserve, and [ErrShed] (reason priority) only below the
// SetLevel level. The two mean different things to a client: over its rate,
// it should slow down (HTTP 429 with Retry-After; an over-rate burst of
// normal traffic under default settings gets that), while a service that
// chose to serve less is unavailable for now (503 with Retry-After).
//
// # Adaptive concurrency
//
// The Limiter is an AIMD limit with a floor and a ceiling. A drop, a
// timeout or a success slower than LatencyThreshold multiplies the limit by
// Backoff; a healthy success adds 1/limit, but only when the limit was
// reached as that call was admitted. Those two rules guard against the
// known failure where constant timeouts make an adaptive limit grow. Over
// the limit it returns [ErrConcurrencyLimited] (reason concurrency).
//
// # Configuration and options
//
// [ShedderConfig] and [LimiterConfig] are plain structs whose zero fields
// mean documented defaults (ShedderConfig{} sheds nothing but what SetLevel
// says; LimiterConfig{} starts at 20 in [1, 1000]); their Validate methods
// report an invalid field and its value with an error wrapping
// [ErrInvalidConfig], as the constructors do. Each constructor has its own
// sealed option type, [ShedderOption] and [LimiterOption];
// [WithMeterProvider] is an [Option], which is both.
//
// # Zero values and concurrency
//
// The zero Shedder and Limiter are not usable: build them with NewShedder
// and NewLimiter. The zero Permit's Release does nothing. Shedders and
// Limiters are safe for concurrent use; a Permit is released once, by one
// goroutine. Nothing runs in the background; Shutdown only unregisters the
// metric callbacks, and both keep working afterwards, unobserved.
//
// # Metrics
//
// Instruments, as in the nines telemetry schema, in the instrumentation
// scope github.com/nines-sre/nines/remediate/admit:
//
//	load_shedding.rejections  observable counter  load_shedding.name, load_shedding.reason (rate, concurrency, priority)
//	concurrency.limit         observable gauge    concurrency.name
//
// # Performance
//
// Shedder.AllowAt does not allocate for known keys; a new key allocates its
// bucket. While the global bucket is far from every class's reserve, an
// admission takes no lock: a lower bound of the bucket's tokens, kept in an
// atomic, stands in for the locked headroom check, and tokens are taken
// from the bucket a batch at a time (Burst/64, at most 64; none for a Burst
// under 256) and handed out from an atomic pool. Near a reserve every
// admission takes the locked check and one token, exactly as without them.
// The one visible difference: tokens pooled before an idle spell stay
// pooled while the bucket refills, so the first burst after it may admit up
// to one batch beyond Burst. The per-key table has one mutex per Shedder, never a global one,
// and it is consulted only once the global bucket would admit the request,
// so traffic shed globally neither allocates buckets nor evicts keys in
// use. Limiter acquire and release are a few atomic operations and take a
// mutex only when the limit moves. Counters are atomics read by the
// observable callbacks at collection. Allocation tests guard these paths;
// bench/remediate compares them with x/time/rate.
//
// # Cardinality
//
// Shedder and Limiter names become attribute values: choose them as
// constants, never derive them from requests. Shedder keys are never
// attributes; they are bounded in memory by MaxKeys.
package admit
