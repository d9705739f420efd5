package main

import (
	"context"
	"math"
	"math/rand/v2"
	"net"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// fault is what is wrong with a backend.
type fault struct {
	slow float64 // latency factor; 0 means 1
	errP float64 // share of calls that fail
}

// Every backend's noise, faulty or not: about 5ms of service time with
// log-normal jitter (sigma 0.3), a 20ms pause on -spike-percent of calls
// (a GC or a noisy neighbour) and 0.1% of calls failing.
const (
	serviceTime = 5 * time.Millisecond
	jitterSigma = 0.3
	spike       = 20 * time.Millisecond
	noiseErrP   = 0.001
)

var spikeP = 0.005 // set from -spike-percent before any backend starts

// backend is one replica: a gRPC health service whose Check does the
// work and fails as its fault says. Both sides of the comparison call
// these same servers.
type backend struct {
	healthpb.UnimplementedHealthServer
	fault  atomic.Pointer[fault]
	served atomic.Int64
	addr   string
	srv    *grpc.Server
}

func startBackend() (*backend, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &backend{addr: ln.Addr().String(), srv: grpc.NewServer()}
	b.fault.Store(&fault{})
	healthpb.RegisterHealthServer(b.srv, b)
	go func() { _ = b.srv.Serve(ln) }()
	return b, nil
}

func startBackends(n int) ([]*backend, error) {
	var bs []*backend
	for range n {
		b, err := startBackend()
		if err != nil {
			stopBackends(bs)
			return nil, err
		}
		bs = append(bs, b)
	}
	return bs, nil
}

func stopBackends(bs []*backend) {
	for _, b := range bs {
		b.srv.Stop()
	}
}

// serve does one call's work and says whether it fails.
func (b *backend) serve() bool {
	b.served.Add(1)
	f := b.fault.Load()
	d := serviceTime.Seconds() * math.Exp(jitterSigma*rand.NormFloat64())
	if rand.Float64() < spikeP {
		d += spike.Seconds()
	}
	if f.slow > 0 {
		d *= f.slow
	}
	time.Sleep(time.Duration(d * 1e9))
	return rand.Float64() < noiseErrP || rand.Float64() < f.errP
}

func (b *backend) Check(context.Context, *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	if b.serve() {
		return nil, status.Error(codes.Unavailable, "injected failure")
	}
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}
