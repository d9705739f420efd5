package slo

import (
	"bytes"
	"testing"
	"time"
)

// TestRestoredObjectiveTracksTheOriginal snapshots an objective mid-way
// through a random stream, restores it into a fresh objective, feeds both
// the rest of the stream and checks that every window, the period and the
// budget stay identical, across calendar boundaries and hour buckets.
func TestRestoredObjectiveTracksTheOriginal(t *testing.T) {
	for _, o := range []Objective{
		{Name: "rolling", Target: 0.99, Window: Window{Rolling: 30 * day}},
		{Name: "month", Target: 0.99, Window: Window{Calendar: CalendarMonth, Location: zone(t, "America/New_York")}},
		{Name: "slices", Target: 0.9, Window: Window{Calendar: CalendarWeek}, Budgeting: Timeslices, Timeslice: Timeslice{Duration: 10 * time.Minute, Target: 0.8}},
	} {
		t.Run(o.Name, func(t *testing.T) {
			start := time.Date(2026, 2, 20, 7, 13, 0, 0, time.UTC)
			orig := mustNew(t, o, start)
			var restored *SLO
			steps := 0
			record := func(now, at time.Time, good bool) {
				steps++
				for _, s := range []*SLO{orig, restored} {
					if s != nil {
						s.TickAt(now)
						s.RecordAt(at, good)
					}
				}
				if steps == 1500 {
					var b bytes.Buffer
					if _, err := orig.WriteTo(&b); err != nil {
						t.Fatal(err)
					}
					restored = mustNew(t, o, now)
					if _, err := restored.ReadFrom(&b); err != nil {
						t.Fatal(err)
					}
				}
			}
			compared := 0
			check := func(step int, now time.Time) {
				if restored == nil {
					return
				}
				a, b := orig.StatusAt(now), restored.StatusAt(now)
				for i := range a.Windows {
					if a.Windows[i] != b.Windows[i] {
						t.Fatalf("step %d: window %v %+v, restored %+v", step, a.Windows[i].Window, a.Windows[i], b.Windows[i])
					}
				}
				if a.Period != b.Period || a.BudgetRemaining != b.BudgetRemaining || a.Good != b.Good || a.Bad != b.Bad {
					t.Fatalf("step %d: period %+v budget %v, restored %+v budget %v", step, a.Period, a.BudgetRemaining, b.Period, b.BudgetRemaining)
				}
				compared++
			}
			randomStream(3, start, 4000, 30, 8, record, check)
			if compared < 20 {
				t.Fatalf("only %d comparisons", compared)
			}
		})
	}
}
