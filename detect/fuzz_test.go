package detect

import (
	"encoding/binary"
	"math"
	"testing"
	"time"
)

// fuzzDetector feeds arbitrary float64s (8 bytes each) with timestamps that
// mostly advance but sometimes repeat or go back, and checks every score.
func fuzzDetector(f *testing.F, mk func() Detector) {
	f.Add([]byte{})
	f.Add(binary.LittleEndian.AppendUint64(nil, math.Float64bits(1e300)))
	f.Add(make([]byte, 8*64))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := mk()
		ts := t0
		for i := 0; i+8 <= len(data); i += 8 {
			u := binary.LittleEndian.Uint64(data[i:])
			v := math.Float64frombits(u)
			ts = ts.Add(time.Duration(int64(u%7)-1) * time.Minute)
			r := d.ObserveAt(ts, v)
			if math.IsNaN(r.Score) || r.Score < 0 || r.Score > 1 {
				t.Fatalf("point %d (%v): score %v", i/8, v, r.Score)
			}
			if r.Anomaly && r.Score == 0 {
				t.Fatalf("point %d: anomaly with score 0", i/8)
			}
		}
	})
}

func FuzzEWMA(f *testing.F)       { fuzzDetector(f, func() Detector { return fresh("ewma") }) }
func FuzzMAD(f *testing.F)        { fuzzDetector(f, func() Detector { return fresh("mad") }) }
func FuzzLevelShift(f *testing.F) { fuzzDetector(f, func() Detector { return fresh("levelshift") }) }
func FuzzSeasonal(f *testing.F)   { fuzzDetector(f, func() Detector { return fresh("seasonal") }) }
func FuzzSPOT(f *testing.F) {
	fuzzDetector(f, func() Detector { return must(NewSPOT(SPOTConfig{Init: 32, MaxPeaks: 8})) })
}
func FuzzEnsemble(f *testing.F) { fuzzDetector(f, func() Detector { return NewEnsemble() }) }

// FuzzTailCal: any sequence of deviations keeps the calibrated log tail
// probability finite or -Inf, at most 0, and falling in z.
func FuzzTailCal(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Fuzz(func(t *testing.T, data []byte) {
		var c tailCal
		for i := 0; i+8 <= len(data); i += 8 {
			z := math.Float64frombits(binary.LittleEndian.Uint64(data[i:]))
			c.add(z)
			a, b := c.logTail(z), c.logTail(math.Abs(z)*2+1)
			if math.IsNaN(a) || a > 0 || b > a && !(z != z || z < 0) {
				t.Fatalf("z=%v: logTail %v then %v", z, a, b)
			}
			// The tail model never says a deviation is likelier than the
			// history does, and falls in z too.
			ea, ma, _ := c.logTails(z)
			_, mb, _ := c.logTails(math.Abs(z)*2 + 1)
			if math.IsNaN(ma) || ma > ea || mb > ma && !(z != z || z < 0) {
				t.Fatalf("z=%v: model %v (emp %v) then %v", z, ma, ea, mb)
			}
		}
	})
}
