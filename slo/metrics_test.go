package slo

import (
	"context"
	"flag"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nines-sre/nines/internal/metrictest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMetricsGolden(t *testing.T) {
	mp := metrictest.NewProvider(t)
	set, err := NewSet(WithMeterProvider(mp), fixed(t0.Add(8*time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	defer set.Shutdown(context.Background())
	s := mustNew(t, api(0.999, 30*day), t0)
	_ = set.Add(s)
	// 1% errors, burn rate 10, for 8 hours: enough history for the 6h/30m
	// page and the 1d/2h ticket to have spent their share of the budget
	// (TierStatus.WarmingUp), so both fire.
	feed(s, t0, t0.Add(8*time.Hour), 990, 10)
	set.TickAt(t0.Add(8 * time.Hour))

	c := mp.Collect(t)
	if got := c.Scopes(); len(got) != 1 || got[0] != "github.com/nines-sre/nines/slo" {
		t.Errorf("scopes %q, want the slo scope only", got)
	}
	metrictest.GoldenFile(t, "testdata/metrics.golden", c.Lines(), *update)
}

// Recording, ticking and collecting concurrently is race-free, and the
// cumulative counter never goes down.
func TestMetricsUnderConcurrentRecording(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mp := metrictest.NewProvider(t)
		set, err := NewSet(WithMeterProvider(mp))
		if err != nil {
			t.Fatal(err)
		}
		s, _ := New(api(0.99, 7*day))
		_ = set.Add(s)
		ctx := context.Background()
		_ = set.Start(ctx)
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for i := range 600 {
					s.Record(i%10 != w)
					if i%50 == 0 {
						time.Sleep(time.Second)
					}
				}
			})
		}
		var last int64
		for range 20 {
			total := int64(mp.Collect(t).Total("slo.events"))
			if total < last {
				t.Fatalf("slo.events went down from %d to %d", last, total)
			}
			last = total
			time.Sleep(500 * time.Millisecond)
		}
		wg.Wait()
		if got := mp.Collect(t).Total("slo.events"); got != 4*600 {
			t.Errorf("slo.events total %v, want 2400", got)
		}
		if err := set.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
