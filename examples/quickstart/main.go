// Command quickstart is nines in one minute: a small shop service with real
// handlers on loopback, wrapped by an availability.Monitor, under synthetic
// traffic. After a while its inventory dependency starts failing, and later
// recovers; the demo prints what the Monitor sees and does as it happens:
// health flips, burn-rate alerts, anomalies, the breaker, load shedding and
// remediation decisions (a dry run and executed ones), then recovery.
//
//	go run ./examples/quickstart               # about a minute
//	go run ./examples/quickstart -duration 20s # the same story, faster
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

	"github.com/nines-sre/nines/examples/internal/runapp"
)

// config is what the flags set.
type config struct {
	duration time.Duration // the whole run
	addr     string        // the shop's address
	ops      string        // the operational endpoints' address
	rate     int           // synthetic requests per second
}

func main() {
	f := runapp.Flags{Addr: "127.0.0.1:8080", Ops: "127.0.0.1:8081", Duration: time.Minute}
	f.Bind(flag.CommandLine, runapp.Usage{
		Addr:     "the shop's address (a busy port falls back to a free one)",
		Ops:      "address of /livez /readyz /statusz /metrics (a busy port falls back to a free one)",
		Duration: "how long the demo runs (at least 2s); the SLO clock runs 1h/duration times faster",
	})
	rate := flag.Int("rate", 50, "synthetic requests per second")
	flag.Parse()
	if f.Rules != "" {
		runapp.Exit("quickstart", writeRules(f.Rules))
		return
	}
	// -duration is the length of the story, which run keeps; the context
	// only ends it early, at SIGINT or SIGTERM.
	ctx, cancel := runapp.Context(0)
	err := run(ctx, config{duration: f.Duration, addr: f.Addr, ops: f.Ops, rate: *rate}, os.Stdout)
	cancel()
	runapp.Exit("quickstart", err)
}

func (c config) validate() error {
	if c.duration < 2*time.Second {
		return fmt.Errorf("-duration %v: must be at least 2s", c.duration)
	}
	if c.rate < 1 || c.rate > 1000 {
		return fmt.Errorf("-rate %d: must be between 1 and 1000", c.rate)
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
