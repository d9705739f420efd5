package breaker

import (
	"errors"
	"time"
)

// The breaker classifies each outcome itself and hands gobreaker one of
// these sentinels (or nil for a success), so that gobreaker's IsSuccessful
// and IsExcluded are pointer comparisons. errOutcomeSlowTrip is a slow call
// that reached the slow-call ratio (or a slow half-open probe): gobreaker
// counts it as a failure and the trip hook opens the breaker.
// errOutcomeStale is a permit's outcome that reached gobreaker after a
// transition (see Permit.Done): excluded, so that it changes nothing.
var (
	errOutcomeFailed   = errors.New("breaker: call failed")
	errOutcomeSlowTrip = errors.New("breaker: slow-call ratio reached")
	errOutcomeExcluded = errors.New("breaker: call excluded")
	errOutcomeStale    = errors.New("breaker: outcome of an earlier generation")
)

// classify counts the outcome of a call that started at start and ended at
// end (both zero unless a slow threshold is set; a zero end means now) and
// returns the sentinel handed to gobreaker. probe says the call was a
// half-open probe, where a slow call is a failure.
func (b *Breaker[T]) classify(err error, start, end time.Time, probe bool) error {
	if err != nil && b.isExc(err) {
		b.calls.excluded.Add(1)
		return errOutcomeExcluded
	}
	var slow, slowTrip bool
	if b.slow > 0 {
		if end.IsZero() {
			end = time.Now()
		}
		slow = end.Sub(start) > b.slow
		slowTrip = b.hooks.slowCalls.record(end, slow)
	}
	switch {
	case err != nil:
		b.calls.failure.Add(1)
		if slowTrip {
			return errOutcomeSlowTrip
		}
		return errOutcomeFailed
	case !slow:
		b.calls.success.Add(1)
		return nil
	}
	b.calls.slow.Add(1)
	if slowTrip || probe {
		return errOutcomeSlowTrip
	}
	return nil
}
