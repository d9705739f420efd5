package eval

// Profile is one of NAB's application profiles: the weights given to a true
// positive (the earliest detection in a window), a false positive (a
// detection outside every window) and a false negative (a window with no
// detection).
//
// The zero value scores nothing; use [Standard], [RewardLowFPRate],
// [RewardLowFNRate] or [Profiles]. A Profile is a plain value, safe to share.
type Profile struct {
	// Name identifies the profile in output ("standard", ...).
	Name string
	// TP weights the reward of the earliest detection in a window.
	TP float64
	// FP weights the penalty of a detection outside every window.
	FP float64
	// FN weights the penalty of a window with no detection.
	FN float64
}

// NAB's three built-in profiles (NAB v1.1 config/profiles.json).
var (
	Standard        = Profile{Name: "standard", TP: 1.0, FP: 0.11, FN: 1.0}
	RewardLowFPRate = Profile{Name: "reward_low_FP_rate", TP: 1.0, FP: 0.22, FN: 1.0}
	RewardLowFNRate = Profile{Name: "reward_low_FN_rate", TP: 1.0, FP: 0.11, FN: 2.0}
)

// Profiles returns NAB's three profiles in NAB's reporting order.
func Profiles() []Profile {
	return []Profile{Standard, RewardLowFPRate, RewardLowFNRate}
}
