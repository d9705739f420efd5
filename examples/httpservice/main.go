// Command httpservice is the smallest real integration of nines in a
// net/http service: a ServeMux whose routes are measured by an
// availability.Monitor (per-route availability and latency SLOs, detectors,
// admission), and the operational endpoints /livez /readyz /startupz
// /statusz and /metrics (Prometheus) on a separate address.
//
//	go run ./examples/httpservice -duration 1m
//	curl -s 127.0.0.1:8080/status/500; curl -s 127.0.0.1:8081/statusz
//
// GET /status/{code} answers with the status it is asked for, to try the
// SLOs out (and to drive a known bad ratio in CI's Prometheus check).
//
//	go run ./examples/httpservice -rules slo-rules.yaml # write the Prometheus rules, and exit
//
// With -state DIR the SLOs survive a restart (availability.WithStateDir):
// SIGTERM saves them, the next start with the same DIR restores them. The
// exported slo_events_total still starts from 0 in the new process (only
// what this process counted is exported), so Prometheus sees an ordinary
// counter reset and its rules do not count the restored history twice.
//
//	go run ./examples/httpservice -state /var/lib/httpservice
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"time"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/examples/internal/runapp"
	"github.com/nines-sre/nines/exporters"
)

func main() {
	f := runapp.Flags{Addr: "127.0.0.1:8080", Ops: "127.0.0.1:8081", Drain: availability.DefaultDrainDelay}
	f.Bind(flag.CommandLine, runapp.Usage{})
	state := flag.String("state", "", "directory that keeps the SLOs through restarts (one per replica); empty: none")
	flag.Parse()
	if f.Rules != "" {
		runapp.Exit("httpservice", writeRules(f.Rules))
		return
	}
	runapp.Main("httpservice", f, func(ctx context.Context, app, ops net.Listener) error {
		fmt.Printf("serving http://%s, ops on http://%s/statusz\n", app.Addr(), ops.Addr())
		return run(ctx, f.Drain, *state, app, ops)
	})
}

// run serves the routes on appLn and the operational endpoints on opsLn
// until ctx ends, then shuts everything down in order, serving with
// readiness withdrawn for drain first. A non-empty state is the directory
// of WithStateDir.
func run(ctx context.Context, drain time.Duration, state string, appLn, opsLn net.Listener) (err error) {
	prov, err := exporters.New(ctx) // Prometheus only: no collector needed
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, prov.Shutdown(context.WithoutCancel(ctx))) }()
	opts := append(objectives(),
		availability.WithMeterProvider(prov.MeterProvider()),
		availability.WithMetricsHandler(prov.MetricsHandler()),
		availability.WithDrainDelay(drain),
	)
	if state != "" {
		opts = append(opts, availability.WithStateDir(availability.StateDir{Path: state}))
	}
	m, err := availability.New(opts...)
	if err != nil {
		return err
	}
	if err := m.Start(ctx); err != nil {
		return err
	}
	stopApp := runapp.Serve(runapp.Server(m.Middleware(routes())), appLn)
	stopOps := runapp.Serve(runapp.Server(m.Handler()), opsLn)
	<-ctx.Done()

	// Monitor.Shutdown withdraws readiness (/readyz answers 503) and keeps
	// the servers serving for the drain delay, so load balancers stop
	// sending first; then it stops, and the servers finish their requests.
	down := context.WithoutCancel(ctx)
	return errors.Join(m.Shutdown(down), stopApp(down), stopOps(down))
}

// objectives are the Monitor options that decide its SLOs: the defaults
// and the declared routes. The service and -rules share them, so the rules
// written are those of the objectives served.
func objectives() []availability.Option {
	return []availability.Option{
		availability.WithRouteObjectives(availability.RouteObjectives{
			Availability: 0.99, Latency: 300 * time.Millisecond, LatencyTarget: 0.99,
		}),
		availability.WithRoutes(patterns...),
	}
}

// writeRules writes the Prometheus rules of every route's objectives to
// path: the -rules flag.
func writeRules(path string) error {
	m, err := availability.New(objectives()...)
	if err != nil {
		return err
	}
	defer m.Shutdown(context.Background())
	return runapp.WriteRules(path, m.Objectives())
}
