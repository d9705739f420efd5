// Command peersgrpc compares nines' peer-outlier ejection (remediate/eject
// under an http.Client) with grpc-go's outlier_detection balancer (gRFC
// A50, registered by importing google.golang.org/grpc/xds) on the same
// scenarios: ten backends on 127.0.0.1, one with 20% errors; one 3x slower
// without errors; a long healthy run with realistic noise; three of ten
// failing at once (the maximum-ejection rule). It is a module of its own
// so that neither nines nor the bench module links xds.
//
//	cd bench/peersgrpc && go run . -healthy 60s
//
// Ejection is observed the same way for both, from the servers: a backend
// that receives nothing for three 100ms samples in a row while the others
// do is ejected since the first of them.
//
// Caveat (first runs, 2026-12-07, load ~20): the grpc-go side never showed
// the faulty backend ejected, while one healthy backend went idle; with
// -v, check which backend stops receiving before reading its column.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

const replicas = 10

var verbose = flag.Bool("v", false, "print each backend's calls and the first failure of each run")

// system is one side of the comparison: it starts its backends and
// clients, and calls call until ctx ends.
type system interface {
	name() string
	backends() []*backend
	call(ctx context.Context) error
	close()
}

type result struct {
	ejectAfter   time.Duration // -1: never
	failedBefore int64
	maxEjected   int
	ejections    int // distinct ejection episodes over all backends
}

func main() {
	phase := flag.Duration("phase", 15*time.Second, "length of each fault scenario")
	healthy := flag.Duration("healthy", 60*time.Second, "length of the healthy run")
	workers := flag.Int("workers", 8, "concurrent callers")
	flag.Parse()
	type scen struct {
		label  string
		d      time.Duration
		faults map[int]fault
	}
	scens := []scen{
		{"20% errors on one", *phase, map[int]fault{3: {errP: 0.2}}},
		{"3x slower, no errors", *phase, map[int]fault{3: {slow: 3}}},
		{"healthy, noisy", *healthy, nil},
		{"3 of 10 at 50% errors", *phase, map[int]fault{1: {errP: 0.5}, 4: {errP: 0.5}, 8: {errP: 0.5}}},
	}
	fmt.Printf("| scenario | system | time to eject | failed before ejection | ejection episodes | max ejected at once |\n|---|---|---|---|---|---|\n")
	for _, sc := range scens {
		for _, mk := range []func() (system, error){newGRPC, newNines} {
			sys, err := mk()
			if err != nil {
				fmt.Fprintln(os.Stderr, "peersgrpc:", err)
				os.Exit(1)
			}
			// Warm up healthy so both sides have a baseline.
			drive(sys, 5*time.Second, *workers, nil)
			r := drive(sys, sc.d, *workers, sc.faults)
			sys.close()
			eject := "never"
			if r.ejectAfter >= 0 {
				eject = r.ejectAfter.Round(100 * time.Millisecond).String()
			}
			fmt.Printf("| %s | %s | %s | %d | %d | %d |\n", sc.label, sys.name(), eject, r.failedBefore, r.ejections, r.maxEjected)
		}
	}
}

// drive sets the faults, runs workers callers for d and watches the
// backends' traffic.
func drive(sys system, d time.Duration, workers int, faults map[int]fault) result {
	bs := sys.backends()
	for i, b := range bs {
		f := faults[i]
		b.fault.Store(&f)
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var failed atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if err := sys.call(ctx); err != nil && ctx.Err() == nil {
					if failed.Add(1) == 1 && *verbose {
						fmt.Fprintf(os.Stderr, "%s: first failure: %v\n", sys.name(), err)
					}
				}
			}
		}()
	}
	r := result{ejectAfter: -1}
	start := time.Now()
	prev := make([]int64, len(bs))
	idle := make([]int, len(bs))
	idleSince := make([]time.Time, len(bs))
	out := make([]bool, len(bs))
	var failedAtSample []int64
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case now := <-tick.C:
			failedAtSample = append(failedAtSample, failed.Load())
			var total int64
			cur := make([]int64, len(bs))
			for i, b := range bs {
				cur[i] = b.served.Load()
				total += cur[i] - prev[i]
			}
			ejected := 0
			for i := range bs {
				if cur[i] == prev[i] && total > 0 {
					if idle[i] == 0 {
						idleSince[i] = now
					}
					idle[i]++
				} else if cur[i] != prev[i] {
					idle[i], out[i] = 0, false
				}
				if idle[i] >= 3 {
					if !out[i] {
						out[i] = true
						r.ejections++
						if _, bad := faults[i]; bad && r.ejectAfter < 0 {
							r.ejectAfter = idleSince[i].Sub(start)
							r.failedBefore = failedAtSample[max(0, len(failedAtSample)-idle[i])]
						}
					}
					ejected++
				}
				prev[i] = cur[i]
			}
			r.maxEjected = max(r.maxEjected, ejected)
		}
	}
	cancel()
	wg.Wait()
	if *verbose {
		for i, b := range bs {
			fmt.Fprintf(os.Stderr, "%s backend %d served %d\n", sys.name(), i, b.served.Load())
		}
	}
	if r.ejectAfter < 0 {
		r.failedBefore = failed.Load()
	}
	return r
}
