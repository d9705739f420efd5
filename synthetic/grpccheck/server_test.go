package grpccheck_test

import (
	"context"
	"net"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
)

// target is a real gRPC server on 127.0.0.1 with the standard health
// service. It records the metadata of every call and sends a header
// (x-session) back.
type target struct {
	addr   string
	health *health.Server

	mu  sync.Mutex
	got []metadata.MD
}

func (tg *target) calls() []metadata.MD {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return append([]metadata.MD(nil), tg.got...)
}

func newTarget(t testing.TB) *target {
	t.Helper()
	tg := &target{health: health.NewServer()}
	srv := grpc.NewServer(grpc.UnaryInterceptor(func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		md, _ := metadata.FromIncomingContext(ctx)
		tg.mu.Lock()
		tg.got = append(tg.got, md)
		tg.mu.Unlock()
		_ = grpc.SetHeader(ctx, metadata.Pairs("x-session", "s-42"))
		return h(ctx, req)
	}))
	healthpb.RegisterHealthServer(srv, tg.health)
	tg.addr = serve(t, srv)
	return tg
}

// serve runs srv on a fresh 127.0.0.1 port until the test ends.
func serve(t testing.TB, srv *grpc.Server) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(lis)
	}()
	t.Cleanup(func() {
		srv.Stop()
		<-done
	})
	return lis.Addr().String()
}

// hungHealth answers no Check until release is closed, whatever the
// caller's deadline: a server that never answers.
type hungHealth struct {
	healthpb.UnimplementedHealthServer
	release chan struct{}
}

func (h hungHealth) Check(context.Context, *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	<-h.release
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

// silentListener accepts TCP connections and never says a word: not even
// the HTTP/2 preface.
func silentListener(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := lis.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		lis.Close()
		wg.Wait()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return lis.Addr().String()
}

// closedAddr returns an address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	lis.Close()
	return addr
}
