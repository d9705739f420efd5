package availgrpc

import (
	"context"
	"testing"

	"google.golang.org/grpc"
	testpb "google.golang.org/grpc/interop/grpc_testing"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/admit"
)

// BenchmarkServerUnary compares a bare handler call with the same call
// through the server interceptor (admission by a shedder, SLO events,
// detector aggregates, latency): the difference is what the interceptor
// costs per call.
func BenchmarkServerUnary(b *testing.B) {
	sh, err := admit.NewShedder("bench", admit.ShedderConfig{Rate: 1e12})
	if err != nil {
		b.Fatal(err)
	}
	defer sh.Shutdown(context.Background())
	m, err := availability.New(availability.WithShedder(sh),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999, Latency: 100e6}))
	if err != nil {
		b.Fatal(err)
	}
	defer m.Shutdown(context.Background())
	s, err := NewServer(m)
	if err != nil {
		b.Fatal(err)
	}
	ctx, resp := context.Background(), new(int)
	info := &grpc.UnaryServerInfo{FullMethod: unaryMethod}
	handler := func(context.Context, any) (any, error) { return resp, nil }
	b.Run("bare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = handler(ctx, nil)
		}
	})
	b.Run("availgrpc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = s.Unary(ctx, nil, info, handler)
		}
	})
}

func noopServer(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	return h(ctx, req)
}

func noopClient(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, inv grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	return inv(ctx, method, req, reply, cc, opts...)
}

// BenchmarkRoundTrip is a whole unary call over an in-memory connection,
// without interceptors, with no-op ones and with availgrpc's on both sides:
// the interceptors' share of a real call.
func BenchmarkRoundTrip(b *testing.B) {
	m, err := availability.New(availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999, Latency: 100e6}))
	if err != nil {
		b.Fatal(err)
	}
	defer m.Shutdown(context.Background())
	s, _ := NewServer(m)
	c, _ := NewClient(m)
	for _, tc := range []struct {
		name  string
		sopts []grpc.ServerOption
		copts []grpc.DialOption
	}{
		{"bare", nil, nil},
		// grpc-go's own cost of having interceptors at all.
		{"noop", []grpc.ServerOption{grpc.UnaryInterceptor(noopServer)}, []grpc.DialOption{grpc.WithUnaryInterceptor(noopClient)}},
		{"availgrpc", []grpc.ServerOption{grpc.UnaryInterceptor(s.Unary)}, []grpc.DialOption{grpc.WithUnaryInterceptor(c.Unary)}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cc := serve(b, func(g *grpc.Server) { testpb.RegisterTestServiceServer(g, &testService{}) }, tc.sopts, tc.copts...)
			client := testpb.NewTestServiceClient(cc)
			req := &testpb.SimpleRequest{}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := client.UnaryCall(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
