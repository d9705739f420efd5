// Command quickstart is nines in one minute: a small shop service with real
// handlers on loopback, wrapped by an availability.Monitor, under synthetic
// traffic. After a while its inventory dependency starts failing, and later
// recovers; the demo prints what the Monitor sees and does as it happens:
// health flips, burn-rate alerts, anomalies, the breaker, load shedding and
// remediation decisions (a dry run and executed ones), then recovery.
//
//	go run ./examples/quickstart               # about a minute
//	go run ./examples/quickstart -duration 20s # the same story, faster
//	go run ./examples/quickstart -drain 5s     # withdraw readiness 5s before stopping (default: one SLO minute)
//	go run ./examples/quickstart -rules slo-rules.yaml # the Prometheus rules of its objectives, and exit
//
// While it runs, curl the operational endpoints it prints, for example
// curl -s http://127.0.0.1:8081/statusz and curl -s http://127.0.0.1:8081/metrics.
//
// SLO windows are minutes to days long, so the SLO clock (the Monitor's
// tick path: SLO windows, burn rates, detectors) runs faster than the wall
// clock: the whole run is one SLO hour (60x for the default minute). Request
// latencies, breakers and health checks use the real clock.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/examples/internal/runapp"
)

// config is what the flags set.
type config struct {
	duration time.Duration // the whole run
	addr     string        // the shop's address
	ops      string        // the operational endpoints' address
	rate     int           // synthetic requests per second
	drain    time.Duration // -drain, if drainSet: see drainDelay
	drainSet bool          // -drain was given (0 included)
}

func main() {
	cfg, rules, err := parseFlags(flag.CommandLine, os.Args[1:]) // exits on a bad flag
	if err != nil {
		runapp.Exit("quickstart", err)
		return
	}
	if rules != "" {
		runapp.Exit("quickstart", writeRules(rules))
		return
	}
	// -duration is the length of the story, which run keeps; the context
	// only ends it early, at SIGINT or SIGTERM.
	ctx, cancel := runapp.Context(0)
	err = run(ctx, cfg, os.Stdout)
	cancel()
	runapp.Exit("quickstart", err)
}

// parseFlags defines the demo's flags on fs and parses args into its
// config and the -rules path.
func parseFlags(fs *flag.FlagSet, args []string) (cfg config, rules string, err error) {
	f := runapp.Flags{Addr: "127.0.0.1:8080", Ops: "127.0.0.1:8081", Duration: time.Minute}
	f.Bind(fs, runapp.Usage{
		Addr:     "the shop's address (a busy port falls back to a free one)",
		Ops:      "address of /livez /readyz /statusz /metrics (a busy port falls back to a free one)",
		Duration: "how long the demo runs (at least 2s); the SLO clock runs 1h/duration times faster",
		Drain:    "when the demo ends (or at SIGINT or SIGTERM), serve this long with readiness withdrawn (503) before stopping (default: one SLO minute, duration/60)",
	})
	rate := fs.Int("rate", 50, "synthetic requests per second")
	if err := fs.Parse(args); err != nil {
		return config{}, "", err
	}
	cfg = config{duration: f.Duration, addr: f.Addr, ops: f.Ops, rate: *rate, drain: f.Drain}
	fs.Visit(func(fl *flag.Flag) { cfg.drainSet = cfg.drainSet || fl.Name == "drain" })
	return cfg, f.Rules, nil
}

// drainDelay is how long shutdown serves with readiness withdrawn: -drain
// if given, else one simulated minute, like every other duration of the
// demo scaled to its clock (a service keeps
// availability.DefaultDrainDelay, 15 s).
func (c config) drainDelay() time.Duration {
	if c.drainSet {
		return c.drain
	}
	return c.duration / 60
}

func (c config) validate() error {
	if c.duration < 2*time.Second {
		return fmt.Errorf("-duration %v: must be at least 2s", c.duration)
	}
	if c.rate < 1 || c.rate > 1000 {
		return fmt.Errorf("-rate %d: must be between 1 and 1000", c.rate)
	}
	if c.drainSet && (c.drain < 0 || c.drain > availability.MaxDrainDelay) {
		return fmt.Errorf("-drain %v: must be between 0 and %v", c.drain, availability.MaxDrainDelay)
	}
	return nil
}

// listen opens addr, falling back to a free port on the same host when
// addr is busy so that the demo still runs, and says so on the timeline.
func listen(addr string, tl *timeline) (net.Listener, error) {
	return runapp.Listen(addr, func(busy string, used net.Addr) {
		tl.printf("NOTE", "%s is busy; using %s instead", busy, used)
	})
}
