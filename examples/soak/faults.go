package main

import (
	"fmt"
	"time"
)

// fault changes the inventory's condition for a while.
type fault struct {
	name  string
	start time.Duration // since the week's start
	dur   time.Duration
	// apply changes the healthy state s at elapsed time d into the fault
	// (0 <= d < dur).
	apply func(s *depState, d time.Duration)
}

func (f fault) active(d time.Duration) bool { return d >= f.start && d < f.start+f.dur }

func (f fault) String() string { return fmt.Sprintf("%s (%v)", f.name, f.dur) }

// The faulty week's four faults, in working hours of four days, each far
// enough from the others that their alerts do not overlap.
func weekFaults() []fault {
	day := 24 * time.Hour
	return []fault{
		{name: "inventory outage", start: 1*day + 14*time.Hour, dur: 10 * time.Minute,
			apply: func(s *depState, _ time.Duration) { s.down = true }},
		{name: "inventory latency creep", start: 2*day + 9*time.Hour, dur: 2 * time.Hour,
			// The median grows linearly from 25 ms to 600 ms over two
			// hours; then the change is rolled back.
			apply: func(s *depState, d time.Duration) {
				s.slowdown = 1 + 23*float64(d)/float64(2*time.Hour)
			}},
		{name: "inventory error burst 2%", start: 3*day + 15*time.Hour, dur: 30 * time.Minute,
			apply: func(s *depState, _ time.Duration) { s.errorRatio = 0.02 }},
		{name: "inventory readiness flap", start: 4*day + 11*time.Hour, dur: 10 * time.Minute,
			// Down for the first 30 s of every 2 minutes: readiness
			// flips five times each way.
			apply: func(s *depState, d time.Duration) { s.down = d%(2*time.Minute) < 30*time.Second }},
	}
}

// stateAt is the inventory's condition at elapsed time d of a week with
// the given faults.
func stateAt(faults []fault, d time.Duration) depState {
	s := healthyDep()
	for _, f := range faults {
		if f.active(d) {
			f.apply(&s, d-f.start)
		}
	}
	return s
}
