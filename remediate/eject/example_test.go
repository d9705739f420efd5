package eject_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/eject"
)

// Ten replicas of "inventory"; one starts failing one call in five. It is
// found after three steps (Persistence), ejected for 10s, returned on
// probation when the time is over, still fails, and is ejected again, for
// 20s.
func Example() {
	var backends []string
	for i := range 10 {
		backends = append(backends, fmt.Sprintf("10.0.0.%d:80", i+1))
	}
	stats, _ := eject.NewStats(eject.StatsConfig{})
	ejector, _ := eject.NewEjector(eject.EjectorConfig{Replicas: backends, BaseEjectionTime: 10 * time.Second})
	detector, _ := eject.NewDetector(eject.DetectorConfig{Dependency: "inventory", Stats: stats, Ejector: ejector})
	engine, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name:   "eject-peer-outliers",
		When:   remediate.Match{Predicate: func(s remediate.Signal) bool { return strings.HasPrefix(s.Source, "peer:") }},
		Action: eject.Action(ejector),
		Pool:   backends,
	}}}, remediate.WithAuditLogger(nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer engine.Shutdown(context.Background())
	defer ejector.OnChange(func(c eject.Change) {
		if c.Ejected {
			fmt.Printf("  %s out until +%s (ejection %d)\n", c.Replica, c.Until.Sub(c.Time), c.Ejections)
		} else {
			fmt.Printf("  %s back on probation\n", c.Replica)
		}
	})()

	ctx := context.Background()
	start := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	for step := 1; step <= 30; step++ {
		now := start.Add(time.Duration(step) * time.Second)
		for i, b := range backends {
			if ejector.Ejected(b) {
				continue
			}
			for call := range 20 {
				bad := i == 3 && step > 2 && call%5 == 0
				stats.Record(b, time.Duration(10+i%3)*time.Millisecond, bad)
			}
		}
		signals, _ := detector.StepAt(now)
		for _, s := range signals {
			fmt.Printf("+%ds %s %s %s (%s)\n", step, s.Phase, s.Target, s.State, s.Attributes["metric"])
			for _, d := range engine.HandleAt(ctx, now, s) {
				fmt.Println("  " + d.String())
			}
		}
		engine.TickAt(ctx, now)
	}
	// Output:
	// +5s firing 10.0.0.4:80 outlier (error_ratio)
	//   10.0.0.4:80 out until +10s (ejection 1)
	//   eject-peer-outliers: eject on "10.0.0.4:80": executed
	// +15s resolved 10.0.0.4:80 returned (error_ratio)
	//   10.0.0.4:80 back on probation
	//   eject-peer-outliers: eject on "10.0.0.4:80": reverted (resolved)
	// +18s firing 10.0.0.4:80 outlier (error_ratio)
	//   10.0.0.4:80 out until +20s (ejection 2)
	//   eject-peer-outliers: eject on "10.0.0.4:80": executed
}

// A metric of the user's own compared across the replicas: each replica
// reports its cache hit ratio, lower is worse, and the one whose ratio
// drops while its peers' does not is an outlier on "hit_ratio".
func ExampleStats_RecordMetric() {
	stats, _ := eject.NewStats(eject.StatsConfig{Metrics: []eject.MetricConfig{{Name: "hit_ratio", LowerIsWorse: true}}})
	detector, _ := eject.NewDetector(eject.DetectorConfig{Dependency: "cache", Stats: stats})
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for step := range 6 {
		for i := range 8 {
			ratio := 0.9 + 0.002*float64(i)
			if i == 5 && step >= 1 {
				ratio = 0.3
			}
			stats.RecordMetric(fmt.Sprintf("10.0.0.%d:80", i+1), "hit_ratio", ratio)
		}
		now = now.Add(time.Second)
		signals, _ := detector.StepAt(now)
		for _, s := range signals {
			fmt.Printf("step %d: %s %s on %s\n", step, s.Target, s.State, s.Attributes["metric"])
		}
	}
	// Output:
	// step 3: 10.0.0.6:80 outlier on hit_ratio
}
