package slo

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// snapshotUntil returns a snapshot of a 99.9%/30d objective that saw
// stream's traffic for the hour before end, its clock at end's minute.
func snapshotUntil(t testing.TB, end time.Time) []byte {
	t.Helper()
	s := mustNew(t, api(0.999, 30*day), end.Add(-time.Hour))
	stream(s, end.Add(-time.Hour), end.Add(time.Second))
	return snapshotBytes(t, s)
}

// live feeds s like a service does: Record on the coarse clock, advanced
// every 10 s (or RecordAt when at is set), one request in ten bad, from
// from for d.
func live(s *SLO, from time.Time, d time.Duration, at bool) {
	for i, tt := 0, from; tt.Before(from.Add(d)); i, tt = i+1, tt.Add(10*time.Second) {
		if at {
			s.RecordAt(tt, i%10 != 0)
			continue
		}
		s.TickAt(tt)
		s.Record(i%10 != 0)
	}
}

// The skewed-clock cases: a snapshot written while the clock ran a
// year, or two hours, ahead is refused with an error naming both instants,
// and the objective then measures real traffic. Before the check, the year
// made every event late (budget 100% during a 10% error rate) and the two
// hours held the coarse clock, so the 5m window held the whole hour.
func TestFutureSnapshotIsRefusedAndTheObjectiveMeasures(t *testing.T) {
	now := t0
	for _, c := range []struct {
		ahead time.Duration
		at    bool // RecordAt rather than Record
	}{{365 * day, true}, {365 * day, false}, {2 * time.Hour, false}, {2 * time.Hour, true}} {
		ahead := c.ahead
		t.Run(fmt.Sprintf("%v/RecordAt=%v", ahead, c.at), func(t *testing.T) {
			snap := snapshotUntil(t, now.Add(ahead))
			s := mustNew(t, api(0.999, 30*day), now)
			before := snapshotBytes(t, s)
			_, err := s.ReadFrom(bytes.NewReader(snap))
			if !errors.Is(err, ErrFutureSnapshot) || !errors.Is(err, ErrBadSnapshot) {
				t.Fatalf("ReadFrom = %v, want ErrFutureSnapshot and ErrBadSnapshot", err)
			}
			snapAt := now.Add(ahead).Truncate(time.Minute).Format(time.RFC3339)
			for _, want := range []string{"slo: bad snapshot: from the future", snapAt, now.Format(time.RFC3339)} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if !bytes.Equal(before, snapshotBytes(t, s)) {
				t.Fatal("a refused snapshot changed the state")
			}

			live(s, now, time.Hour, c.at)
			// At the last event, the 5m window is the hour's last 5
			// minutes: 30 events, 3 of them bad.
			st := s.StatusAt(now.Add(time.Hour - 10*time.Second))
			w5, _ := st.Window(5 * time.Minute)
			if w5.Good != 27 || w5.Bad != 3 {
				t.Errorf("5m window holds %d/%d events, want the last 5 minutes' 27/3", w5.Good, w5.Bad)
			}
			if st.DroppedLate != 0 {
				t.Errorf("%d real events counted as late", st.DroppedLate)
			}
			w1h, _ := st.Window(time.Hour)
			if w1h.Good+w1h.Bad != 360 || w1h.ErrorRatio != 0.1 {
				t.Errorf("1h window %d/%d ratio %v, want the hour's 360 events at 0.1", w1h.Good, w1h.Bad, w1h.ErrorRatio)
			}
			if st.BudgetRemaining >= 0.9 {
				t.Errorf("budget %v after an hour at 100x burn, want about 0.86", st.BudgetRemaining)
			}
		})
	}
}

// Within MaxSnapshotSkew a snapshot ahead is accepted (a restart on a host
// whose clock is a little behind), and the coarse clock it holds is
// released within that tolerance: the 5m window never holds more than 6
// minutes of traffic.
func TestSnapshotWithinSkewIsAccepted(t *testing.T) {
	now := t0.Add(30 * time.Second)
	for _, c := range []struct {
		snapMinute time.Duration // the snapshot's clock, as a minute after t0
		accepted   bool
	}{
		{-time.Hour, true},
		{0, true},
		{time.Minute, true}, // 30 s ahead
		{2 * time.Minute, false},
		{2 * time.Hour, false},
	} {
		snap := snapshotUntil(t, t0.Add(c.snapMinute))
		s := mustNew(t, api(0.999, 30*day), now)
		_, err := s.ReadFrom(bytes.NewReader(snap))
		if (err == nil) != c.accepted {
			t.Fatalf("snapshot at t0%+v restored at t0+30s: err %v, want accepted %v", c.snapMinute, err, c.accepted)
		}
		if err != nil {
			continue
		}
		live(s, now, 20*time.Minute, false)
		st := s.StatusAt(now.Add(20 * time.Minute))
		if w5, _ := st.Window(5 * time.Minute); w5.Good+w5.Bad > 36 {
			t.Errorf("snapshot at t0%+v: 5m window holds %d events, more than 6 minutes' 36", c.snapMinute, w5.Good+w5.Bad)
		}
	}
}

// The check uses the later of the clock and the coarse clock: an objective
// replayed ahead of its clock with RecordAt accepts its own snapshot.
func TestSnapshotCheckUsesTheCoarseClock(t *testing.T) {
	end := t0.Add(5 * time.Hour)
	snap := snapshotUntil(t, end)
	s := mustNew(t, api(0.999, 30*day), t0) // its clock stays at t0
	s.TickAt(end)
	if _, err := s.ReadFrom(bytes.NewReader(snap)); err != nil {
		t.Fatalf("ReadFrom at the snapshot's own coarse clock: %v", err)
	}
}

// FuzzSnapshotClock restores a snapshot written at an offset from the
// restoring objective's clock: it is refused exactly when its minute
// starts more than MaxSnapshotSkew ahead, and an accepted one never makes
// the 5m window hold more than 6 minutes of later traffic.
func FuzzSnapshotClock(f *testing.F) {
	for _, s := range []int64{0, 30, 59, 60, 89, 90, 150, -3600, 7200, 365 * 86400, -40 * 86400} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, aheadSec int64, nowSec uint8) {
		aheadSec %= 60 * 86400
		now := t0.Add(time.Duration(nowSec%60) * time.Second)
		at := now.Add(time.Duration(aheadSec) * time.Second)
		snap := snapshotUntil(t, at)
		s := mustNew(t, api(0.999, 30*day), now)
		_, err := s.ReadFrom(bytes.NewReader(snap))
		wantOK := at.Truncate(time.Minute).Sub(now) <= MaxSnapshotSkew
		if (err == nil) != wantOK {
			t.Fatalf("snapshot at now%+ds: err %v, want accepted %v", aheadSec, err, wantOK)
		}
		if err != nil {
			if !errors.Is(err, ErrFutureSnapshot) {
				t.Fatalf("refusal %v does not wrap ErrFutureSnapshot", err)
			}
			return
		}
		live(s, now, 10*time.Minute, false)
		st := s.StatusAt(now.Add(10 * time.Minute))
		if w5, _ := st.Window(5 * time.Minute); w5.Good+w5.Bad > 36+6 {
			// 36 live events, and up to one minute of the snapshot's
			// own traffic when it ends within the window.
			t.Fatalf("snapshot at now%+ds: 5m window holds %d events", aheadSec, w5.Good+w5.Bad)
		}
	})
}
