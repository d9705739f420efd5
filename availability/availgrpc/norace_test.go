//go:build !race

package availgrpc

const raceEnabled = false
