package breaker

import (
	"errors"

	gobreaker "github.com/sony/gobreaker/v2"
)

// The breaker classifies each outcome itself and hands gobreaker one of
// these sentinels (or nil for a success), so that gobreaker's IsSuccessful
// and IsExcluded are pointer comparisons. errOutcomeSlowTrip is a slow call
// that reached the slow-call ratio (or a slow half-open probe): gobreaker
// counts it as a failure and the trip hook opens the breaker.
var (
	errOutcomeFailed   = errors.New("breaker: call failed")
	errOutcomeSlowTrip = errors.New("breaker: slow-call ratio reached")
	errOutcomeExcluded = errors.New("breaker: call excluded")
)

// tripPolicy decides, from gobreaker's rolling counts, whether to open.
type tripPolicy struct {
	consecutive  uint32
	ratio        float64
	minimumCalls uint32
}

// trips is called by gobreaker after each failure in the closed state.
// Excluded and in-flight calls are not part of the ratio's denominator.
func (p tripPolicy) trips(c gobreaker.Counts) bool {
	if p.consecutive > 0 && c.ConsecutiveFailures >= p.consecutive {
		return true
	}
	if p.ratio <= 0 {
		return false
	}
	completed := uint64(c.TotalSuccesses) + uint64(c.TotalFailures)
	return completed >= uint64(p.minimumCalls) &&
		float64(c.TotalFailures) >= p.ratio*float64(completed)
}
