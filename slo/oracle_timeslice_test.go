package slo

import (
	"testing"
	"time"
)

// TestTimeslicesMatchBruteForce is TestStatusMatchesBruteForce for
// Timeslices budgeting: a slice is judged on all its events; a window
// holds the slices that overlap it; the period holds the slices that start
// inside it (by the hour bucket of their start once they have left the
// 3-day ring).
func TestTimeslicesMatchBruteForce(t *testing.T) {
	for _, o := range []Objective{
		{Name: "5m", Target: 0.9, Window: Window{Rolling: 30 * day}, Budgeting: Timeslices, Timeslice: Timeslice{Duration: 5 * time.Minute, Target: 0.8}},
		{Name: "1h", Target: 0.9, Window: Window{Calendar: CalendarWeek, Location: time.FixedZone("x", 1800)}, Budgeting: Timeslices, Timeslice: Timeslice{Duration: time.Hour, Target: 0.8}},
	} {
		t.Run(o.Name, func(t *testing.T) {
			start := time.Date(2026, 2, 20, 7, 13, 0, 0, time.UTC)
			s := mustNew(t, o, start)
			sliceMin := int64(o.Timeslice.Duration / time.Minute)
			slices := map[int64][2]uint64{} // good, bad events by slice id
			record := func(now, at time.Time, good bool) {
				s.TickAt(now)
				s.RecordAt(at, good)
				addEvent(slices, floorDiv(unixMinute(at), sliceMin), good)
			}
			// judge counts a slice as one good or one bad slice.
			judge := func(g, b uint64, c [2]uint64) (uint64, uint64) {
				if float64(c[0]) >= o.Timeslice.Target*float64(c[0]+c[1]) {
					return g + 1, b
				}
				return g, b + 1
			}
			check := func(step int, now time.Time) {
				checkBruteForce(t, step, o, s.StatusAt(now), unixMinute(now), sliceMin, slices, judge)
			}
			randomStream(2, start, 6000, 20, 8, record, check)
		})
	}
}
