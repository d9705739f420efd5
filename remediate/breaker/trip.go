package breaker

import gobreaker "github.com/sony/gobreaker/v2"

// tripPolicy decides, from gobreaker's rolling counts, whether to open.
type tripPolicy struct {
	consecutive  uint32
	ratio        float64
	minimumCalls uint32
}

// trips is called by gobreaker after each failure in the closed state.
// Excluded and in-flight calls are not part of the ratio's denominator.
// The consecutive-failure rule always runs beside the ratio (Config's zero
// value keeps it at 5), so a dependency that fails every call trips within
// a handful of calls instead of waiting for the window to hold
// MinimumCalls calls.
func (p tripPolicy) trips(c gobreaker.Counts) bool {
	if c.ConsecutiveFailures >= p.consecutive {
		return true
	}
	if p.ratio <= 0 {
		return false
	}
	completed := uint64(c.TotalSuccesses) + uint64(c.TotalFailures)
	return completed >= uint64(p.minimumCalls) &&
		float64(c.TotalFailures) >= p.ratio*float64(completed)
}
