package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const replicas = 10

var verbose = flag.Bool("v", false, "print each backend's calls and the first failure of each run")

// benchConfig is what both sides are configured with.
type benchConfig struct {
	interval          time.Duration // grpc-go's interval, nines' detector step
	baseEjection      time.Duration
	maxEjection       time.Duration
	maxEjectedPercent int
	minCalls          int // grpc-go's request_volume (both algorithms), nines' MinCalls
	failurePercent    int // grpc-go's failure_percentage threshold
}

// system is one side of the comparison: its own ten backends and its
// client; call makes one call until ctx ends.
type system interface {
	name() string
	backends() []*backend
	call(ctx context.Context) error
	close()
}

type scenario struct {
	key    string // for -scenarios
	label  string
	d      time.Duration
	faults map[int]fault
}

type row struct {
	sys           string
	o             *observer
	calls, failed int64 // in the fault phase
	perInterval   float64
}

func main() {
	cfg := benchConfig{}
	flag.DurationVar(&cfg.interval, "interval", time.Second, "grpc-go interval and nines detector step")
	flag.DurationVar(&cfg.baseEjection, "base-ejection", 30*time.Second, "base ejection time, both sides")
	flag.DurationVar(&cfg.maxEjection, "max-ejection", 300*time.Second, "maximum ejection time, both sides")
	flag.IntVar(&cfg.maxEjectedPercent, "max-ejected-percent", 10, "maximum ejected percent, both sides")
	flag.IntVar(&cfg.minCalls, "min-calls", 20, "calls a backend needs in an interval to be judged, both sides")
	flag.IntVar(&cfg.failurePercent, "failure-percent", 10, "grpc-go failure_percentage_ejection threshold")
	quantiles := flag.String("nines-quantiles", "0.99,0.9", "one nines system per eject.StatsConfig.Quantile (the latency quantile compared per step), comma-separated")
	warmup := flag.Duration("warmup", 5*time.Second, "healthy run before each scenario's faults (ejections in it are false)")
	phase := flag.Duration("phase", 15*time.Second, "length of each fault scenario")
	healthy := flag.Duration("healthy", 60*time.Second, "length of the healthy run")
	workers := flag.Int("workers", 8, "concurrent callers per system")
	serial := flag.Bool("serial", false, "run the systems one after another instead of side by side")
	spikePercent := flag.Float64("spike-percent", 0.5, "share of every backend's calls that take 20ms more, in percent")
	runs := flag.Int("runs", 1, "runs of each scenario; the table gives the median time to eject and its range")
	only := flag.String("scenarios", "errors,slow,healthy,max2,max3", "scenarios to run, comma-separated")
	flag.Parse()
	spikeP = *spikePercent / 100

	scens := []scenario{
		{"errors", "one backend at 20% errors", *phase, map[int]fault{3: {errP: 0.2}}},
		{"slow", "one backend 3x slower, no errors", *phase, map[int]fault{3: {slow: 3}}},
		{"healthy", "healthy, noisy", *healthy, nil},
		{"max2", "2 of 10 at 50% errors", *phase, map[int]fault{1: {errP: 0.5}, 6: {errP: 0.5}}},
		{"max3", "3 of 10 at 50% errors", *phase, map[int]fault{1: {errP: 0.5}, 4: {errP: 0.5}, 8: {errP: 0.5}}},
	}
	makers := []func() (system, error){
		func() (system, error) { return newGRPC(cfg, true) },
		func() (system, error) { return newGRPC(cfg, false) },
	}
	for _, f := range strings.Split(*quantiles, ",") {
		q, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(q > 0 && q < 1) {
			fmt.Fprintf(os.Stderr, "peersgrpc: -nines-quantiles: %q is not in (0, 1)\n", f)
			os.Exit(2)
		}
		makers = append(makers, func() (system, error) { return newNines(cfg, q) })
	}
	if err := printConfig(cfg, *warmup, *workers, *serial); err != nil {
		fmt.Fprintln(os.Stderr, "peersgrpc:", err)
		os.Exit(1)
	}
	if *runs < 1 {
		fmt.Fprintln(os.Stderr, "peersgrpc: -runs must be at least 1")
		os.Exit(2)
	}
	chosen := strings.Split(*only, ",")
	for _, k := range chosen {
		if !slices.ContainsFunc(scens, func(sc scenario) bool { return sc.key == k }) {
			fmt.Fprintf(os.Stderr, "peersgrpc: -scenarios: unknown scenario %q (errors, slow, healthy, max2, max3)\n", k)
			os.Exit(2)
		}
	}
	printHeader()
	for _, sc := range scens {
		if !slices.Contains(chosen, sc.key) {
			continue
		}
		runsOf := make([][]row, len(makers))
		for range *runs {
			var wg sync.WaitGroup
			for i, mk := range makers {
				run := func() {
					sys, err := mk()
					if err != nil {
						fmt.Fprintln(os.Stderr, "peersgrpc:", err)
						os.Exit(1)
					}
					runsOf[i] = append(runsOf[i], drive(sys, cfg, *workers, *warmup, sc))
					sys.close()
				}
				if *serial {
					run()
					continue
				}
				wg.Go(run)
			}
			wg.Wait()
		}
		for _, rs := range runsOf {
			printRow(sc, rs)
		}
	}
}

