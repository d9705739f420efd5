package latencyhist

import (
	"math"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestDrain(t *testing.T) {
	var h Hist
	var counts [Bins]uint32
	if q, n := h.Drain(&counts, 0.99); !math.IsNaN(q) || n != 0 {
		t.Fatalf("empty: %v, %d; want NaN, 0", q, n)
	}
	for i := 1; i <= 100; i++ {
		h.Record(time.Duration(i) * time.Millisecond)
	}
	if n := h.Count(); n != 100 {
		t.Fatalf("Count = %d, want 100", n)
	}
	q, n := h.Drain(&counts, 0.99)
	if n != 100 || math.Abs(q-0.099)/0.099 > 1.0/16 {
		t.Fatalf("p99 of 1..100ms = %v s over %d, want 0.099 within 1/16", q, n)
	}
	if h.Count() != 0 {
		t.Fatal("Drain left values behind")
	}
	if a := testing.AllocsPerRun(100, func() { h.Record(time.Millisecond) }); a != 0 {
		t.Errorf("Record allocates %v times", a)
	}
}

func FuzzBin(f *testing.F) {
	for _, d := range []int64{-1, 0, 1, 7, 8, 15, 16, 1000, 1e6, 1e9, 1 << 40, 1<<41 - 1, math.MaxInt64} {
		f.Add(d, d+1)
	}
	f.Fuzz(func(t *testing.T, a, b int64) {
		if a > b {
			a, b = b, a
		}
		ia, ib := Bin(time.Duration(a)), Bin(time.Duration(b))
		if ia < 0 || ib >= Bins {
			t.Fatalf("bins %d, %d out of [0, %d)", ia, ib, Bins)
		}
		if ia > ib {
			t.Fatalf("not monotonic: bin(%d)=%d > bin(%d)=%d", a, ia, b, ib)
		}
		// Within the histogram's range the bucket middle is within 1/16
		// of the value (exact below 8ns).
		if a >= 0 && a < 1<<40 {
			mid := BinMiddle(ia)
			if rel := math.Abs(mid-float64(a)) / math.Max(float64(a), 1); rel > 1.0/16+1e-12 {
				t.Fatalf("bin middle %v of %d: relative error %v", mid, a, rel)
			}
		}
	})
}
