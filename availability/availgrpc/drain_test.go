package availgrpc

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	testpb "google.golang.org/grpc/interop/grpc_testing"

	"github.com/nines-sre/nines/availability"
)

const testServiceName = "grpc.testing.TestService"

// checkOnce dials addr afresh, as grpc-health-probe does, and asks Check
// for service: "SERVING", "NOT_SERVING", or "refused" for any failure.
func checkOnce(addr, service string) string {
	cc, err := grpc.NewClient("passthrough:///"+addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return "refused"
	}
	defer cc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	resp, err := healthpb.NewHealthClient(cc).Check(ctx, &healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		return "refused"
	}
	return resp.GetStatus().String()
}

// As a load balancer polling grpc.health.v1 Check sees a draining
// shutdown: for service "" and for the served service's name (which used
// to be NOT_FOUND), SERVING, then NOT_SERVING through the drain delay,
// then a refused connection; an in-flight call finishes.
func TestShutdownDrainAsAGRPCProbeSeesIt(t *testing.T) {
	m, err := availability.New(availability.WithDrainDelay(500 * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	in, err := NewServer(m)
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(in.Unary), grpc.ChainStreamInterceptor(in.Stream))
	testpb.RegisterTestServiceServer(srv, &testService{})
	hs, err := RegisterHealth(srv, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var serving sync.WaitGroup
	serving.Go(func() { _ = srv.Serve(ln) })
	defer serving.Wait()
	addr := ln.Addr().String()

	type log struct {
		mu   sync.Mutex
		seen []string
	}
	logs := map[string]*log{"": {}, testServiceName: {}}
	var pollers sync.WaitGroup
	for service, l := range logs {
		pollers.Go(func() {
			for {
				got := checkOnce(addr, service)
				l.mu.Lock()
				if len(l.seen) == 0 || l.seen[len(l.seen)-1] != got {
					l.seen = append(l.seen, got)
				}
				l.mu.Unlock()
				if got == "refused" {
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	for _, l := range logs { // each poller has seen the service ready
		for {
			l.mu.Lock()
			n := len(l.seen)
			l.mu.Unlock()
			if n > 0 {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}

	ctx := context.Background()
	err = errors.Join(m.Shutdown(ctx), hs.Shutdown(ctx))
	srv.GracefulStop()
	pollers.Wait()
	if err != nil {
		t.Fatal(err)
	}
	for service, l := range logs {
		want := []string{"SERVING", "NOT_SERVING", "refused"}
		if len(l.seen) != len(want) || l.seen[0] != want[0] || l.seen[1] != want[1] || l.seen[2] != want[2] {
			t.Errorf("service %q: the poller saw %v, want %v", service, l.seen, want)
		}
	}
}
