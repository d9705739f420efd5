package admit

import (
	"context"
	"errors"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/metric"
	"golang.org/x/time/rate"
)

var (
	// ErrRateLimited is returned when a token bucket (global or the key's)
	// has no token the request's class may spend: it is empty, or only the
	// reserve of a higher class is left. The caller is over the rate its
	// class is given, so HTTP answers 429 Too Many Requests with
	// Retry-After. Reason "rate".
	ErrRateLimited = errors.New("admit: rate limited")
	// ErrShed is returned when a request is shed for its priority: it is
	// below the level set by SetLevel, whatever the rate. The service chose
	// to serve less, so HTTP answers 503 Service Unavailable with
	// Retry-After. Reason "priority".
	ErrShed = errors.New("admit: shed by priority")
)

// Shedder admits or sheds requests by rate (global and per key) and by
// priority class, on golang.org/x/time/rate token buckets.
//
// Priority algorithm (reserved headroom): with a bucket of B tokens,
// critical requests may take any token; normal requests only while at least
// CriticalReserve*B tokens would remain afterwards; sheddable requests only
// while (CriticalReserve+NormalReserve)*B would remain. Under overload the
// lower classes stop at their floor and the tokens refilled below it go to
// the classes above, so critical traffic is shed last. A request refused
// by a bucket, empty or down to a higher class's reserve, gets
// ErrRateLimited. SetLevel adds an explicit cut: every request below the
// level gets ErrShed.
//
// Create one with NewShedder; the zero value is not usable. A Shedder is
// safe for concurrent use. Most callers want Allow (or AllowAt in tests).
type Shedder struct {
	name       string
	global     *rate.Limiter // nil: no global limit
	keys       *keyLimiters  // nil: no per-key limit
	globalRes  [3]float64    // headroom per class, in tokens: sheddable, normal, critical
	keyRes     [3]float64
	globalNeed [3]int64 // ceil(globalRes): the credit a class needs for the fast path
	level      atomic.Int32
	// credit is a lower bound of the global bucket's tokens, kept so that
	// an admission with plenty of tokens takes the bucket's lock once (to
	// take its token) instead of twice (headroom check, then take); see
	// checkGlobal.
	credit       atomic.Int64
	creditMargin int64
	// pool holds global tokens taken from the bucket ahead of the
	// admissions that spend them, batch at a time, so that an admission far
	// from every reserve takes no lock at all; see takeGlobal.
	pool         atomic.Int64
	batch        int64 // 0: no batching (small buckets, tests)
	exact        bool  // tests: always take the locked check, one token at a time
	rejectRate   atomic.Uint64
	rejectPrio   atomic.Uint64
	reg          metric.Registration
	shutdownOnce sync.Once
}

// NewShedder returns a Shedder named name (the load_shedding.name
// attribute). It returns an error wrapping ErrInvalidConfig if s is
// invalid or name is empty. Nothing runs in the background.
func NewShedder(name string, s ShedderConfig, opts ...ShedderOption) (*Shedder, error) {
	if name == "" {
		return nil, invalid("name", name, "must not be empty")
	}
	c, err := s.resolve()
	if err != nil {
		return nil, err
	}
	sh := &Shedder{name: name}
	sh.level.Store(int32(Sheddable))
	headroom := func(burst int) [3]float64 {
		b := float64(burst)
		return [3]float64{(c.criticalRes + c.normRes) * b, c.criticalRes * b, 0}
	}
	if c.rate > 0 {
		sh.global = rate.NewLimiter(rate.Limit(c.rate), c.burst)
		sh.globalRes = headroom(c.burst)
		for i, h := range sh.globalRes {
			sh.globalNeed[i] = int64(math.Ceil(h))
		}
		sh.creditMargin = int64(max(64, 4*runtime.GOMAXPROCS(0)))
		if b := int64(c.burst) / 64; b >= 4 {
			sh.batch = min(b, 64)
		}
	}
	if c.perKeyRate > 0 {
		sh.keys = newKeyLimiters(c.perKeyRate, c.perKeyBurst, c.maxKeys)
		sh.keyRes = headroom(c.perKeyBurst)
	}
	o := shedderOptions(opts)
	if sh.reg, err = registerRejections(o.meterProvider, name, sh.observeRejections); err != nil {
		return nil, err
	}
	return sh, nil
}

// classIndex maps a priority to its headroom slot.
func classIndex(p Priority) int {
	switch {
	case p < Normal:
		return 0
	case p > Normal:
		return 2
	default:
		return 1
	}
}

// Allow is AllowAt(time.Now(), key, p).
func (s *Shedder) Allow(key string, p Priority) error { return s.AllowAt(time.Now(), key, p) }

