package slo

import (
	"encoding/binary"
	"math"
	"testing"
	"time"
)

// FuzzRecordAt drives the bucket math with arbitrary times: ops are 9-byte
// records (an int64 offset in seconds from t0, or an absolute Unix time
// when the opcode's high bit is set, and an opcode). Nothing may panic,
// every recorded event must be counted exactly once in the cumulative
// totals, windows must nest, and no figure may be NaN or infinite.
func FuzzRecordAt(f *testing.F) {
	op := func(off int64, code byte) []byte {
		return append(binary.LittleEndian.AppendUint64(nil, uint64(off)), code)
	}
	f.Add(uint8(0), append(op(30, 0), op(-90, 1)...))
	f.Add(uint8(1), append(op(4*86400, 2), op(-5*86400, 1)...))
	f.Add(uint8(2), append(op(math.MaxInt64, 0x80), op(math.MinInt64, 0x83)...))
	f.Add(uint8(3), append(op(45*86400, 3), op(40*86400, 0)...))
	f.Fuzz(runOps)
}

var fuzzObjectives = []Objective{
	{Name: "rolling", Target: 0.999, Window: Window{Rolling: 30 * day}},
	{Name: "short", Target: 0.99, Window: Window{Rolling: time.Hour}},
	{Name: "month", Target: 0.99, Window: Window{Calendar: CalendarMonth, Location: time.FixedZone("x", 5*3600+1800)}},
	{Name: "slices", Target: 0.9, Window: Window{Calendar: CalendarWeek}, Budgeting: Timeslices, Timeslice: Timeslice{Duration: 5 * time.Minute}},
}

func runOps(t *testing.T, which uint8, ops []byte) {
	objectives := fuzzObjectives
	s := mustNew(t, objectives[int(which)%len(objectives)], t0)
	var good, bad uint64
	for ; len(ops) >= 9; ops = ops[9:] {
		off, code := int64(binary.LittleEndian.Uint64(ops)), ops[8]
		at := t0.Add(time.Duration(off%(1<<40)) * time.Second)
		if code&0x80 != 0 {
			at = time.Unix(off/4, 0) // keep clear of time.Time's own limits
		}
		switch code & 3 {
		case 0:
			s.RecordAt(at, true)
			good++
		case 1:
			s.RecordAt(at, false)
			bad++
		case 2:
			s.AddAt(at, 7, 3)
			good += 7
			bad += 3
		case 3:
			s.TickAt(at)
		}
		if code&0x40 != 0 {
			checkStatus(t, s.StatusAt(at), good, bad)
		}
	}
	checkStatus(t, s.Status(), good, bad)
}

func checkStatus(t *testing.T, st Status, good, bad uint64) {
	t.Helper()
	if st.Good != good || st.Bad != bad {
		t.Fatalf("cumulative %d/%d, recorded %d/%d", st.Good, st.Bad, good, bad)
	}
	var prev WindowStatus
	for _, w := range append(st.Windows, st.Period) {
		for _, v := range []float64{w.BurnRate, w.ErrorRatio} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				t.Fatalf("window %v: bad figure %v", w.Window, v)
			}
		}
		if w.Window != st.Period.Window && (w.Good < prev.Good || w.Bad < prev.Bad) {
			t.Fatalf("window %v holds less than a shorter one: %+v < %+v", w.Window, w, prev)
		}
		prev = w
	}
	if math.IsNaN(st.BudgetRemaining) || math.IsInf(st.BudgetRemaining, 0) || st.TimeToExhaustion < 0 {
		t.Fatalf("budget %v exhaustion %v", st.BudgetRemaining, st.TimeToExhaustion)
	}
}
