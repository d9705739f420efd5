package slo

import (
	"math/rand/v2"
	"testing"
	"time"
)

// randomStream drives a seeded stream of n events from start: the clock
// moves 0 to maxGap minutes a step, one event in five arrives up to two
// days late (never before start), and an event is good with probability
// goodOf10/10. record gets every event; check runs every 89th step.
func randomStream(seed uint64, start time.Time, n, maxGap, goodOf10 int, record func(now, at time.Time, good bool), check func(step int, now time.Time)) {
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	now := start
	for step := 0; step < n; step++ {
		now = now.Add(time.Duration(rng.IntN(maxGap)) * time.Minute)
		at := now
		if rng.IntN(5) == 0 {
			at = now.Add(-time.Duration(rng.IntN(2*24*60)) * time.Minute)
			if at.Before(start) {
				at = start
			}
		}
		record(now, at, rng.IntN(10) < goodOf10)
		if step%89 == 0 {
			check(step, now)
		}
	}
}

func sameCounts(t *testing.T, step int, what string, w WindowStatus, good, bad uint64) {
	t.Helper()
	if w.Good != good || w.Bad != bad {
		t.Fatalf("step %d %s: %d/%d, brute force %d/%d", step, what, w.Good, w.Bad, good, bad)
	}
}

// periodAlign is the minute (mod 60) at which the hour buckets of the
// period starting at pStart begin.
func periodAlign(o Objective, pStart int64) int64 {
	if o.Window.Calendar == CalendarNone {
		return 0
	}
	return floorMod(pStart, 60)
}

// checkBruteForce compares st with a direct count of units: events by
// minute (sliceMin 1) or by slice id. tally adds one unit's good and bad
// events to the window's figures (events, or one judged slice). A window
// of L minutes holds the units overlapping (cur-L, cur]; the period holds
// the units starting inside it, judged by the hour bucket of their start
// once they have left the 3-day ring.
func checkBruteForce(t *testing.T, step int, o Objective, st Status, cur, sliceMin int64,
	units map[int64][2]uint64, tally func(g, b uint64, c [2]uint64) (uint64, uint64)) {
	t.Helper()
	for _, w := range st.Windows {
		var g, b uint64
		for id, c := range units {
			if (id+1)*sliceMin-1 > cur-int64(w.Window/time.Minute) && id*sliceMin <= cur {
				g, b = tally(g, b, c)
			}
		}
		sameCounts(t, step, "window "+w.Window.String(), w, g, b)
	}
	pStart := unixMinute(st.PeriodStart)
	align := periodAlign(o, pStart)
	var g, b uint64
	for id, c := range units {
		first := id * sliceMin
		in := first >= pStart
		if (id+1)*sliceMin-1 <= cur-ringMinutes {
			in = first-floorMod(first-align, 60) >= pStart
		}
		if in && first <= cur {
			g, b = tally(g, b, c)
		}
	}
	sameCounts(t, step, "period from "+st.PeriodStart.String(), st.Period, g, b)
}

// countUnit adds a unit's events as they are, for Occurrences.
func countUnit(g, b uint64, c [2]uint64) (uint64, uint64) { return g + c[0], b + c[1] }

// addEvent counts one event in units[id].
func addEvent(units map[int64][2]uint64, id int64, good bool) {
	c := units[id]
	if good {
		c[0]++
	} else {
		c[1]++
	}
	units[id] = c
}

// TestStatusMatchesBruteForce replays a random stream (some events late by
// up to two days) over 40 days and checks every window and the period
// against a direct count of the events: a window of L minutes holds the
// minutes (cur-L, cur]; the period holds the minutes from its start that
// are still in the 3-day ring, and older minutes whose whole hour bucket
// starts inside the period.
func TestStatusMatchesBruteForce(t *testing.T) {
	kolkata := zone(t, "Asia/Kolkata")
	for _, o := range []Objective{
		{Name: "rolling", Target: 0.99, Window: Window{Rolling: 30 * day}},
		{Name: "rolling5d", Target: 0.99, Window: Window{Rolling: 5*day + 17*time.Minute}},
		{Name: "month", Target: 0.99, Window: Window{Calendar: CalendarMonth, Location: kolkata}},
		{Name: "week", Target: 0.99, Window: Window{Calendar: CalendarWeek}},
	} {
		t.Run(o.Name, func(t *testing.T) {
			start := time.Date(2026, 2, 20, 7, 13, 0, 0, time.UTC)
			s := mustNew(t, o, start)
			events := map[int64][2]uint64{} // good, bad by minute
			record := func(now, at time.Time, good bool) {
				s.TickAt(now)
				s.RecordAt(at, good)
				addEvent(events, unixMinute(at), good)
			}
			check := func(step int, now time.Time) {
				checkBruteForce(t, step, o, s.StatusAt(now), unixMinute(now), 1, events, countUnit)
			}
			randomStream(1, start, 4000, 30, 7, record, check)
		})
	}
}
