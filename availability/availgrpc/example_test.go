package availgrpc_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/availability/availgrpc"
	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

// flaky answers UnaryCall with the status the request asks for.
type flaky struct {
	testpb.UnimplementedTestServiceServer
}

func (flaky) UnaryCall(_ context.Context, req *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	if es := req.ResponseStatus; es != nil {
		return nil, status.Error(codes.Code(es.Code), es.Message)
	}
	return &testpb.SimpleResponse{}, nil
}

// serveInMemory serves srv on an in-memory listener and returns a
// connection to it, and a function that closes both.
func serveInMemory(srv *grpc.Server, opts ...grpc.DialOption) (*grpc.ClientConn, func()) {
	lis := bufconn.Listen(1 << 16)
	go srv.Serve(lis)
	opts = append(opts,
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	cc, _ := grpc.NewClient("passthrough:///example", opts...)
	return cc, func() { cc.Close(); srv.Stop() }
}

// A server measured by a Monitor: the interceptors record every call of
// every method, and the health service answers from the Monitor's registry
// (its probes are not measured).
func ExampleNewServer() {
	m, _ := availability.New(availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.99}))
	defer m.Shutdown(context.Background())
	s, _ := availgrpc.NewServer(m)

	srv := grpc.NewServer(grpc.UnaryInterceptor(s.Unary), grpc.StreamInterceptor(s.Stream))
	testpb.RegisterTestServiceServer(srv, flaky{})
	hs, _ := availgrpc.RegisterHealth(srv, m)
	defer hs.Shutdown(context.Background())
	cc, stop := serveInMemory(srv)
	defer stop()
	client := testpb.NewTestServiceClient(cc)
	for _, c := range []codes.Code{codes.OK, codes.NotFound, codes.Unavailable, codes.OK} {
		req := &testpb.SimpleRequest{}
		if c != codes.OK {
			req.ResponseStatus = &testpb.EchoStatus{Code: int32(c)}
		}
		_, err := client.UnaryCall(context.Background(), req)
		fmt.Println("call:", status.Code(err))
	}
	resp, _ := healthpb.NewHealthClient(cc).Check(context.Background(), &healthpb.HealthCheckRequest{})
	fmt.Println("health:", resp.Status)

	for _, e := range m.Statusz().Endpoints {
		fmt.Printf("%s %s: %d calls, %d bad\n", e.Kind, e.Name, e.Requests, e.Errors)
	}
	// Output:
	// call: OK
	// call: NotFound
	// call: Unavailable
	// call: OK
	// health: SERVING
	// server grpc.testing.TestService.UnaryCall: 4 calls, 1 bad
}

// A client guarded by a Monitor: after three failures in a row the
// method's breaker opens and calls fail fast, without reaching the server.
func ExampleNewClient() {
	m, _ := availability.New(availability.WithClientBreakers(breaker.Config{
		ConsecutiveFailures: 3, OpenTimeout: time.Minute}))
	defer m.Shutdown(context.Background())
	c, _ := availgrpc.NewClient(m)

	srv := grpc.NewServer()
	testpb.RegisterTestServiceServer(srv, flaky{})
	cc, stop := serveInMemory(srv, grpc.WithUnaryInterceptor(c.Unary), grpc.WithStreamInterceptor(c.Stream))
	defer stop()
	client := testpb.NewTestServiceClient(cc)
	down := &testpb.SimpleRequest{ResponseStatus: &testpb.EchoStatus{Code: int32(codes.Unavailable)}}
	for range 5 {
		_, err := client.UnaryCall(context.Background(), down)
		fmt.Println(status.Code(err), errors.Is(err, breaker.ErrOpen))
	}
	for _, b := range m.Statusz().Breakers {
		fmt.Println(b.Name, b.State)
	}
	// Output:
	// Unavailable false
	// Unavailable false
	// Unavailable false
	// Unavailable true
	// Unavailable true
	// client:grpc.testing.TestService.UnaryCall open
}

// Which codes count against the SLO on each side of a call.
func ExampleCodeSet() {
	for _, c := range []codes.Code{codes.OK, codes.InvalidArgument, codes.ResourceExhausted, codes.DeadlineExceeded, codes.Internal} {
		fmt.Printf("%-17s server bad: %-5v client bad: %v\n", c, availgrpc.ServerBadCodes.Has(c), availgrpc.ClientBadCodes.Has(c))
	}
	// Output:
	// OK                server bad: false client bad: false
	// InvalidArgument   server bad: false client bad: false
	// ResourceExhausted server bad: false client bad: true
	// DeadlineExceeded  server bad: true  client bad: true
	// Internal          server bad: true  client bad: true
}

// A refused call answers a gRPC status and still names its cause.
func ExampleRejectionError() {
	for _, cause := range []error{admit.ErrShed, admit.ErrRateLimited, breaker.ErrOpen} {
		err := availgrpc.RejectionError(fmt.Errorf("availability: %w", cause))
		fmt.Println(status.Code(err), errors.Is(err, cause))
	}
	// Output:
	// ResourceExhausted true
	// ResourceExhausted true
	// Unavailable true
}
