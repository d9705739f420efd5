// Package detect compares, in one benchmark run, the nines detectors with
// a Go peer fetched from the module proxy: throughput, state per series and
// NAB score on the development corpus (../shared/nab beside the clone, or
// $NAB_DIR: a numenta/NAB checkout).
//
// The peer is github.com/VividCortex/ewma wrapped as a mean ± 3σ detector
// (peer_test.go). Anomaly-detection modules tried first, all refused by the
// module proxy (403): lytics/anomalyzer, asiffer/gospot,
// amrfaissal/anomalia, mohitk05/anomaly-detection, nathanielc/morgoth,
// e-XpertSolutions/go-iforest, berkmancenter/hekaanom.
//
//	cd bench && go test -run '^$' -bench . -benchmem -count 6 ./detect
package detect

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/detect/eval"
)

// candidate is a detector under comparison.
type candidate struct {
	name string
	new  func() detect.Detector
}

// candidates lists every detector of the catalog (the default ensemble
// first) and then the peer.
func candidates() []candidate {
	var cs []candidate
	for _, f := range detect.Catalog() {
		cs = append(cs, candidate{f.Name, f.New})
	}
	return append(cs, candidate{"peer-vividcortex-ewma", newVividEWMA})
}

// stream is a deterministic daily-seasonal series with noise, a level
// shift and spikes: 64k points at one-minute spacing.
func stream() ([]time.Time, []float64) {
	const n = 1 << 16
	rng := rand.New(rand.NewPCG(1, 2))
	ts, vs := make([]time.Time, n), make([]float64, n)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		ts[i] = t0.Add(time.Duration(i) * time.Minute)
		v := 100 + 20*math.Sin(2*math.Pi*float64(i)/1440) + rng.NormFloat64()*3
		if i > n/2 {
			v += 25
		}
		if i%5000 == 4999 {
			v += 80
		}
		vs[i] = v
	}
	return ts, vs
}

// BenchmarkObserve measures one ObserveAt per op on a warm detector.
func BenchmarkObserve(b *testing.B) {
	ts, vs := stream()
	for _, c := range candidates() {
		b.Run(c.name, func(b *testing.B) {
			d := c.new()
			b.ReportAllocs()
			i := 0
			start := time.Now()
			for b.Loop() {
				d.ObserveAt(ts[i], vs[i])
				if i++; i == len(vs) {
					i = 0
					d.Reset()
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "points/s")
		})
	}
}

// BenchmarkStateBytes reports the heap held per warm detector.
func BenchmarkStateBytes(b *testing.B) {
	ts, vs := stream()
	const series = 256
	for _, c := range candidates() {
		b.Run(c.name, func(b *testing.B) {
			var per float64
			for b.Loop() {
				ds := make([]detect.Detector, series)
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				for k := range ds {
					ds[k] = c.new()
				}
				for k, d := range ds {
					for i := range 3000 {
						j := (k*131 + i) % len(vs)
						d.ObserveAt(ts[j], vs[j])
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				per = float64(after.HeapAlloc-before.HeapAlloc) / series
				runtime.KeepAlive(ds)
			}
			b.ReportMetric(per, "B/series")
		})
	}
}

// nabPaths locates the corpus: $NAB_DIR (a numenta/NAB checkout or a
// data/ + labels.json copy), else the development corpus beside the clone
// (../shared/nab). Without one the benchmark fails naming the paths looked
// for.
func nabPaths(b *testing.B) (data, labels string) {
	dir := os.Getenv("NAB_DIR")
	if dir == "" {
		var err error
		if dir, err = filepath.Abs(filepath.Join("..", "..", "..", "shared", "nab")); err != nil {
			b.Fatal(err)
		}
	}
	data, labels, err := eval.FindNAB(dir)
	if err != nil {
		b.Fatalf("%v; set NAB_DIR to a checkout of https://github.com/numenta/NAB", err)
	}
	return data, labels
}

// BenchmarkNAB scores every candidate on the development corpus, NAB's
// way (fresh detector per file, streaming), and reports the standard
// profile's NAB score with the swept threshold and at the detector's own
// default threshold, plus throughput over the whole corpus.
func BenchmarkNAB(b *testing.B) {
	dataDir, labelsFile := nabPaths(b)
	labels, err := eval.LoadLabels(labelsFile)
	if err != nil {
		b.Fatal(err)
	}
	corpus, err := eval.LoadCorpus(dataDir, labels, eval.SkipMissing())
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range candidates() {
		b.Run(c.name, func(b *testing.B) {
			var sweep, dflt float64
			var elapsed time.Duration
			for b.Loop() {
				run, err := corpus.Run(c.new)
				if err != nil {
					b.Fatal(err)
				}
				elapsed += run.Elapsed
				r, err := corpus.Evaluate(run.Scores, eval.Standard)
				if err != nil {
					b.Fatal(err)
				}
				rd, err := corpus.DefaultThreshold(run, eval.Standard)
				if err != nil {
					b.Fatal(err)
				}
				sweep, dflt = r.Normalized, rd.Normalized
			}
			b.ReportMetric(sweep, "nab-standard")
			b.ReportMetric(dflt, "nab-standard-default")
			b.ReportMetric(float64(b.N*corpus.Rows())/elapsed.Seconds(), "points/s")
		})
	}
}

// TestPeerDetector checks the peer adapter on a scripted stream: quiet,
// then a spike it must flag, with scores in [0, 1].
func TestPeerDetector(t *testing.T) {
	d := newVividEWMA()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 200 {
		r := d.ObserveAt(t0.Add(time.Duration(i)*time.Minute), 10+float64(i%3))
		if r.Anomaly || r.Score < 0 || r.Score > 1 {
			t.Fatalf("point %d: %+v", i, r)
		}
	}
	if r := d.ObserveAt(t0.Add(time.Hour*10), 100); !r.Anomaly || r.Score <= 0.5 {
		t.Errorf("spike: %+v", r)
	}
	if r := d.ObserveAt(t0, math.NaN()); !r.Skipped {
		t.Errorf("NaN not skipped: %+v", r)
	}
	d.Reset()
	if r := d.ObserveAt(t0, 1e9); r.Anomaly {
		t.Errorf("fresh detector flagged its first point: %+v", r)
	}
}
