package breaker

// Mode overrides how a breaker decides. The zero value is ModeNormal.
type Mode uint8

const (
	// ModeNormal lets the trip policy decide.
	ModeNormal Mode = iota
	// ModeForcedOpen rejects every call.
	ModeForcedOpen
	// ModeForcedClosed admits every call whatever the policy says.
	ModeForcedClosed
	// ModeMetricsOnly (dry run) runs the policy and records what it would
	// have done, but admits every call.
	ModeMetricsOnly
)

// String returns "normal", "forced_open", "forced_closed" or "metrics_only".
func (m Mode) String() string {
	switch m {
	case ModeForcedOpen:
		return "forced_open"
	case ModeForcedClosed:
		return "forced_closed"
	case ModeMetricsOnly:
		return "metrics_only"
	default:
		return "normal"
	}
}
