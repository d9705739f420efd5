package admit

// Priority classes traffic for load shedding: lower classes are shed first,
// Critical last. The zero value is Normal.
type Priority int8

const (
	// Sheddable traffic (prefetches, batch jobs, retries) is shed first.
	Sheddable Priority = -1
	// Normal is the default class.
	Normal Priority = 0
	// Critical traffic (checkout, health of the business) is shed last.
	Critical Priority = 1
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