// AllowAt admits a request of priority p for key at time t, or returns
// ErrShed (below the SetLevel level) or ErrRateLimited (no token its class
// may spend). An empty key skips the per-key limit. A token
// is taken from the global bucket before the key's; when the key's bucket
// then refuses, the global token is spent (a bounded over-count under
// overload, rather than an allocation for a cancellable reservation).
func (s *Shedder) AllowAt(t time.Time, key string, p Priority) error {
	if int32(p) < s.level.Load() {
		s.rejectPrio.Add(1)
		return ErrShed
	}
	class := classIndex(p)
	fast, err := s.checkGlobal(t, class)
	if err != nil {
		return err
	}
	// The key is looked up only once the global bucket would admit the
	// request, so that traffic shed globally neither allocates buckets nor
	// evicts the buckets of keys in use.
	var keyLim *rate.Limiter
	if s.keys != nil && key != "" {
		keyLim = s.keys.get(key)
	}
	if err := s.check(keyLim, t, s.keyRes[class], math.NaN()); err != nil {
		return err
	}
	if s.global != nil && !s.takeGlobal(t, fast) {
		s.rejectRate.Add(1)
		return ErrRateLimited
	}
	if keyLim != nil && !keyLim.AllowN(t, 1) {
		s.rejectRate.Add(1)
		return ErrRateLimited
	}
	return nil
}

// checkGlobal is check on the global bucket, without its lock while the
// bucket is far from the class's headroom.
//
// credit is a lower bound of the bucket's tokens: a locked check reads the
// tokens T and stores floor(T) - creditMargin, and every admission
// decrements credit before it takes its token. Tokens change only by
// refill (up) and by the admissions' takes (down, each preceded by its
// decrement), so the bucket holds at least credit tokens, give or take the
// admissions in flight between their decrement and their take when a
// locked check read T (covered by creditMargin: at least 64, and four per
// GOMAXPROCS). A request whose decrement leaves credit at or above the
// class's headroom would therefore pass the locked check too, and skips
// it; the others take the locked check, which refreshes credit. Decisions
// are the locked check's (a test compares them over random sequences).
func (s *Shedder) checkGlobal(t time.Time, class int) (fast bool, err error) {
	if s.global == nil {
		return false, nil
	}
	if !s.exact && s.credit.Add(-1) >= s.globalNeed[class] {
		return true, nil
	}
	tokens := s.global.TokensAt(t) + float64(s.pool.Load())
	s.credit.Store(int64(math.Floor(tokens)) - s.creditMargin)
	return false, s.check(s.global, t, s.globalRes[class], tokens)
}

// takeGlobal takes one global token: from the pool if it has one, else from
// the bucket, and on the fast path (far from every reserve) a batch at once,
// the rest going to the pool. The bucket's tokens plus the pool's are the
// tokens the headroom checks see, so the pool changes no decision, with one
// exception: tokens pooled before an idle spell stay pooled while the bucket
// refills to Burst, so the first burst after it may admit up to one batch
// (Burst/64, at most 64, none below a Burst of 256) beyond Burst.
func (s *Shedder) takeGlobal(t time.Time, fast bool) bool {
	if s.pool.Load() > 0 {
		if s.pool.Add(-1) >= 0 {
			return true
		}
		s.pool.Add(1) // another admission took the last one
	}
	if fast && s.batch > 0 && s.global.AllowN(t, int(s.batch)) {
		s.pool.Add(s.batch - 1)
		return true
	}
	return s.global.AllowN(t, 1)
}

// check sheds by headroom before any token is taken. tokens is lim's
// tokens at t when the caller has read them, NaN otherwise.
func (s *Shedder) check(lim *rate.Limiter, t time.Time, headroom, tokens float64) error {
	if lim == nil {
		return nil
	}
	if math.IsNaN(tokens) {
		tokens = lim.TokensAt(t)
	}
	// An empty bucket and one down to a higher class's reserve are the
	// same thing to the caller: its class is over its rate (429), not shed
	// by a decision to serve less (SetLevel, 503). Overload of normal
	// traffic under default settings reaches the critical reserve first.
	if tokens < 1 || tokens-1 < headroom {
		s.rejectRate.Add(1)
		return ErrRateLimited
	}
	return nil
}

// SetLevel sheds every request whose priority is below p (reason
// priority). The default level, Sheddable, sheds nothing extra;
// Critical sheds all but critical traffic.
func (s *Shedder) SetLevel(p Priority) { s.level.Store(int32(p)) }

// Level returns the shedding level set by SetLevel.
func (s *Shedder) Level() Priority { return Priority(s.level.Load()) }

// ShedderStats is a snapshot of a Shedder's counters.
type ShedderStats struct {
	RateRejections     uint64
	PriorityRejections uint64
	Keys               int
	Evictions          uint64
}

// Stats returns the rejection counts, the number of keys tracked and the
// number of keys evicted to respect MaxKeys.
func (s *Shedder) Stats() ShedderStats {
	st := ShedderStats{RateRejections: s.rejectRate.Load(), PriorityRejections: s.rejectPrio.Load()}
	if s.keys != nil {
		st.Keys = s.keys.len()
		st.Evictions = s.keys.evictions.Load()
	}
	return st
}

func (s *Shedder) observeRejections(o rejectionObserver) {
	o("rate", s.rejectRate.Load())
	o("priority", s.rejectPrio.Load())
}

// Shutdown unregisters the metric callback. It is idempotent; the Shedder
// keeps working afterwards, unobserved.
func (s *Shedder) Shutdown(context.Context) error {
	var err error
	s.shutdownOnce.Do(func() { err = s.reg.Unregister() })
	return err
}
