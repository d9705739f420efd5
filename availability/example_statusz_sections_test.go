package availability_test

import (
	"context"
	"fmt"
	"time"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/eject"
)

// The replicas of a dependency in the status document: which are
// measured, which are ejected and until when, and how many may be.
func ExampleMonitor_Statusz_peers() {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	replicas := []string{"10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80", "10.0.0.4:80"}
	stats, _ := eject.NewStats(eject.StatsConfig{})
	ejector, _ := eject.NewEjector(eject.EjectorConfig{Replicas: replicas, BaseEjectionTime: time.Minute})
	detector, _ := eject.NewDetector(eject.DetectorConfig{Dependency: "inventory", Stats: stats, Ejector: ejector})
	m, err := availability.New(availability.WithPeerDetectors(detector), availability.WithClock(func() time.Time { return now }))
	if err != nil {
		panic(err)
	}
	defer m.Shutdown(context.Background())

	for _, r := range replicas[:3] {
		for range 20 {
			stats.Record(r, 5*time.Millisecond, false)
		}
	}
	_ = ejector.EjectAt(now, "10.0.0.4:80") // as eject.Action would
	m.TickAt(now)

	for _, g := range m.Statusz().Peers {
		fmt.Printf("%s: %d replicas, %d ejected (at most %d)\n", g.Dependency, len(g.Replicas), g.Ejected, g.MaxEjected)
		for _, r := range g.Replicas {
			switch {
			case r.Ejected:
				fmt.Printf("  %s ejected until %s\n", r.Replica, r.EjectedUntil.Format("15:04:05"))
			case r.Measured:
				fmt.Printf("  %s %d calls, error ratio %g\n", r.Replica, r.Calls, r.ErrorRatio)
			}
		}
	}
	// Output:
	// inventory: 4 replicas, 1 ejected (at most 1)
	//   10.0.0.1:80 20 calls, error ratio 0
	//   10.0.0.2:80 20 calls, error ratio 0
	//   10.0.0.3:80 20 calls, error ratio 0
	//   10.0.0.4:80 ejected until 09:01:00
}
