package slo

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestStatusMatchesBruteForce replays a seeded random stream (mostly in
// order, some events late by up to two days) over 40 days and checks every
// window and the period against a direct count of the events: a window of
// L minutes holds the minutes (cur-L, cur]; the period holds the minutes
// from its start that are still in the 3-day ring, and older minutes whose
// whole hour bucket starts inside the period.
func TestStatusMatchesBruteForce(t *testing.T) {
	kolkata := zone(t, "Asia/Kolkata")
	for _, o := range []Objective{
		{Name: "rolling", Target: 0.99, Window: Window{Rolling: 30 * day}},
		{Name: "rolling5d", Target: 0.99, Window: Window{Rolling: 5*day + 17*time.Minute}},
		{Name: "month", Target: 0.99, Window: Window{Calendar: CalendarMonth, Location: kolkata}},
		{Name: "week", Target: 0.99, Window: Window{Calendar: CalendarWeek}},
	} {
		t.Run(o.Name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(len(o.Name))))
			start := time.Date(2026, 2, 20, 7, 13, 0, 0, time.UTC)
			s := mustNew(t, o, start)
			type ev struct {
				m    int64
				good bool
			}
			var evs []ev
			now := start
			for step := 0; step < 4000; step++ {
				now = now.Add(time.Duration(rng.IntN(30)) * time.Minute)
				at := now
				if rng.IntN(5) == 0 {
					at = now.Add(-time.Duration(rng.IntN(2*24*60)) * time.Minute)
					if at.Before(start) {
						at = start
					}
				}
				good := rng.IntN(3) != 0
				s.TickAt(now)
				s.RecordAt(at, good)
				evs = append(evs, ev{unixMinute(at), good})
				if step%97 != 0 {
					continue
				}
				st := s.StatusAt(now)
				cur := unixMinute(now)
				for _, w := range st.Windows {
					var g, b uint64
					for _, e := range evs {
						if e.m > cur-int64(w.Window/time.Minute) && e.m <= cur {
							if e.good {
								g++
							} else {
								b++
							}
						}
					}
					if w.Good != g || w.Bad != b {
						t.Fatalf("step %d window %v: %d/%d, brute force %d/%d", step, w.Window, w.Good, w.Bad, g, b)
					}
				}
				pStart := unixMinute(st.PeriodStart)
				align := floorMod(pStart, 60)
				if o.Window.Calendar == CalendarNone {
					align = 0
				}
				var g, b uint64
				for _, e := range evs {
					in := e.m >= pStart
					if e.m <= cur-ringMinutes {
						in = e.m-floorMod(e.m-align, 60) >= pStart
					}
					if in && e.m <= cur {
						if e.good {
							g++
						} else {
							b++
						}
					}
				}
				if st.Period.Good != g || st.Period.Bad != b {
					t.Fatalf("step %d period from %v: %d/%d, brute force %d/%d", step, st.PeriodStart, st.Period.Good, st.Period.Bad, g, b)
				}
			}
		})
	}
}
