package remediate

import "time"

// maxCooldownTargets bounds the cooldown memory of a policy without a Pool,
// whose targets come from signals. Beyond it, after forgetting expired
// entries, new targets are denied (ReasonTargetLimit) rather than letting
// a flood of distinct targets grow memory without bound.
const maxCooldownTargets = 1 << 16

// cooldownState remembers, per policy, when each target was last acted on.
// Guarded by Engine.mu.
type cooldownState struct {
	last    map[string]time.Time
	sweepAt int // size at which expired entries are next forgotten
}

// cooling reports whether target is still cooling down at t. A t before
// the last action (time going backwards) counts as cooling.
func (c *cooldownState) cooling(d time.Duration, target string, t time.Time) bool {
	at, ok := c.last[target]
	return ok && t.Sub(at) < d
}

// full reports whether a new target cannot be remembered, after forgetting
// the entries that have cooled down. Sweeping only when the map has doubled
// keeps the cost amortised O(1) per decision.
func (c *cooldownState) full(d time.Duration, target string, t time.Time) bool {
	if _, ok := c.last[target]; ok || len(c.last) < c.sweepAt {
		return false
	}
	for k, at := range c.last {
		if t.Sub(at) >= d {
			delete(c.last, k)
		}
	}
	c.sweepAt = max(64, 2*len(c.last))
	return len(c.last) >= maxCooldownTargets
}

func (c *cooldownState) commit(d time.Duration, target string, t time.Time) {
	if d == 0 {
		return
	}
	if c.last == nil {
		c.last = make(map[string]time.Time)
		c.sweepAt = 64
	}
	c.last[target] = t
}
