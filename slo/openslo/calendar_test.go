package openslo

import (
	"testing"
	"time"

	"github.com/nines-sre/nines/slo"
)

// periodStart restates slo's calendar boundaries (slo keeps them
// unexported); this holds the two to each other: at every local midnight
// of a year, in UTC, in a zone whose DST changes at midnight
// (America/Santiago) and in one with a half-hour DST shift
// (Australia/Lord_Howe), t starts a period exactly when slo's status says
// its period starts at t.
func TestPeriodStartAgreesWithSLO(t *testing.T) {
	zones := []string{"UTC", "America/Santiago", "Australia/Lord_Howe"}
	units := []slo.CalendarUnit{slo.CalendarWeek, slo.CalendarMonth, slo.CalendarQuarter}
	for _, name := range zones {
		loc := zone(t, name)
		for _, u := range units {
			o := slo.Objective{Name: "x", Target: 0.99, Window: slo.Window{Calendar: u, Location: loc}}
			s, err := slo.New(o, slo.WithClock(func() time.Time { return time.Date(2022, 12, 1, 0, 0, 0, 0, time.UTC) }))
			if err != nil {
				t.Fatal(err)
			}
			starts := 0
			for d := range 366 {
				at := time.Date(2023, 1, 1+d, 0, 0, 0, 0, loc)
				want := s.StatusAt(at).PeriodStart.Equal(at)
				if got := periodStart(u, at); got != want {
					t.Fatalf("%s %s: periodStart(%v) = %v, slo says %v", name, u, at, got, want)
				}
				if want {
					starts++
				}
			}
			if starts == 0 {
				t.Fatalf("%s %s: no period start in a year", name, u)
			}
		}
	}
}
