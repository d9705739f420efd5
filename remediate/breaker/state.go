package breaker

import gobreaker "github.com/sony/gobreaker/v2"

// State is the state of a circuit breaker. The zero value is
// Closed.
type State uint8

const (
	// Closed admits calls and counts their outcomes.
	Closed State = iota
	// HalfOpen admits a bounded number of probe calls.
	HalfOpen
	// Open rejects calls until the open timeout has passed.
	Open
)

// String returns "closed", "half_open" or "open", the values of the
// circuit_breaker.state attribute.
func (s State) String() string {
	switch s {
	case HalfOpen:
		return "half_open"
	case Open:
		return "open"
	default:
		return "closed"
	}
}

func fromGobreakerState(s gobreaker.State) State {
	switch s {
	case gobreaker.StateHalfOpen:
		return HalfOpen
	case gobreaker.StateOpen:
		return Open
	default:
		return Closed
	}
}

// Counts are the outcomes a breaker has counted in its current
// window (closed) or round (half-open), as gobreaker keeps them. A slow
// success is a success here, except the one that trips the breaker on the
// slow-call ratio and slow half-open probes, which are failures.
type Counts struct {
	Requests             uint32
	Successes            uint32
	Failures             uint32
	Exclusions           uint32
	ConsecutiveSuccesses uint32
	ConsecutiveFailures  uint32
}

func fromGobreakerCounts(c gobreaker.Counts) Counts {
	return Counts{
		Requests:             c.Requests,
		Successes:            c.TotalSuccesses,
		Failures:             c.TotalFailures,
		Exclusions:           c.TotalExclusions,
		ConsecutiveSuccesses: c.ConsecutiveSuccesses,
		ConsecutiveFailures:  c.ConsecutiveFailures,
	}
}
