package remediate

import gobreaker "github.com/sony/gobreaker/v2"

// BreakerState is the state of a circuit breaker. The zero value is
// BreakerClosed.
type BreakerState uint8

const (
	// BreakerClosed admits calls and counts their outcomes.
	BreakerClosed BreakerState = iota
	// BreakerHalfOpen admits a bounded number of probe calls.
	BreakerHalfOpen
	// BreakerOpen rejects calls until the open timeout has passed.
	BreakerOpen
)

// String returns "closed", "half_open" or "open", the values of the
// circuit_breaker.state attribute.
func (s BreakerState) String() string {
	switch s {
	case BreakerHalfOpen:
		return "half_open"
	case BreakerOpen:
		return "open"
	default:
		return "closed"
	}
}

func fromGobreakerState(s gobreaker.State) BreakerState {
	switch s {
	case gobreaker.StateHalfOpen:
		return BreakerHalfOpen
	case gobreaker.StateOpen:
		return BreakerOpen
	default:
		return BreakerClosed
	}
}

// BreakerCounts are the outcomes a breaker has counted in its current
// window (closed) or round (half-open), as gobreaker keeps them. A slow
// success is a success here, except the one that trips the breaker on the
// slow-call ratio and slow half-open probes, which are failures.
type BreakerCounts struct {
	Requests             uint32
	Successes            uint32
	Failures             uint32
	Exclusions           uint32
	ConsecutiveSuccesses uint32
	ConsecutiveFailures  uint32
}

func fromGobreakerCounts(c gobreaker.Counts) BreakerCounts {
	return BreakerCounts{
		Requests:             c.Requests,
		Successes:            c.TotalSuccesses,
		Failures:             c.TotalFailures,
		Exclusions:           c.TotalExclusions,
		ConsecutiveSuccesses: c.ConsecutiveSuccesses,
		ConsecutiveFailures:  c.ConsecutiveFailures,
	}
}
