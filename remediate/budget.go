package remediate

import (
	"time"

	"golang.org/x/time/rate"
)

// Budget is the engine-wide action budget, a token bucket shared by every
// policy: at most Actions actions at once, refilled at Actions per Per. So
// in any interval of length d at most Actions + Actions*d/Per actions pass
// (2*Actions within one Per, in the worst case of a full bucket spent at
// the start). The zero value means no budget.
type Budget struct {
	// Actions is the bucket size and the refill per Per. Zero means no
	// budget; negative is an error.
	Actions int
	// Per is the refill period. Required (positive) when Actions is set.
	Per time.Duration
}

func (b Budget) validate() error {
	switch {
	case b.Actions < 0:
		return invalid("Budget.Actions", b.Actions, "must not be negative")
	case b.Per < 0:
		return invalid("Budget.Per", b.Per, "must not be negative")
	case b.Actions > 0 && b.Per == 0:
		return invalid("Budget.Per", b.Per, "must be positive when Actions is set")
	}
	return nil
}

// limiter builds the bucket; nil means no budget. The bucket starts full.
func (b Budget) limiter() *rate.Limiter {
	if b.Actions == 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(float64(b.Actions)/b.Per.Seconds()), b.Actions)
}
