// Command grpcservice is the smallest real integration of nines in a gRPC
// service: methods measured and defended by an availability.Monitor through
// the availgrpc interceptors, grpc.health.v1 answered from the Monitor's
// health registry, and /livez /readyz /startupz /statusz /metrics on a
// separate HTTP address. The service is grpc.testing.TestService, whose
// UnaryCall answers the status its request's response_status asks for.
//
//	go run ./examples/grpcservice -duration 1m
//	curl -s 127.0.0.1:8081/statusz
//	go run ./examples/grpcservice -rules slo-rules.yaml # write the Prometheus rules, and exit
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"time"

	"google.golang.org/grpc"
	testpb "google.golang.org/grpc/interop/grpc_testing"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/availability/availgrpc"
	"github.com/nines-sre/nines/examples/internal/runapp"
	"github.com/nines-sre/nines/exporters"
)

func main() {
	f := runapp.Flags{Addr: "127.0.0.1:8080", Ops: "127.0.0.1:8081", Drain: availability.DefaultDrainDelay}
	f.Bind(flag.CommandLine, runapp.Usage{Addr: "address of the gRPC service"})
	flag.Parse()
	if f.Rules != "" {
		runapp.Exit("grpcservice", writeRules(f.Rules))
		return
	}
	runapp.Main("grpcservice", f, func(ctx context.Context, grpcLn, ops net.Listener) error {
		fmt.Printf("serving gRPC on %s, ops on http://%s/statusz\n", grpcLn.Addr(), ops.Addr())
		return run(ctx, f.Drain, grpcLn, ops)
	})
}

// run serves the gRPC service on grpcLn and the operational endpoints on
// opsLn until ctx ends, then shuts everything down in order, serving with
// readiness withdrawn for drain first.
func run(ctx context.Context, drain time.Duration, grpcLn, opsLn net.Listener) (err error) {
	prov, err := exporters.New(ctx) // Prometheus only: no collector needed
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, prov.Shutdown(context.WithoutCancel(ctx))) }()
	m, err := availability.New(append(objectives(),
		availability.WithMeterProvider(prov.MeterProvider()),
		availability.WithMetricsHandler(prov.MetricsHandler()),
		availability.WithDrainDelay(drain),
	)...)
	if err != nil {
		return err
	}
	in, err := availgrpc.NewServer(m)
	if err != nil {
		return err
	}
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(in.Unary), grpc.ChainStreamInterceptor(in.Stream))
	testpb.RegisterTestServiceServer(srv, service{})
	hs, err := availgrpc.RegisterHealth(srv, m)
	if err != nil {
		return err
	}
	if err := m.Start(ctx); err != nil {
		return err
	}
	go func() { _ = srv.Serve(grpcLn) }()
	stopOps := runapp.Serve(runapp.Server(m.Handler()), opsLn)
	<-ctx.Done()
	// Monitor.Shutdown withdraws readiness (every health service answers
	// NOT_SERVING, grpc.testing.TestService included) and keeps serving for
	// the drain delay, so probes and load balancers see it before any
	// connection is refused; then the Watch streams end, then the servers.
	down := context.WithoutCancel(ctx)
	err = errors.Join(m.Shutdown(down), hs.Shutdown(down))
	srv.GracefulStop()
	return errors.Join(err, stopOps(down))
}
