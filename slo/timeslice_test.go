package slo

import (
	"testing"
	"time"
)

// A slice is good when its good ratio meets the slice target; windows and
// the period count slices, including those folded into hourly buckets.
func TestTimeslices(t *testing.T) {
	o := Objective{Name: "ts", Target: 0.9, Window: Window{Rolling: 7 * day},
		Budgeting: Timeslices, Timeslice: Timeslice{Duration: 5 * time.Minute, Target: 0.95}}
	s := mustNew(t, o, t0)
	// Each 5-minute slice gets 100 events per minute; every 4th slice has
	// 6% errors (bad), the others 5% (exactly the target: good).
	const slices = 6 * 24 * 12 // six days
	for i := range slices {
		bad := uint32(5)
		if i%4 == 3 {
			bad = 6
		}
		for m := range 5 {
			s.AddAt(t0.Add(time.Duration(i*5+m)*time.Minute), 100-bad, bad)
		}
	}
	now := t0.Add(6 * day)
	st := s.StatusAt(now)
	if st.Period.Good != slices*3/4 || st.Period.Bad != slices/4 {
		t.Errorf("period slices good/bad %d/%d, want %d/%d", st.Period.Good, st.Period.Bad, slices*3/4, slices/4)
	}
	// The current slice (empty) overlaps the 1h window, as do 12 full
	// slices before it: 3 of them bad.
	h, _ := st.Window(time.Hour)
	if h.Good != 9 || h.Bad != 3 {
		t.Errorf("1h window slices good/bad %d/%d, want 9/3", h.Good, h.Bad)
	}
	// Burn rate is over slices: 25% bad slices on a 90% target.
	if d := h.BurnRate - 2.5; d > 1e-9 || d < -1e-9 {
		t.Errorf("1h burn rate %v, want 2.5", h.BurnRate)
	}
	// Cumulative events still count events, not slices.
	if st.Good+st.Bad != slices*500 {
		t.Errorf("events %d, want %d", st.Good+st.Bad, slices*500)
	}
}

func TestTimesliceDefaultsToOneMinuteAndObjectiveTarget(t *testing.T) {
	o := Objective{Name: "ts", Target: 0.99, Window: Window{Rolling: day}, Budgeting: Timeslices}
	s := mustNew(t, o, t0)
	got := s.Objective().Timeslice
	if got.Duration != time.Minute || got.Target != 0.99 {
		t.Errorf("defaulted timeslice %+v, want 1m at 0.99", got)
	}
	s.AddAt(t0, 99, 1)                  // good: 99%
	s.AddAt(t0.Add(time.Minute), 98, 2) // bad
	w, _ := s.StatusAt(t0.Add(2 * time.Minute)).Window(5 * time.Minute)
	if w.Good != 1 || w.Bad != 1 {
		t.Errorf("slices good/bad %d/%d, want 1/1", w.Good, w.Bad)
	}
}
