package logpattern

import "slices"

// Count is one template's lines in one step, as [Miner.TakeCounts]
// returns them.
type Count struct {
	ID       ID
	Template string // empty for OverflowID
	Lines    uint64
}

// TakeCounts appends, for every kept template and for [OverflowID], the
// lines seen since the previous call, sorted by ID, and starts a new step.
// Templates with no line in the step are included with Lines 0, so a
// heartbeat template that stops shows as a drop to zero. Call it once per
// step (the detectors' interval); it allocates only to grow dst.
func (m *Miner) TakeCounts(dst []Count) []Count {
	m.mu.Lock()
	start := len(dst)
	dst = append(dst, Count{ID: OverflowID, Lines: m.overStep})
	m.overStep = 0
	for t := m.lru.next; t != &m.lru; t = t.next {
		dst = append(dst, Count{ID: t.id, Template: t.text, Lines: t.step})
		t.step = 0
	}
	m.mu.Unlock()
	slices.SortFunc(dst[start:], func(a, b Count) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return dst
}
