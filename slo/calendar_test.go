package slo

import (
	"testing"
	"time"
	_ "time/tzdata" // hermetic IANA zones
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestCalendarBounds(t *testing.T) {
	ny, berlin, kolkata := zone(t, "America/New_York"), zone(t, "Europe/Berlin"), zone(t, "Asia/Kolkata")
	tests := []struct {
		name       string
		w          Window
		at         time.Time
		start, end time.Time
		length     time.Duration
	}{
		{"month end UTC", Window{Calendar: CalendarMonth}, time.Date(2026, 1, 31, 23, 59, 59, 0, time.UTC),
			time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), 31 * day},
		{"february", Window{Calendar: CalendarMonth}, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), 28 * day},
		{"march with spring-forward", Window{Calendar: CalendarMonth, Location: ny}, time.Date(2026, 3, 15, 12, 0, 0, 0, ny),
			time.Date(2026, 3, 1, 0, 0, 0, 0, ny), time.Date(2026, 4, 1, 0, 0, 0, 0, ny), 31*day - time.Hour},
		{"week with fall-back", Window{Calendar: CalendarWeek, Location: berlin}, time.Date(2026, 10, 25, 23, 0, 0, 0, berlin),
			time.Date(2026, 10, 19, 0, 0, 0, 0, berlin), time.Date(2026, 10, 26, 0, 0, 0, 0, berlin), 7*day + time.Hour},
		{"week starts Monday", Window{Calendar: CalendarWeek}, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), 7 * day},
		{"quarter", Window{Calendar: CalendarQuarter, Location: kolkata}, time.Date(2026, 6, 30, 23, 59, 0, 0, kolkata),
			time.Date(2026, 4, 1, 0, 0, 0, 0, kolkata), time.Date(2026, 7, 1, 0, 0, 0, 0, kolkata), 91 * day},
	}
	for _, tc := range tests {
		start, end := tc.w.bounds(tc.at)
		if !start.Equal(tc.start) || !end.Equal(tc.end) || end.Sub(start) != tc.length {
			t.Errorf("%s: bounds %v..%v (%v), want %v..%v (%v)", tc.name, start, end, end.Sub(start), tc.start, tc.end, tc.length)
		}
	}
}

// The period resets exactly at local midnight on the first of the month,
// including across a DST change, and old events held in hourly buckets
// stay on their side of the boundary in a half-hour-offset zone.
func TestCalendarMonthResetsAtTheBoundary(t *testing.T) {
	for _, name := range []string{"UTC", "America/New_York", "Asia/Kolkata"} {
		t.Run(name, func(t *testing.T) {
			loc := zone(t, name)
			o := Objective{Name: "m", Target: 0.99, Window: Window{Calendar: CalendarMonth, Location: loc}}
			boundary := time.Date(2026, 4, 1, 0, 0, 0, 0, loc)
			s := mustNew(t, o, boundary.Add(-5*day))
			s.RecordAt(boundary.Add(-time.Second), false) // March 31 23:59:59 local
			before := s.StatusAt(boundary.Add(-time.Nanosecond))
			if before.Period.Bad != 1 || before.Period.Good != 0 || !before.PeriodEnd.Equal(boundary) {
				t.Errorf("March period good/bad %d/%d end %v, want 0/1 ending %v", before.Period.Good, before.Period.Bad, before.PeriodEnd, boundary)
			}
			s.RecordAt(boundary, true) // April 1 00:00:00 local
			s.RecordAt(boundary.Add(time.Minute), true)
			for _, after := range []time.Duration{time.Minute, 2 * time.Minute, 10 * day} {
				st := s.StatusAt(boundary.Add(after))
				if st.Period.Bad != 0 || st.Period.Good != 2 || !st.PeriodStart.Equal(boundary) {
					t.Errorf("April period %v after the boundary: good/bad %d/%d start %v, want 2/0 from %v",
						after, st.Period.Good, st.Period.Bad, st.PeriodStart, boundary)
				}
			}
		})
	}
}

func TestCalendarBudgetUsesTheActualPeriodLength(t *testing.T) {
	ny := zone(t, "America/New_York")
	o := Objective{Name: "m", Target: 0.999, Window: Window{Calendar: CalendarMonth, Location: ny}}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, ny)
	s := mustNew(t, o, start)
	feed(s, start, start.Add(10*day), 999, 1) // burn rate 1
	st := s.StatusAt(start.Add(10 * day))
	want := 1 - float64(10*day)/float64(31*day-time.Hour)
	if d := st.BudgetRemaining - want; d > 1e-9 || d < -1e-9 {
		t.Errorf("budget remaining %v, want %v (10 days of a 743-hour March)", st.BudgetRemaining, want)
	}
	// Tier thresholds use the nominal 30-day month.
	if st.Tiers[0].Threshold != 14.4 {
		t.Errorf("page threshold %v, want 14.4", st.Tiers[0].Threshold)
	}
}

// A calendar week that spans a DST change is an hour longer (fall back) or
// shorter (spring forward); events held in hourly buckets (older than the
// 3-day minute ring) stay on their side of both local-midnight boundaries.
func TestCalendarWeekAcrossDST(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	for _, tc := range []struct {
		name   string
		monday time.Time
		length time.Duration
	}{
		{"fall back", time.Date(2026, 10, 19, 0, 0, 0, 0, berlin), 7*day + time.Hour},
		{"spring forward", time.Date(2026, 3, 23, 0, 0, 0, 0, berlin), 7*day - time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := Objective{Name: "w", Target: 0.99, Window: Window{Calendar: CalendarWeek, Location: berlin}}
			end := time.Date(2026, tc.monday.Month(), tc.monday.Day()+7, 0, 0, 0, 0, berlin)
			s := mustNew(t, o, tc.monday.Add(-3*day))
			s.RecordAt(tc.monday.Add(-30*time.Second), false) // last minute of the week before
			s.RecordAt(tc.monday, true)
			s.RecordAt(tc.monday.Add(30*time.Minute), true)
			s.RecordAt(end.Add(-30*time.Second), false) // last minute of the week
			st := s.StatusAt(end.Add(-time.Nanosecond))
			if st.Period.Good != 2 || st.Period.Bad != 1 || !st.PeriodStart.Equal(tc.monday) ||
				!st.PeriodEnd.Equal(end) || st.Period.Window != tc.length {
				t.Errorf("week good/bad %d/%d, %v..%v (%v); want 2/1, %v..%v (%v)", st.Period.Good, st.Period.Bad,
					st.PeriodStart, st.PeriodEnd, st.Period.Window, tc.monday, end, tc.length)
			}
			s.RecordAt(end, true)
			next := s.StatusAt(end.Add(time.Minute))
			if next.Period.Good != 1 || next.Period.Bad != 0 || !next.PeriodStart.Equal(end) {
				t.Errorf("next week good/bad %d/%d from %v; want 1/0 from %v", next.Period.Good, next.Period.Bad, next.PeriodStart, end)
			}
		})
	}
}
