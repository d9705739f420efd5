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

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/exporters"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address of the service")
	ops := flag.String("ops", "127.0.0.1:8081", "address of /livez /readyz /startupz /statusz /metrics")
	duration := flag.Duration("duration", 0, "stop after this long; 0 runs until SIGINT or SIGTERM")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	appLn, err := net.Listen("tcp", *addr)
	if err != nil {
		fail(err)
	}
	opsLn, err := net.Listen("tcp", *ops)
	if err != nil {
		fail(err)
	}
	fmt.Printf("serving http://%s, ops on http://%s/statusz\n", appLn.Addr(), opsLn.Addr())
	if err := run(ctx, appLn, opsLn); err != nil {
		fail(err)
	}
}

// run serves the routes on appLn and the operational endpoints on opsLn
// until ctx ends, then shuts everything down in order.
func run(ctx context.Context, appLn, opsLn net.Listener) (err error) {
	prov, err := exporters.New(ctx) // Prometheus only: no collector needed
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, prov.Shutdown(context.WithoutCancel(ctx))) }()
	m, err := availability.New(
		availability.WithMeterProvider(prov.MeterProvider()),
		availability.WithRouteObjectives(availability.RouteObjectives{
			Availability: 0.99, Latency: 300 * time.Millisecond, LatencyTarget: 0.99,
		}),
		availability.WithMetricsHandler(prov.MetricsHandler()),
	)
	if err != nil {
		return err
	}
	mux := routes()
	app := &http.Server{Handler: m.Middleware(mux), ReadHeaderTimeout: 5 * time.Second}
	ops := &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 5 * time.Second}
	if err := m.Start(ctx); err != nil {
		return err
	}
	go func() { _ = app.Serve(appLn) }()
	go func() { _ = ops.Serve(opsLn) }()
	<-ctx.Done()

	// Readiness is withdrawn first (Monitor.Shutdown), then the servers stop.
	down := context.WithoutCancel(ctx)
	return errors.Join(m.Shutdown(down), app.Shutdown(down), ops.Shutdown(down))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "httpservice:", err)
	os.Exit(1)
}
