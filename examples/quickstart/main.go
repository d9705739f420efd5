// Command quickstart is nines in one minute: a small shop service with real
// handlers on loopback, wrapped by an availability.Monitor, under synthetic
// traffic. After a while its inventory dependency starts failing, and later
// recovers; the demo prints what the Monitor sees and does as it happens:
// health flips, burn-rate alerts, anomalies, the breaker, load shedding and
// remediation decisions (a dry run and executed ones), then recovery.
//
//	go run ./examples/quickstart               # about a minute
//	go run ./examples/quickstart -duration 20s # the same story, faster
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
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// config is what the flags set.
type config struct {
	duration time.Duration // the whole run
	addr     string        // the shop's address
	ops      string        // the operational endpoints' address
	rate     int           // synthetic requests per second
}

func main() {
	var cfg config
	flag.DurationVar(&cfg.duration, "duration", time.Minute, "how long the demo runs (at least 2s); the SLO clock runs 1h/duration times faster")
	flag.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "the shop's address (a busy port falls back to a free one)")
	flag.StringVar(&cfg.ops, "ops", "127.0.0.1:8081", "address of /livez /readyz /statusz /metrics (a busy port falls back to a free one)")
	flag.IntVar(&cfg.rate, "rate", 50, "synthetic requests per second")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
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
// addr is busy so that the demo still runs.
func listen(addr string, tl *timeline) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	host, _, splitErr := net.SplitHostPort(addr)
	if splitErr != nil || !errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	ln, err = net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", net.JoinHostPort(host, "0"), err)
	}
	tl.printf("NOTE", "%s is busy; using %s instead", addr, ln.Addr())
	return ln, nil
}

// serve runs srv on ln until shutdown; the returned function stops it and
// reports any serving error.
func serve(srv *http.Server, ln net.Listener) (stop func(context.Context) error) {
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	return func(ctx context.Context) error {
		err := srv.Shutdown(ctx)
		if serr := <-done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
		return err
	}
}
