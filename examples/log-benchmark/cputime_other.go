//go:build !unix

package main

import "time"

// cpuTime is not measured here; lines per CPU second reads 0.
func cpuTime() time.Duration { return 0 }
