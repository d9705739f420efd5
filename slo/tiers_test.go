package slo

import (
	"math"
	"testing"
	"time"
)

const day = 24 * time.Hour

// The SRE Workbook (chapter 5, table 5-8) burn-rate factors.
func TestDefaultTiersWorkbookFactors(t *testing.T) {
	tests := []struct {
		period time.Duration
		want   []float64
	}{
		{30 * day, []float64{14.4, 6, 3, 1}},
		{28 * day, []float64{13.44, 5.6, 2.8, 0.93333333}},
	}
	for _, tc := range tests {
		tiers := DefaultTiers(tc.period)
		if len(tiers) != len(tc.want) {
			t.Fatalf("DefaultTiers(%v) has %d tiers, want %d", tc.period, len(tiers), len(tc.want))
		}
		for i, tr := range tiers {
			if got := tr.BurnRateThreshold(tc.period); math.Abs(got-tc.want[i]) > 1e-6 {
				t.Errorf("period %v tier %d (%v %g%% %v/%v): threshold %v, want %v",
					tc.period, i, tr.Severity, tr.BudgetPercent, tr.Long, tr.Short, got, tc.want[i])
			}
		}
	}
}

func TestDefaultTiersWindowsAndSeverities(t *testing.T) {
	want := []Tier{
		{SeverityPage, 2, time.Hour, 5 * time.Minute, 0},
		{SeverityPage, 5, 6 * time.Hour, 30 * time.Minute, 0},
		{SeverityTicket, 10, day, 2 * time.Hour, 0},
		{SeverityTicket, 10, 3 * day, 6 * time.Hour, 0},
	}
	got := DefaultTiers(30 * day)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("tier %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if n := len(DefaultTiers(day)); n != 3 {
		t.Errorf("DefaultTiers(1d) has %d tiers, want 3 (no 3d window)", n)
	}
	if SeverityPage.String() != "page" || SeverityTicket.String() != "ticket" {
		t.Errorf("severity strings %q %q", SeverityPage, SeverityTicket)
	}
}

func TestCalendarNominalPeriod(t *testing.T) {
	for _, tc := range []struct {
		w    Window
		want time.Duration
	}{
		{Window{Rolling: 28 * day}, 28 * day},
		{Window{Calendar: CalendarWeek}, 7 * day},
		{Window{Calendar: CalendarMonth}, 30 * day},
		{Window{Calendar: CalendarQuarter}, 90 * day},
	} {
		if got := tc.w.Period(); got != tc.want {
			t.Errorf("%+v.Period() = %v, want %v", tc.w, got, tc.want)
		}
	}
}

func TestAlertTiers(t *testing.T) {
	o := Objective{Name: "a", Target: 0.99, Window: Window{Calendar: CalendarWeek}}
	if got := o.AlertTiers(); len(got) != 4 || got[3].BurnRateThreshold(o.Window.Period()) != 10.0/100*7/3 {
		t.Errorf("AlertTiers of a weekly objective = %+v", got)
	}
	o.Tiers = []Tier{}
	if got := o.AlertTiers(); len(got) != 0 {
		t.Errorf("explicitly empty Tiers became %+v", got)
	}
}

// A tier fires only when both burn rates are strictly above its threshold.
func TestTierComparisonIsStrict(t *testing.T) {
	o := Objective{Name: "strict", Target: 0.75, Window: Window{Rolling: 2 * time.Hour},
		Tiers: []Tier{{SeverityPage, 50, time.Hour, 5 * time.Minute, 0}}} // threshold 0.5 x 2h/1h = 1
	for _, tc := range []struct {
		good, bad uint32
		firing    bool
	}{
		{3, 1, false}, // burn rate exactly 1
		{299, 101, true},
	} {
		s := mustNew(t, o, t0)
		feed(s, t0, t0.Add(time.Hour), tc.good, tc.bad)
		st := s.StatusAt(t0.Add(time.Hour - time.Nanosecond))
		if ts := st.Tiers[0]; ts.Threshold != 1 || ts.Firing != tc.firing {
			t.Errorf("%d good %d bad: burn rates %v/%v threshold %v firing %v, want firing %v",
				tc.good, tc.bad, ts.Long.BurnRate, ts.Short.BurnRate, ts.Threshold, ts.Firing, tc.firing)
		}
	}
}
