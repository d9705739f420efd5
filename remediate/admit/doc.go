// Package admit decides which requests a service takes on: load shedding
// by rate and priority, and an adaptive concurrency limit.
//
// # Load shedding and concurrency
//
// [Shedder] admits or sheds requests on golang.org/x/time/rate token
// buckets: a global bucket and one bucket per key, at most MaxKeys of them,
// evicting the least recently used key (evictions are counted in
// [Shedder.Stats]). Each request carries a [Priority]. Critical traffic is
// shed last by reserved headroom: normal traffic may not spend the last
// CriticalReserve share of a bucket and sheddable traffic may not spend the
// last CriticalReserve+NormalReserve share, so under overload the tokens
// refilled below those floors go to the higher classes. [Shedder.SetLevel]
// sheds everything below a priority (the remediation engine's "change
// shedding level" action). Rejections are [ErrRateLimited] (reason rate)
// or [ErrShed] (reason priority). Time is an argument: [Shedder.AllowAt].
//
// [Limiter] is an adaptive concurrency limit (AIMD) with a floor
// and a ceiling. A drop, a timeout or a success slower than
// LatencyThreshold multiplies the limit by Backoff; a healthy success adds
// 1/limit, but only when the limit was reached as that call was admitted.
// Those two rules guard against the known failure where constant timeouts
// make an adaptive limit grow. Over the limit it returns
// [ErrConcurrencyLimited] (reason concurrency).
package admit
