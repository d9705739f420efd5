package remediate

import "time"

// blastState remembers, per policy, when each target of its pool was last
// acted on. It holds at most len(Pool) entries. Guarded by Engine.mu.
type blastState struct {
	acted map[string]time.Time
}

// allow reports whether acting on target at t keeps the policy within its
// blast radius, counting the candidate itself. It forgets targets whose
// window has passed.
func (b *blastState) allow(r *BlastRadius, pool int, target string, t time.Time) bool {
	if r.MaxPercent == 0 {
		return true
	}
	n := 0
	for k, at := range b.acted {
		if t.Sub(at) >= r.Window {
			delete(b.acted, k)
			continue
		}
		if k == target {
			return true // already counted: acting again does not widen it
		}
		n++
	}
	return blastAllows(r, pool, n)
}

// blastAllows is the rule, after the candidate action: with acted distinct
// targets already counted, one more is allowed iff acted+1 <= MinTargets or
// (acted+1)/pool <= MaxPercent/100. Both sides are compared multiplied out,
// in float64, which is exact for any realistic pool.
func blastAllows(r *BlastRadius, pool, acted int) bool {
	after := acted + 1
	if after <= r.MinTargets {
		return true
	}
	return float64(after)*100 <= r.MaxPercent*float64(pool)
}

func (b *blastState) commit(r *BlastRadius, target string, t time.Time) {
	if r.MaxPercent == 0 {
		return
	}
	if b.acted == nil {
		b.acted = make(map[string]time.Time)
	}
	b.acted[target] = t
}
