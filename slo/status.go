package slo

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// Windows are the alert windows Status reports, shortest first; their
// labels are the slo.window metric attribute values. A window of L
// minutes holds the current minute and the L-1 before it.
var Windows = []time.Duration{
	5 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour,
	6 * time.Hour, 24 * time.Hour, 3 * 24 * time.Hour,
}

// WindowLabel is the slo.window attribute value of d: "5m", "30m", "1h",
// "2h", "6h", "1d", "3d"; other durations print in Go syntax.
func WindowLabel(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d >= time.Minute && d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return d.String()
}

// Never is the TimeToExhaustion of a budget that is not burning.
const Never = time.Duration(math.MaxInt64)

// WindowStatus is one window's tally, a plain value; the zero value is an
// empty window. For Timeslices budgeting Good and
// Bad count slices, otherwise events.
type WindowStatus struct {
	Window time.Duration
	Good   uint64
	Bad    uint64
	// ErrorRatio is Bad/(Good+Bad), 0 without data.
	ErrorRatio float64
	// BurnRate is ErrorRatio/(1-Target): 1 spends exactly the budget over
	// the period. 0 without data.
	BurnRate float64
	// NoData is true when the window holds no event.
	NoData bool
}

// TierStatus is the state of one alert tier, a plain value.
type TierStatus struct {
	Tier      Tier
	Threshold float64
	Long      WindowStatus
	Short     WindowStatus
	// MinEvents is the low-traffic guard (Tier.MinEventCount): the tier
	// fires only when both windows hold at least this many events.
	MinEvents uint64
	// TooFewEvents is true when a window holds fewer than MinEvents events:
	// the tier is silent whatever its burn rates, because at this traffic
	// one bad event is a burn rate above the threshold. Reason says so.
	TooFewEvents bool
	// WarmingUp is true when both windows' burn rates are above Threshold
	// but the history is shorter than a window and, counting the time
	// before the history began as having burnt nothing, has not yet spent
	// the tier's share of the budget: a process that has just started
	// knows only its own few minutes, and a low-threshold tier judged on
	// them alone would report the luck of a few requests. A full outage
	// still fires a tier as soon as it has spent that share, which is the
	// SRE Workbook's detection time after a healthy window (52 s for a
	// 99.9% objective's 1h/5m tier). Reason says "warming up".
	WarmingUp bool
	// Firing is true when both windows' burn rates are strictly above
	// Threshold, neither window has too few events and the tier is not
	// warming up.
	Firing bool
}

// covered is the burn rate of a window of length w of which only the last
// history is known, the rest counted as having burnt nothing.
func covered(burn float64, history, w time.Duration) float64 {
	if history >= w || w <= 0 {
		return burn
	}
	return burn * max(0, float64(history)) / float64(w)
}

// Reason says in words why the tier is or is not firing: "firing",
// "too few events" (the low-traffic guard holds it silent), "warming up"
// (burning, but the history has not yet spent the tier's share: see
// WarmingUp) or "ok".
func (ts TierStatus) Reason() string {
	switch {
	case ts.Firing:
		return "firing"
	case ts.TooFewEvents:
		return "too few events"
	case ts.WarmingUp:
		return "warming up"
	}
	return "ok"
}

// Status is a point-in-time report of an objective, returned by
// SLO.Status. It is a plain value, safe to keep and share; its zero value
// reports nothing.
type Status struct {
	Name   string
	Target float64
	// At is the instant reported: the time given to StatusAt, or the start
	// of the coarse clock's minute if that was later.
	At time.Time
	// Windows holds the alert windows in the order of the Windows
	// variable.
	Windows []WindowStatus
	// Period is the compliance period so far: a rolling window's last
	// Rolling (minute-exact for 3 days, hour-exact before), or the current
	// calendar period [PeriodStart, PeriodEnd).
	Period                 WindowStatus
	PeriodStart, PeriodEnd time.Time
	// BudgetRemaining is the fraction of the period's error budget left:
	// 1 - (period error ratio / (1-Target)) x (observed share of the
	// period). It is projected so that a steady burn rate of 1 reaches 0
	// exactly at the end of the period, and may go negative.
	BudgetRemaining float64
	// TimeToExhaustion is how long the remaining budget lasts at the 5m
	// window's burn rate: 0 when already exhausted, Never when not burning.
	TimeToExhaustion time.Duration
	Tiers            []TierStatus
	// Good and Bad are cumulative event counts of the objective's history,
	// including DroppedLate and any history restored from a snapshot. The
	// exported slo.events counter is ProcessEvents instead, which a restore
	// never moves.
	Good, Bad uint64
	// DroppedLate counts events recorded more than 3 days late, which no
	// window holds.
	DroppedLate uint64
}

