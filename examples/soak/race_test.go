//go:build race

package main

// raceEnabled: the soak's simulated weeks (17 million requests) take
// minutes under the race detector.
const raceEnabled = true
