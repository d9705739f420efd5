package slo

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/nines-sre/nines/internal/metrictest"
)

// The derived minimum is the smallest count at which one bad event alone
// does not exceed the threshold: n-1 events would.
func TestMinEventCountDerived(t *testing.T) {
	tests := []struct {
		target float64
		want   []uint64
	}{
		{0.999, []uint64{70, 167, 334, 1000}},
		{0.99, []uint64{7, 17, 34, 100}},
		{0.9999, []uint64{695, 1667, 3334, 10000}},
	}
	for _, tc := range tests {
		for i, tr := range DefaultTiers(30 * day) {
			n := tr.MinEventCount(tc.target, 30*day)
			if n != tc.want[i] {
				t.Errorf("target %v tier %v/%v: MinEventCount %d, want %d", tc.target, tr.Long, tr.Short, n, tc.want[i])
			}
			b := tr.BurnRateThreshold(30 * day)
			budget := 1 - tc.target
			if one := 1 / (float64(n) * budget); one > b*(1+1e-9) {
				t.Errorf("target %v tier %v: one bad in %d events burns %v, above %v", tc.target, tr.Long, n, one, b)
			}
			if n > 1 {
				if one := 1 / (float64(n-1) * budget); one <= b {
					t.Errorf("target %v tier %v: %d is not the smallest (one bad in %d burns %v <= %v)", tc.target, tr.Long, n, n-1, one, b)
				}
			}
		}
	}
	tr := Tier{Severity: SeverityPage, BudgetPercent: 2, Long: time.Hour, Short: 5 * time.Minute, MinEvents: 5}
	if n := tr.MinEventCount(0.999, 30*day); n != 5 {
		t.Errorf("MinEvents 5 gives %d", n)
	}
}

// Three bad requests in an hour of one request a minute burn the 1h and
// 5m windows far above 14.4 but page nobody: the windows hold 60 and 5
// events, below 70. Status says why. The same errors at 30 requests a
// minute page.
func TestLowTrafficGuard(t *testing.T) {
	s := mustNew(t, api(0.999, 30*day), t0)
	feed(s, t0, t0.Add(time.Hour), 1, 0)
	at := t0.Add(time.Hour)
	s.AddAt(at, 0, 3)
	st := s.StatusAt(at.Add(30 * time.Second))
	page := st.Tiers[0]
	if page.Long.BurnRate <= page.Threshold || page.Short.BurnRate <= page.Threshold {
		t.Fatalf("burn rates %v/%v, want both above %v (the guard is what must hold it)", page.Long.BurnRate, page.Short.BurnRate, page.Threshold)
	}
	if page.Firing || !page.TooFewEvents || page.Reason() != "too few events" || page.MinEvents != 70 {
		t.Errorf("1h/5m tier: firing %v, too few %v, reason %q, min %d; want silent for too few events (min 70)",
			page.Firing, page.TooFewEvents, page.Reason(), page.MinEvents)
	}

	busy := mustNew(t, api(0.999, 30*day), t0)
	feed(busy, t0, t0.Add(time.Hour), 30, 0)
	busy.AddAt(at, 0, 30)
	if got := busy.StatusAt(at.Add(30 * time.Second)).Tiers[0]; !got.Firing || got.Reason() != "firing" {
		t.Errorf("30 requests a minute, a minute of errors: tier %q, want firing", got.Reason())
	}

	off := api(0.999, 30*day)
	off.Tiers = DefaultTiers(30 * day)
	for i := range off.Tiers {
		off.Tiers[i].MinEvents = 1
	}
	unguarded := mustNew(t, off, t0)
	feed(unguarded, t0, t0.Add(time.Hour), 1, 0)
	unguarded.AddAt(at, 0, 3)
	if got := unguarded.StatusAt(at.Add(30 * time.Second)).Tiers[0]; !got.Firing {
		t.Errorf("MinEvents 1 (guard off): tier %q, want firing", got.Reason())
	}
}

// The exported counter counts what this process recorded: a restore
// neither adds the snapshot's history to it nor takes away what was
// counted before, while Events reports the restored history.
func TestProcessEventsIgnoreRestoredHistory(t *testing.T) {
	old := mustNew(t, api(0.999, 30*day), t0)
	feed(old, t0, t0.Add(10*time.Minute), 100, 1) // 1000 good, 10 bad
	var snap bytes.Buffer
	if _, err := old.WriteTo(&snap); err != nil {
		t.Fatal(err)
	}

	mp := metrictest.NewProvider(t)
	set, err := NewSet(WithMeterProvider(mp), fixed(t0.Add(11*time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	defer set.Shutdown(context.Background())
	s := mustNew(t, api(0.999, 30*day), t0.Add(11*time.Minute))
	_ = set.Add(s)
	s.AddAt(t0.Add(11*time.Minute), 5, 1)
	if _, err := s.ReadFrom(bytes.NewReader(snap.Bytes())); err != nil {
		t.Fatal(err)
	}
	s.AddAt(t0.Add(11*time.Minute), 2, 0)
	if g, b := s.ProcessEvents(); g != 7 || b != 1 {
		t.Errorf("ProcessEvents %d/%d, want 7/1 (recorded by this process, before and after the restore)", g, b)
	}
	if g, b := s.Events(); g != 1002 || b != 10 {
		t.Errorf("Events %d/%d, want the restored 1000/10 plus the 2 recorded after", g, b)
	}
	if got := mp.Collect(t).Total("slo.events"); got != 8 {
		t.Errorf("exported slo.events %v, want 8", got)
	}
	// A second restore does not move it either.
	if _, err := s.ReadFrom(bytes.NewReader(snap.Bytes())); err != nil {
		t.Fatal(err)
	}
	if g, b := s.ProcessEvents(); g != 7 || b != 1 {
		t.Errorf("after a second restore ProcessEvents %d/%d, want 7/1", g, b)
	}
}
