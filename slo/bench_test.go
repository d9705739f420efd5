package slo

import (
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkAtomicAdd is the baseline Record is compared with.
func BenchmarkAtomicAdd(b *testing.B) {
	var n atomic.Int64
	for b.Loop() {
		n.Add(1)
	}
}

func BenchmarkRecord(b *testing.B) {
	s := mustNew(b, api(0.999, 30*day), t0)
	for b.Loop() {
		s.Record(true)
	}
}

func BenchmarkAtomicAddParallel(b *testing.B) {
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n.Add(1)
		}
	})
}

func BenchmarkRecordParallel(b *testing.B) {
	s := mustNew(b, api(0.999, 30*day), t0)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.Record(true)
		}
	})
}

func BenchmarkRecordAt(b *testing.B) {
	s := mustNew(b, api(0.999, 30*day), t0)
	at := t0.Add(30 * time.Second)
	for b.Loop() {
		s.RecordAt(at, true)
	}
}

func BenchmarkRecordLatency(b *testing.B) {
	o := api(0.999, 30*day)
	o.Latency = 100 * time.Millisecond
	s := mustNew(b, o, t0)
	for b.Loop() {
		s.RecordLatency(20 * time.Millisecond)
	}
}

// BenchmarkStatus is the tick path's cost per objective.
func BenchmarkStatus(b *testing.B) {
	s := mustNew(b, api(0.999, 30*day), t0)
	feed(s, t0, t0.Add(4*day), 100, 1)
	at := t0.Add(4 * day)
	for b.Loop() {
		_ = s.StatusAt(at)
	}
}

// BenchmarkMemoryPerObjective reports the heap bytes one 30-day rolling
// objective holds (B/objective): the 3-day minute ring plus the hourly
// buckets for the rest of the period.
func BenchmarkMemoryPerObjective(b *testing.B) {
	for _, tc := range []struct {
		name string
		w    Window
	}{
		{"rolling30d", Window{Rolling: 30 * day}},
		{"calendarQuarter", Window{Calendar: CalendarQuarter}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			const n = 64
			keep := make([]*SLO, n)
			var before, after runtime.MemStats
			var perObjective float64
			for b.Loop() {
				runtime.GC()
				runtime.ReadMemStats(&before)
				for i := range keep {
					keep[i] = mustNew(b, Objective{Name: "m", Target: 0.999, Window: tc.w}, t0)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				perObjective = float64(after.HeapAlloc-before.HeapAlloc) / n
				runtime.KeepAlive(keep)
				clear(keep)
			}
			b.ReportMetric(perObjective, "B/objective")
		})
	}
}

// BenchmarkRecordRatio measures Record against a bare atomic add on a
// shared, noisy machine: each iteration times a chunk of each back to
// back, and the reported ratio is the median of the per-iteration ratios,
// so load that comes and goes hits both sides alike. Target: <= 2.
func BenchmarkRecordRatio(b *testing.B) {
	const chunk = 20000
	s := mustNew(b, api(0.999, 30*day), t0)
	var n atomic.Int64
	var ratios, recordNs, addNs []float64
	for b.Loop() {
		start := time.Now()
		for i := range chunk {
			s.Record(i&1 == 0)
		}
		mid := time.Now()
		for i := range chunk {
			n.Add(int64(i & 1))
		}
		end := time.Now()
		r, a := float64(mid.Sub(start))/chunk, float64(end.Sub(mid))/chunk
		recordNs, addNs = append(recordNs, r), append(addNs, a)
		ratios = append(ratios, r/a)
	}
	b.ReportMetric(medianOf(recordNs), "record-ns/event")
	b.ReportMetric(medianOf(addNs), "atomic-ns/event")
	b.ReportMetric(medianOf(ratios), "record/atomic")
}

func medianOf(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}
