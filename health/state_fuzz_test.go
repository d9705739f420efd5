package health

import (
	"testing"
	"time"
)

// FuzzHysteresis checks the settling rules on arbitrary result sequences:
// a check turns failed only after FailureThreshold failures in a row,
// turns healthy only after SuccessThreshold healthy results in a row, and
// never settles back to unknown.
func FuzzHysteresis(f *testing.F) {
	f.Add([]byte{0, 1, 2, 2, 2, 0, 0}, uint8(2), uint8(3))
	f.Add([]byte{2, 0, 2, 0, 2, 0}, uint8(1), uint8(1))
	f.Fuzz(func(t *testing.T, seq []byte, fth, sth uint8) {
		failures, successes := int(fth%8)+1, int(sth%8)+1
		raws := []Status{StatusPass, StatusWarn, StatusFail}
		var st checkState
		var run []Status // raw results so far
		t0 := time.Unix(0, 0)
		for i, b := range seq {
			raw := raws[int(b)%len(raws)]
			run = append(run, raw)
			prev := st.status
			st = st.next(Observation{Result: Result{Status: raw}, Time: t0.Add(time.Duration(i))}, failures, successes)
			cur := st.status
			if prev != StatusUnknown && cur == StatusUnknown {
				t.Fatalf("step %d: settled status went back to unknown", i)
			}
			if cur == prev || healthy(cur) == healthy(prev) && prev != StatusUnknown {
				if cur != prev && cur != raw {
					t.Fatalf("step %d: %v -> %v on raw %v", i, prev, cur, raw)
				}
				continue
			}
			// A move between sides (or out of unknown) needs a full streak.
			need := successes
			if cur == StatusFail {
				need = failures
			}
			if len(run) < need {
				t.Fatalf("step %d: %v -> %v after only %d results (threshold %d)", i, prev, cur, len(run), need)
			}
			for _, r := range run[len(run)-need:] {
				if healthy(r) != healthy(cur) {
					t.Fatalf("step %d: %v -> %v without %d %v results in a row: %v", i, prev, cur, need, cur, run)
				}
			}
			if cur != raw {
				t.Fatalf("step %d: settled on %v, not the latest raw %v", i, cur, raw)
			}
		}
	})
}
