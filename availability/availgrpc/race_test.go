//go:build race

package availgrpc

// raceEnabled: the race detector makes sync.Pool drop items at random, so
// code that pools (fmt) allocates a varying amount.
const raceEnabled = true
