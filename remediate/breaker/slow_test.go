package breaker

import (
	"testing"
	"time"
)

var guardT0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// The slow-call window against a brute-force count of the calls whose end
// time falls in the last Buckets buckets.
func FuzzSlowWindow(f *testing.F) {
	f.Add([]byte{1, 0, 5, 1, 200, 1, 255, 0}, uint8(4), uint16(100))
	f.Add([]byte{0, 1, 0, 1, 0, 0}, uint8(1), uint16(1))
	f.Fuzz(func(t *testing.T, steps []byte, buckets uint8, bucketMs uint16) {
		n := int(buckets%16) + 1
		bucket := time.Duration(int(bucketMs)%1000+1) * time.Millisecond
		w := newSlowWindow(bucket*time.Duration(n), n, 0.5, 3)
		type rec struct {
			idx  int64
			slow bool
		}
		var recs []rec
		now := guardT0
		for i := 0; i+1 < len(steps); i += 2 {
			now = now.Add(time.Duration(steps[i]) * bucket / 16) // non-decreasing
			slow := steps[i+1]%2 == 1
			trip := w.record(now, slow)
			idx := now.UnixNano() / int64(bucket)
			recs = append(recs, rec{idx, slow})
			var total, slowN uint64
			for _, r := range recs {
				if r.idx > idx-int64(n) {
					total++
					if r.slow {
						slowN++
					}
				}
			}
			if w.total != total || w.slowSum != slowN {
				t.Fatalf("step %d: window total %d slow %d, brute force %d %d", i/2, w.total, w.slowSum, total, slowN)
			}
			if want := total >= 3 && float64(slowN) >= 0.5*float64(total); trip != want {
				t.Fatalf("step %d: trip %v, want %v", i/2, trip, want)
			}
		}
		w.reset()
		if w.total != 0 || w.slowSum != 0 {
			t.Fatal("reset left counts")
		}
		// Time going backwards never corrupts the sums.
		w.record(now, true)
		w.record(now.Add(-time.Hour), false)
		if w.total != 2 || w.slowSum != 1 {
			t.Fatalf("after a backwards step: total %d slow %d", w.total, w.slowSum)
		}
	})
}
