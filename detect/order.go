package detect

import "time"

// clock enforces the package's timestamp rule shared by every detector: a
// point whose timestamp is before the last accepted one is out of order and
// skipped (Result.Skipped, no learning); equal timestamps are accepted. A
// non-finite value is skipped too, without moving the clock.
type clock struct {
	last    int64 // UnixNano of the last accepted point
	prev    int64 // UnixNano of the one before it
	seen    bool
	hasPrev bool
}

// admit reports whether (t, v) may be used, and records t if so.
func (c *clock) admit(t time.Time, v float64) bool {
	if !finite(v) {
		return false
	}
	ns := t.UnixNano()
	if c.seen && ns < c.last {
		return false
	}
	c.prev, c.hasPrev = c.last, c.seen
	c.last, c.seen = ns, true
	return true
}

// skipped is the Result for a point that was not used.
var skipped = Result{Skipped: true}

// prevOr returns the timestamp accepted before the current one when it is
// known, else def.
func (c *clock) prevOr(def int64) int64 {
	if !c.hasPrev {
		return def
	}
	return c.prev
}