// Window returns the status of the alert window d and whether it exists.
func (st Status) Window(d time.Duration) (WindowStatus, bool) {
	for _, w := range st.Windows {
		if w.Window == d {
			return w, true
		}
	}
	return WindowStatus{}, false
}

// Status reports the objective at the clock's current time.
func (s *SLO) Status() Status { return s.StatusAt(s.now()) }

// StatusAt reports the objective at t, first advancing the coarse clock to
// t. The clock never goes back: a t before the clock's current minute is
// reported as of the start of that minute (Status.At says which).
func (s *SLO) StatusAt(t time.Time) Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceLocked(unixMinute(t))
	cur := s.cur.Load()
	if floor := minuteTime(cur); t.Before(floor) {
		t = floor
	}

	lengths := make([]int64, 0, len(Windows)+2*len(s.obj.Tiers))
	for _, w := range Windows {
		lengths = append(lengths, int64(w/time.Minute))
	}
	for _, tr := range s.obj.Tiers {
		lengths = append(lengths, int64(tr.Long/time.Minute), int64(tr.Short/time.Minute))
	}
	slices.Sort(lengths)
	lengths = slices.Compact(lengths)

	pStart, pEnd, span := s.periodAt(t, cur)
	sums, periodG, periodB := s.walk(cur, lengths, unixMinute(pStart))
	hg, hb := s.hoursFrom(unixMinute(pStart))
	periodG += hg
	periodB += hb

	st := Status{
		Name: s.obj.Name, Target: s.obj.Target, At: t,
		PeriodStart: pStart, PeriodEnd: pEnd,
		DroppedLate: s.droppedGood.Load() + s.droppedBad.Load(),
	}
	byLen := func(d time.Duration) WindowStatus {
		i, _ := slices.BinarySearch(lengths, int64(d/time.Minute))
		return s.window(d, sums[i][0], sums[i][1])
	}
	for _, w := range Windows {
		st.Windows = append(st.Windows, byLen(w))
	}
	st.Period = s.window(pEnd.Sub(pStart), periodG, periodB)
	coverage := min(1, max(0, float64(span)/float64(pEnd.Sub(pStart))))
	st.BudgetRemaining = 1 - st.Period.BurnRate*coverage
	st.TimeToExhaustion = exhaustion(st.BudgetRemaining, st.Windows[0].BurnRate, pEnd.Sub(pStart))
	history := t.Sub(time.Unix(s.origin.Load(), 0))
	for i, tr := range s.obj.Tiers {
		ts := TierStatus{Tier: tr, Threshold: s.thresholds[i], Long: byLen(tr.Long), Short: byLen(tr.Short),
			MinEvents: s.minEvents[i]}
		ts.TooFewEvents = ts.Long.Good+ts.Long.Bad < ts.MinEvents || ts.Short.Good+ts.Short.Bad < ts.MinEvents
		burning := ts.Long.BurnRate > ts.Threshold && ts.Short.BurnRate > ts.Threshold
		spent := covered(ts.Long.BurnRate, history, tr.Long) > ts.Threshold &&
			covered(ts.Short.BurnRate, history, tr.Short) > ts.Threshold
		ts.Firing = !ts.TooFewEvents && burning && spent
		ts.WarmingUp = !ts.TooFewEvents && burning && !spent
		st.Tiers = append(st.Tiers, ts)
	}
	st.Good, st.Bad = s.eventsLocked()
	return st
}