func printConfig(cfg benchConfig, warmup time.Duration, workers int, serial bool) error {
	parsed, err := checkOD(odConfig(cfg, true))
	if err != nil {
		return err
	}
	mode := "side by side (each on its own ten backends)"
	if serial {
		mode = "one after another"
	}
	fmt.Printf("Both sides: ten gRPC backends on 127.0.0.1 (grpc.health.v1 Check, ~%v log-normal sigma %.1f, %.1f%% of calls +%v, %.1f%% errors), %d closed-loop callers per system, systems run %s, %v healthy warm-up before each scenario.\n",
		serviceTime, jitterSigma, spikeP*100, spike, noiseErrP*100, workers, mode, warmup)
	fmt.Printf("Shared: interval/step %v, base ejection %v, max ejection %v, max ejected %d%%, at least %d calls per backend per interval.\n",
		cfg.interval, cfg.baseEjection, cfg.maxEjection, cfg.maxEjectedPercent, cfg.minCalls)
	fmt.Printf("grpc-go %s, round_robin child, one ClientConn, manual resolver with one endpoint per backend; success rate stdev factor 1.9, failure %% threshold %d%%, enforcement 100%%, minimum hosts 5. Parsed: %s\n",
		odName, cfg.failurePercent, parsed)
	fmt.Printf("nines remediate/eject: eject.Balancer.Pick round-robin over a ClientConn per backend, eject.Stats, Detector (persistence 3, robust z 3.5, error ratio 5 points over the median, latency quantile 1.5x the median), engine policy with eject.Action.\n")
	fmt.Printf("Ejection is observed from the servers for both: a backend serving nothing for %d samples of 100ms in which at least half the backends serve %d calls or more.\n\n", idleSamples, movingCalls)
	return nil
}

// drive runs workers callers on sys for warmup healthy, then sets the
// scenario's faults for sc.d, watching the backends every 100ms.
func drive(sys system, cfg benchConfig, workers int, warmup time.Duration, sc scenario) row {
	bs := sys.backends()
	ctx, cancel := context.WithCancel(context.Background())
	var failed atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				if err := sys.call(ctx); err != nil && ctx.Err() == nil {
					if failed.Add(1) == 1 && *verbose {
						fmt.Fprintf(os.Stderr, "%s: first failure: %v\n", sys.name(), err)
					}
				}
			}
		})
	}
	faulty := map[int]bool{}
	for i := range sc.faults {
		faulty[i] = true
	}
	o := newObserver(len(bs), faulty)
	served := func() ([]int64, int64) {
		cur := make([]int64, len(bs))
		var sum int64
		for i, b := range bs {
			cur[i] = b.served.Load()
			sum += cur[i]
		}
		return cur, sum
	}
	var callsAt, failedAt int64
	start := time.Now()
	tick := time.NewTicker(100 * time.Millisecond)
	for {
		now := <-tick.C
		cur, sum := served()
		o.sample(now, cur, failed.Load())
		if o.faultAt.IsZero() && now.Sub(start) >= warmup {
			for i, b := range bs {
				f := sc.faults[i]
				b.fault.Store(&f)
			}
			o.faultsOn(now)
			callsAt, failedAt = sum, failed.Load()
		}
		if !o.faultAt.IsZero() && now.Sub(o.faultAt) >= sc.d {
			break
		}
	}
	tick.Stop()
	_, sum := served()
	r := row{sys: sys.name(), o: o, calls: sum - callsAt, failed: failed.Load() - failedAt}
	cancel()
	wg.Wait()
	r.perInterval = float64(r.calls) / replicas / (sc.d.Seconds() / cfg.interval.Seconds())
	if *verbose {
		var b strings.Builder
		for i, be := range bs {
			fmt.Fprintf(&b, " %d:%d", i, be.served.Load())
		}
		fmt.Fprintf(os.Stderr, "%s, %s: served%s\n", sc.label, sys.name(), b.String())
		for _, e := range o.episodes {
			fmt.Fprintf(os.Stderr, "%s, %s: backend %d (%s) ejected at %s (false %v)\n", sc.label, sys.name(), e.backend,
				bs[e.backend].addr, e.since.Format("15:04:05.0"), e.false)
		}
	}
	return r
}
