package eject

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/nines-sre/nines/internal/metrictest"
)

func nan() float64         { return math.NaN() }
func isNaN(v float64) bool { return math.IsNaN(v) }

// A user metric is compared across the replicas like the built-in ones,
// in its own direction: a low hit ratio fires with metric=hit_ratio, a
// high one never does, and a replica whose queue is deep fires on queue.
func TestDetectorUserMetrics(t *testing.T) {
	mp := metrictest.NewProvider(t)
	st, err := NewStats(StatsConfig{Metrics: []MetricConfig{{Name: "hit_ratio", LowerIsWorse: true}, {Name: "queue"}}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDetector(DetectorConfig{Dependency: "cache", Stats: st, MeterProvider: mp})
	if err != nil {
		t.Fatal(err)
	}
	now := t0
	var log []string
	for step := range 12 {
		for i := range 10 {
			r := fmt.Sprintf("10.0.0.%d:80", i)
			hit, queue := 0.9+0.001*float64(i), 5.0+0.1*float64(i)
			switch {
			case i == 2:
				hit = 0.99 // better than its peers: not an outlier
			case i == 3 && step >= 2:
				hit = 0.4
			case i == 7 && step >= 6:
				queue = 50
			}
			st.RecordMetric(r, "hit_ratio", hit)
			st.RecordMetric(r, "queue", queue)
		}
		now = now.Add(time.Second)
		sigs, err := d.StepAt(now)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sigs {
			log = append(log, fmt.Sprintf("step %d: %s %s %s", step, s.Target, s.State, s.Attributes["metric"]))
		}
	}
	want := []string{
		"step 4: 10.0.0.3:80 outlier hit_ratio", // K = 3 consecutive steps (default persistence)
		"step 8: 10.0.0.7:80 outlier queue",
	}
	if !slices.Equal(log, want) {
		t.Fatalf("log = %q, want %q", log, want)
	}
	c := mp.Collect(t)
	metrictest.Golden(t, c.Lines(), `
		peer.outliers counter "" {peer.dependency=cache,peer.metric=hit_ratio} 1
		peer.outliers counter "" {peer.dependency=cache,peer.metric=queue} 1
		peer.outliers.active updown "" {peer.dependency=cache,peer.metric=hit_ratio} 1
		peer.outliers.active updown "" {peer.dependency=cache,peer.metric=queue} 1
	`)
}
