package logpattern

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// synthetic is a stream of known templates with varying values.
func synthetic(n int) []string {
	forms := []string{
		"session opened for user u%d from 10.0.%d.1 port %d",
		"GET /api/v1/items/%d HTTP/1.1 200 %d bytes in %dms",
		"cache miss key=k%d shard=%d after %dus",
		"worker %d finished job %d with status ok (%d retries)",
		"connection reset by peer 192.168.%d.%d:%d",
	}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(forms[i%len(forms)], i%97, i%13, i%1000)
	}
	return out
}

func benchLines(b *testing.B, lines []string) {
	m, _ := New()
	for _, l := range lines {
		m.Observe(l)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.Observe(lines[i%len(lines)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkObserveKnown: lines whose templates are known (the steady
// state of a service's log).
func BenchmarkObserveKnown(b *testing.B) { benchLines(b, synthetic(4096)) }

// BenchmarkObserveCorpus mines the Loghub-2k messages of ../shared/loghub
// (skipped when the corpus is not beside the clone), known templates.
func BenchmarkObserveCorpus(b *testing.B) {
	var lines []string
	files, _ := filepath.Glob("../../shared/loghub/data/*/*_2k.log")
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		fh.Close()
	}
	if len(lines) == 0 {
		b.Skip("../shared/loghub not found")
	}
	benchLines(b, lines)
}

// BenchmarkFreshMiner mines the synthetic stream from an empty miner each
// time: the cost including template creation.
func BenchmarkFreshMiner(b *testing.B) {
	lines := synthetic(2000)
	b.ReportAllocs()
	for b.Loop() {
		m, _ := New()
		for _, l := range lines {
			m.Observe(l)
		}
	}
	b.ReportMetric(float64(b.N*len(lines))/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkBytesPerTemplate reports the heap held per template.
func BenchmarkBytesPerTemplate(b *testing.B) {
	const n = 2000
	var ms runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.HeapAlloc
		m, _ := New()
		var buf []byte
		for i := 0; i < n; i++ {
			buf = word(buf[:0], i)
			buf = append(buf, " connected to host in region after retry"...)
			m.Observe(string(buf))
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc-before)/n, "B/template")
		runtime.KeepAlive(m)
	}
}

// BenchmarkHandler compares a text handler alone with the same handler
// wrapped by the miner's slog handler: the difference is the added cost.
func BenchmarkHandler(b *testing.B) {
	base := slog.NewTextHandler(io.Discard, nil)
	m, _ := New()
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		h    slog.Handler
	}{{"base", base}, {"mined", m.Handler(base)}} {
		b.Run(tc.name, func(b *testing.B) {
			r := slog.NewRecord(testInstant, slog.LevelInfo, "cache refreshed for tenant", 0)
			r.AddAttrs(slog.Int("n", 3), slog.String("tenant", "acme"))
			b.ReportAllocs()
			for b.Loop() {
				_ = tc.h.Handle(ctx, r)
			}
		})
	}
}

// BenchmarkHandlerAdded interleaves chunks of records through the text
// handler alone and wrapped by the miner, so load drift on a shared
// machine hits both alike, and reports the added ns per record.
func BenchmarkHandlerAdded(b *testing.B) {
	base := slog.NewTextHandler(io.Discard, nil)
	m, _ := New()
	mined := m.Handler(base)
	ctx := context.Background()
	r := slog.NewRecord(testInstant, slog.LevelInfo, "cache refreshed for tenant", 0)
	r.AddAttrs(slog.Int("n", 3), slog.String("tenant", "acme"))
	const chunk = 256
	var tb, tm time.Duration
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		for range chunk {
			_ = base.Handle(ctx, r)
		}
		mid := time.Now()
		for range chunk {
			_ = mined.Handle(ctx, r)
		}
		tm += time.Since(mid)
		tb += mid.Sub(start)
		n += chunk
	}
	b.ReportMetric(float64(tb.Nanoseconds())/float64(n), "base-ns/record")
	b.ReportMetric(float64((tm-tb).Nanoseconds())/float64(n), "added-ns/record")
}
