package slo

import (
	"math"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func fixed(t time.Time) ClockOption { return WithClock(func() time.Time { return t }) }

func mustNew(t testing.TB, o Objective, start time.Time) *SLO {
	t.Helper()
	s, err := New(o, fixed(start))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// feed adds good and bad events at the start of every minute in [from, to).
func feed(s *SLO, from, to time.Time, good, bad uint32) {
	for t := from; t.Before(to); t = t.Add(time.Minute) {
		s.AddAt(t, good, bad)
	}
}

func api(target float64, period time.Duration) Objective {
	return Objective{Name: "api", Target: target, Window: Window{Rolling: period}}
}

// A 100% outage on 99.9%/30d fires the 1h/5m page within 5 minutes and
// resolves within 5 minutes of recovery, wherever in a minute the outage
// starts and ends. Events arrive every 10 s and so does the evaluation.
func TestOutageFiresAndResolvesPage(t *testing.T) {
	for _, offset := range []time.Duration{0, 30 * time.Second, 50 * time.Second} {
		t.Run(offset.String(), func(t *testing.T) {
			s := mustNew(t, api(0.999, 30*day), t0)
			feed(s, t0, t0.Add(day), 600, 0)
			outage := t0.Add(day + offset)
			recovery := outage.Add(20 * time.Minute)
			var fired, resolved time.Duration = -1, -1
			for at := t0.Add(day); at.Before(recovery.Add(10 * time.Minute)); at = at.Add(10 * time.Second) {
				bad := !at.Before(outage) && at.Before(recovery)
				if bad {
					s.AddAt(at, 0, 100)
				} else {
					s.AddAt(at, 100, 0)
				}
				firing := s.StatusAt(at).Tiers[0].Firing
				if firing && fired < 0 {
					fired = at.Sub(outage)
				}
				if !firing && fired >= 0 && !at.Before(recovery) && resolved < 0 {
					resolved = at.Sub(recovery)
					if st := s.StatusAt(at); st.Tiers[0].Long.BurnRate <= 14.4 {
						t.Errorf("resolved through the long window (%v), want through the short one", st.Tiers[0].Long.BurnRate)
					}
				}
				if bad && fired >= 0 && !firing {
					t.Fatalf("page stopped firing during the outage at +%v", at.Sub(outage))
				}
			}
			t.Logf("fired %v after the outage began, resolved %v after recovery", fired, resolved)
			if fired < 0 || fired > 5*time.Minute {
				t.Errorf("page fired after %v of outage, want within 5m", fired)
			}
			if resolved < 0 || resolved > 5*time.Minute {
				t.Errorf("page resolved %v after recovery, want within 5m", resolved)
			}
		})
	}
}

// A steady 0.1% error ratio on 99.9% burns at rate 1 and exhausts the
// budget exactly at the end of the period.
func TestSteadyBurnExhaustsAtPeriodEnd(t *testing.T) {
	s := mustNew(t, api(0.999, 30*day), t0)
	feed(s, t0, t0.Add(10*day), 999, 1)
	st := s.StatusAt(t0.Add(10 * day))
	for _, w := range st.Windows {
		if math.Abs(w.BurnRate-1) > 1e-9 {
			t.Errorf("window %v burn rate %v, want 1", w.Window, w.BurnRate)
		}
	}
	if math.Abs(st.BudgetRemaining-2.0/3) > 1e-9 {
		t.Errorf("after 10 of 30 days budget remaining %v, want 2/3", st.BudgetRemaining)
	}
	if d := st.TimeToExhaustion - 20*day; d < -time.Second || d > time.Second {
		t.Errorf("time to exhaustion %v, want 480h (the period's end)", st.TimeToExhaustion)
	}
	feed(s, t0.Add(10*day), t0.Add(30*day), 999, 1)
	end := s.StatusAt(t0.Add(30 * day))
	if math.Abs(end.BudgetRemaining) > 1e-9 || end.TimeToExhaustion > time.Second {
		t.Errorf("at the period's end budget %v, exhaustion in %v; want 0 and 0", end.BudgetRemaining, end.TimeToExhaustion)
	}
	before := s.StatusAt(t0.Add(30*day - time.Minute))
	if before.BudgetRemaining <= 0 {
		t.Errorf("a minute before the end budget %v, want > 0", before.BudgetRemaining)
	}
}

// 99.999% over 30 days allows 25.92 s of full outage.
func TestFiveNinesExhaustsInAbout26Seconds(t *testing.T) {
	s := mustNew(t, api(0.99999, 30*day), t0)
	feed(s, t0, t0.Add(30*day), 6000, 0) // 100 events/s
	outage := t0.Add(30 * day)
	full := s.StatusAt(outage)
	if full.BudgetRemaining != 1 {
		t.Fatalf("budget before outage %v, want 1", full.BudgetRemaining)
	}
	var exhausted time.Duration = -1
	for sec := 0; sec < 40; sec++ {
		at := outage.Add(time.Duration(sec) * time.Second)
		s.AddAt(at, 0, 100)
		if s.StatusAt(at.Add(time.Second)).BudgetRemaining <= 0 {
			exhausted = time.Duration(sec+1) * time.Second
			break
		}
	}
	if exhausted < 25*time.Second || exhausted > 27*time.Second {
		t.Errorf("budget exhausted after %v of full outage, want about 26s", exhausted)
	}
	// At full burn (rate 100000) a full budget lasts 25.92 s.
	if got := exhaustion(1, 1/(1-0.99999), 30*day); math.Abs(got.Seconds()-25.92) > 0.01 {
		t.Errorf("time to exhaustion at full outage %v, want 25.92s", got)
	}
}

func TestZeroTrafficIsNoDataNotNaN(t *testing.T) {
	s := mustNew(t, api(0.999, 30*day), t0)
	st := s.StatusAt(t0.Add(2 * time.Hour))
	all := append(st.Windows, st.Period)
	for _, w := range all {
		if !w.NoData || w.BurnRate != 0 || w.ErrorRatio != 0 {
			t.Errorf("window %v = %+v, want NoData and zero rates", w.Window, w)
		}
	}
	if st.BudgetRemaining != 1 || st.TimeToExhaustion != Never {
		t.Errorf("budget %v exhaustion %v, want 1 and Never", st.BudgetRemaining, st.TimeToExhaustion)
	}
	for _, tr := range st.Tiers {
		if tr.Firing {
			t.Errorf("tier %+v fires without traffic", tr.Tier)
		}
	}
}

func TestLateEventsLandInTheirMinuteOrAreCountedDropped(t *testing.T) {
	s := mustNew(t, api(0.999, 30*day), t0)
	now := t0.Add(5 * day)
	s.TickAt(now)
	s.RecordAt(now.Add(-10*time.Minute), false) // inside 30m, outside 5m
	s.RecordAt(now.Add(-4*day), false)          // older than the ring
	st := s.StatusAt(now)
	w5, _ := st.Window(5 * time.Minute)
	w30, _ := st.Window(30 * time.Minute)
	if w5.Bad != 0 || w30.Bad != 1 {
		t.Errorf("late event: 5m bad %d, 30m bad %d; want 0 and 1", w5.Bad, w30.Bad)
	}
	if st.DroppedLate != 1 || st.Bad != 2 {
		t.Errorf("dropped %d, cumulative bad %d; want 1 and 2", st.DroppedLate, st.Bad)
	}
}

func TestRecordUsesCoarseClockAndLatencyThreshold(t *testing.T) {
	o := api(0.99, 7*day)
	o.Latency = 100 * time.Millisecond
	s := mustNew(t, o, t0)
	s.RecordLatency(100 * time.Millisecond) // at the threshold: good
	s.RecordLatency(101 * time.Millisecond)
	s.TickAt(t0.Add(10 * time.Minute))
	s.Record(true)
	s.RecordLatencyAt(t0.Add(10*time.Minute), time.Second)
	st := s.StatusAt(t0.Add(10 * time.Minute))
	w5, _ := st.Window(5 * time.Minute)
	w30, _ := st.Window(30 * time.Minute)
	if w5.Good != 1 || w5.Bad != 1 || w30.Good != 2 || w30.Bad != 2 {
		t.Errorf("5m %d/%d 30m %d/%d, want 1/1 and 2/2", w5.Good, w5.Bad, w30.Good, w30.Bad)
	}
}

// Every window is exact at minute resolution: an event k minutes old is in
// exactly the windows longer than k minutes.
func TestWindowsAreMinuteExact(t *testing.T) {
	s := mustNew(t, api(0.999, 30*day), t0)
	now := t0.Add(4 * day)
	s.TickAt(now)
	for _, w := range Windows {
		m := int(w / time.Minute)
		s.RecordAt(now.Add(-time.Duration(m-1)*time.Minute), false) // the window's oldest minute
		s.RecordAt(now.Add(-time.Duration(m)*time.Minute), true)    // just outside
	}
	st := s.StatusAt(now)
	for i, w := range st.Windows {
		if w.Bad != uint64(i+1) || w.Good != uint64(i) {
			t.Errorf("window %v good/bad %d/%d, want %d/%d", w.Window, w.Good, w.Bad, i, i+1)
		}
	}
}

func TestConcurrentRecordingConservesCounts(t *testing.T) {
	s := mustNew(t, api(0.999, 30*day), t0)
	const workers, each = 8, 2000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if i%2 == 0 {
					s.Record(w%2 == 0)
				} else {
					s.RecordAt(t0.Add(time.Duration(i)*time.Second), w%2 == 0)
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 200 {
			s.TickAt(t0.Add(time.Duration(i*10) * time.Second))
			_ = s.StatusAt(t0.Add(time.Duration(i*10) * time.Second))
		}
	})
	wg.Wait()
	good, bad := s.Events()
	if good != workers/2*each || bad != workers/2*each {
		t.Errorf("events %d good %d bad, want %d each", good, bad, workers/2*each)
	}
	w3d, _ := s.StatusAt(t0.Add(time.Hour)).Window(3 * day)
	if w3d.Good+w3d.Bad != workers*each {
		t.Errorf("3d window holds %d events, want %d", w3d.Good+w3d.Bad, workers*each)
	}
}

func TestRecordDoesNotAllocate(t *testing.T) {
	s := mustNew(t, api(0.999, 30*day), t0)
	at := t0.Add(time.Minute)
	for name, f := range map[string]func(){
		"Record":          func() { s.Record(true) },
		"RecordAt":        func() { s.RecordAt(at, false) },
		"RecordLatency":   func() { s.RecordLatency(time.Millisecond) },
		"RecordLatencyAt": func() { s.RecordLatencyAt(at, time.Millisecond) },
		"AddAt":           func() { s.AddAt(at, 3, 1) },
	} {
		if n := testing.AllocsPerRun(1000, f); n != 0 {
			t.Errorf("%s allocates %v per call, want 0", name, n)
		}
	}
}

// A rolling period longer than the minute ring keeps older events in
// hourly buckets: they count until they are older than the period.
func TestRollingPeriodBeyondTheRing(t *testing.T) {
	s := mustNew(t, api(0.999, 30*day), t0)
	now := t0.Add(40 * day)
	// 30d - 30m is inside the period but in the hour that has partly
	// expired: documented to drop out whole.
	ages := []time.Duration{35 * day, 31 * day, 30*day - 30*time.Minute, 29*day + 22*time.Hour, 29 * day, 4 * day, 2 * day, time.Minute}
	for _, age := range ages { // oldest first, as they happen
		s.TickAt(now.Add(-age))
		s.RecordAt(now.Add(-age), false)
	}
	st := s.StatusAt(now)
	if st.Period.Bad != 5 {
		t.Errorf("30d period holds %d events, want 5 (those younger than 30 days)", st.Period.Bad)
	}
	if w, _ := st.Window(3 * day); w.Bad != 2 {
		t.Errorf("3d window holds %d, want 2", w.Bad)
	}
	if st.Bad != uint64(len(ages)) || st.DroppedLate != 0 {
		t.Errorf("cumulative %d dropped %d, want %d and 0", st.Bad, st.DroppedLate, len(ages))
	}
	if !st.PeriodStart.Equal(now.Add(-30*day+time.Minute)) || st.Period.Window != 30*day {
		t.Errorf("period starts %v (%v), want %v", st.PeriodStart, st.Period.Window, now.Add(-30*day+time.Minute))
	}
}

// Just before a minute boundary a window holds exactly its length in full
// minutes, as Prometheus' increase() at the boundary would.
func TestWindowJustBeforeABoundaryHoldsFullMinutes(t *testing.T) {
	s := mustNew(t, api(0.999, 30*day), t0)
	feed(s, t0, t0.Add(2*time.Hour), 1, 0) // one event per minute
	boundary := t0.Add(2 * time.Hour)
	st := s.StatusAt(boundary.Add(-time.Nanosecond))
	for _, w := range st.Windows[:4] { // 5m .. 2h
		if w.Good != uint64(w.Window/time.Minute) {
			t.Errorf("window %v holds %d minutes of events, want %d", w.Window, w.Good, w.Window/time.Minute)
		}
	}
}
