package detect_test

import (
	"fmt"
	"time"

	"github.com/nines-sre/nines/detect"
)

// Five replicas report their p99 latency each minute; replica-4 drifts away
// and stays away. It is reported from the third consecutive deviating step.
func ExamplePeerGroup() {
	g, err := detect.NewPeerGroup(detect.PeerConfig{Persistence: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for step := range 4 {
		out, err := g.StepAt(t.Add(time.Duration(step)*time.Minute), []detect.PeerValue{
			{Member: "replica-0", Value: 0.120},
			{Member: "replica-1", Value: 0.131},
			{Member: "replica-2", Value: 0.118},
			{Member: "replica-3", Value: 0.125},
			{Member: "replica-4", Value: 0.480},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, o := range out {
			fmt.Printf("step %d: %s at %.3f vs median %.3f (z %.1f, %d steps)\n", step, o.Member, o.Value, o.Median, o.Z, o.Steps)
		}
	}
	// Output:
	// step 2: replica-4 at 0.480 vs median 0.125 (z 39.9, 3 steps)
	// step 3: replica-4 at 0.480 vs median 0.125 (z 39.9, 4 steps)
}
