package slo

import (
	"bytes"
	"testing"
	"time"
)

// tierAt returns the status of the tier with long window long at t.
func tierAt(t *testing.T, s *SLO, at time.Time, long time.Duration) TierStatus {
	t.Helper()
	for _, ts := range s.StatusAt(at).Tiers {
		if ts.Tier.Long == long {
			return ts
		}
	}
	t.Fatalf("no tier with long window %v", long)
	return TierStatus{}
}

// A fresh objective counts the time before its history as having burnt
// nothing. A full outage from the first second fires the 1h/5m page once
// it has spent the tier's share of the budget: burn 1000 x h / 1h > 14.4
// after 51.84 s, the SRE Workbook's detection time after a healthy hour;
// before, the tier is warming up.
func TestWarmUpOutageFiresAtTheWorkbookTime(t *testing.T) {
	s := mustNew(t, api(0.999, 30*day), t0)
	s.AddAt(t0, 0, 6000) // the first minute's requests, all failed
	for _, tc := range []struct {
		at            time.Duration
		firing, warms bool
	}{
		{51 * time.Second, false, true},
		{52 * time.Second, true, false},
	} {
		ts := tierAt(t, s, t0.Add(tc.at), time.Hour)
		if ts.Firing != tc.firing || ts.WarmingUp != tc.warms {
			t.Errorf("at %v: firing %v, warming up %v (%q); want %v, %v", tc.at, ts.Firing, ts.WarmingUp, ts.Reason(), tc.firing, tc.warms)
		}
	}
}

// A burn above a ticket's threshold early in the history, the luck of a
// few requests at a cold start, keeps the ticket warming up until the
// history has spent the ticket's share, and the tier then fires; an
// objective restored from a snapshot keeps its history and fires at once.
func TestWarmUpHoldsTicketsUntilTheirShareIsSpent(t *testing.T) {
	// 0.3% errors, burn rate 3.0: above the 3d/6h ticket's threshold 1,
	// which spends its share (10% of 30 days' budget) after 24 hours.
	s := mustNew(t, api(0.999, 30*day), t0)
	fed := t0
	for _, tc := range []struct {
		at     time.Duration
		reason string
	}{
		{time.Hour, "warming up"},
		{23 * time.Hour, "warming up"},
		{25 * time.Hour, "firing"},
	} {
		feed(s, fed, t0.Add(tc.at), 997, 3)
		fed = t0.Add(tc.at)
		ts := tierAt(t, s, fed, 72*time.Hour)
		if ts.Reason() != tc.reason || ts.Long.BurnRate <= ts.Threshold {
			t.Errorf("3d/6h at %v: %q with burn rate %v, want %q above %v", tc.at, ts.Reason(), ts.Long.BurnRate, tc.reason, ts.Threshold)
		}
	}

	var snap bytes.Buffer
	if _, err := s.WriteTo(&snap); err != nil {
		t.Fatal(err)
	}
	restored := mustNew(t, api(0.999, 30*day), fed)
	if _, err := restored.ReadFrom(&snap); err != nil {
		t.Fatal(err)
	}
	if ts := tierAt(t, restored, fed, 72*time.Hour); !ts.Firing {
		t.Errorf("restored at %v: %q, want firing: a snapshot carries the history", fed.Sub(t0), ts.Reason())
	}
}

// Below the threshold the tier is ok, not warming up, however short the
// history.
func TestWarmUpOnlyWhenBurning(t *testing.T) {
	s := mustNew(t, api(0.999, 30*day), t0)
	feed(s, t0, t0.Add(10*time.Minute), 1000, 0)
	for _, ts := range s.StatusAt(t0.Add(10 * time.Minute)).Tiers {
		if ts.WarmingUp || ts.Firing || ts.Reason() != "ok" {
			t.Errorf("%v/%v with no errors: %q", ts.Tier.Long, ts.Tier.Short, ts.Reason())
		}
	}
}