func (s *SLO) window(d time.Duration, good, bad uint64) WindowStatus {
	w := WindowStatus{Window: d, Good: good, Bad: bad, NoData: good+bad == 0}
	if !w.NoData {
		w.ErrorRatio = float64(bad) / float64(good+bad)
		w.BurnRate = w.ErrorRatio / (1 - s.obj.Target)
	}
	return w
}

func exhaustion(remaining, burn float64, period time.Duration) time.Duration {
	switch {
	case remaining <= 0:
		return 0
	case burn <= 0:
		return Never
	}
	d := remaining * float64(period) / burn
	if d >= float64(Never) {
		return Never
	}
	return time.Duration(d)
}

// periodAt returns the period containing t and the observed span of it
// (from the later of its start and the objective's origin).
func (s *SLO) periodAt(t time.Time, cur int64) (start, end time.Time, span time.Duration) {
	origin := time.Unix(s.origin.Load(), 0)
	if s.obj.Window.Calendar == CalendarNone {
		p := s.obj.Window.Rolling
		start = minuteTime(cur - int64(p/time.Minute) + 1)
		return start, start.Add(p), t.Sub(origin)
	}
	start, end = s.obj.Window.bounds(t)
	from := start
	if origin.After(from) {
		from = origin
	}
	return start, end, t.Sub(from)
}

// walk sums the ring backwards from minute cur. sums[i] holds good and bad
// units (events or slices) of the window of lengths[i] minutes; period
// holds the units from minute pStart on. A slice belongs to every window
// it overlaps and to the period when it starts inside it.
func (s *SLO) walk(cur int64, lengths []int64, pStart int64) (sums [][2]uint64, pg, pb uint64) {
	sums = make([][2]uint64, len(lengths))
	var g, b uint64 // running units
	next := 0       // first window not yet closed
	var sg, sb uint64
	idx := floorMod(cur, ringMinutes)
	for i := int64(0); i < ringMinutes; i++ {
		m := cur - i
		slot := &s.ring[idx]
		if idx--; idx < 0 {
			idx = ringMinutes - 1
		}
		mg, mb := uint64(slot.good.Load()), uint64(slot.bad.Load())
		unitStart, age := m, i
		if s.sliceMin != 0 {
			sg += mg
			sb += mb
			oldest := i == ringMinutes-1
			if floorMod(m, s.sliceMin) != 0 && !oldest {
				continue
			}
			if oldest && s.sliceOf(m) == s.pendSlice {
				sg += s.pendGood
				sb += s.pendBad
			}
			mg, mb = 0, 0
			if sg+sb != 0 {
				if s.sliceGood(sg, sb) {
					mg = 1
				} else {
					mb = 1
				}
			}
			age = max(0, cur-(s.sliceOf(m)+1)*s.sliceMin+1)
			unitStart = s.sliceOf(m) * s.sliceMin
			sg, sb = 0, 0
		}
		for next < len(lengths) && lengths[next] <= age {
			sums[next] = [2]uint64{g, b}
			next++
		}
		g += mg
		b += mb
		if unitStart >= pStart {
			pg += mg
			pb += mb
		}
	}
	for ; next < len(lengths); next++ {
		sums[next] = [2]uint64{g, b}
	}
	return sums, pg, pb
}

// hoursFrom sums the hourly buckets whose hour starts at or after minute
// from.
func (s *SLO) hoursFrom(from int64) (g, b uint64) {
	n := int64(len(s.hours))
	for h := s.lastHour; h > s.lastHour-n; h-- {
		if h*60+s.hourAlign < from {
			break
		}
		hb := s.hours[floorMod(h, n)]
		g += hb.good
		b += hb.bad
	}
	return g, b
}

// Events returns the cumulative good and bad event counts of the
// objective's history, restored snapshots included (Status.Good and Bad);
// the exported counter is ProcessEvents. It reads every minute of the ring, so it is
// meant for metric collection, not for the hot path.
func (s *SLO) Events() (good, bad uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eventsLocked()
}

func (s *SLO) eventsLocked() (good, bad uint64) {
	good = s.foldedGood + s.droppedGood.Load()
	bad = s.foldedBad + s.droppedBad.Load()
	for i := range s.ring {
		good += uint64(s.ring[i].good.Load())
		bad += uint64(s.ring[i].bad.Load())
	}
	return good, bad
}
