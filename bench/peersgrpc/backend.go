package main

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// fault is what is wrong with a backend.
type fault struct {
	slow float64 // latency factor; 0 means 1
	errP float64 // share of calls that fail
}

// backend is one replica's behaviour, shared by its gRPC and HTTP faces:
// about 5ms of service time with log-normal noise (sigma 0.3) and 0.1%
// background errors.
type backend struct {
	healthpb.UnimplementedHealthServer
	fault  atomic.Pointer[fault]
	served atomic.Int64
}

func newBackend() *backend {
	b := &backend{}
	b.fault.Store(&fault{})
	return b
}

// serve does one call's work and says whether it fails.
func (b *backend) serve() bool {
	b.served.Add(1)
	f := b.fault.Load()
	d := 5 * time.Millisecond.Seconds() * math.Exp(0.3*rand.NormFloat64())
	if f.slow > 0 {
		d *= f.slow
	}
	time.Sleep(time.Duration(d * 1e9))
	return rand.Float64() < 0.001 || rand.Float64() < f.errP
}

func (b *backend) Check(context.Context, *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	if b.serve() {
		return nil, status.Error(codes.Unavailable, "injected failure")
	}
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

func (b *backend) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	if b.serve() {
		http.Error(w, "injected failure", http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte("ok"))
}
