package admit

// Priority classes traffic for load shedding: lower classes are shed first,
// Critical last. The zero value is Normal.
type Priority int8

const (
	Sheddable Priority = -1
	Normal    Priority = 0
	Critical  Priority = 1
)

// String returns "sheddable", "normal" or "critical".
func (p Priority) String() string {
	switch {
	case p < Normal:
		return "sheddable"
	case p > Normal:
		return "critical"
	default:
		return "normal"
	}
}
