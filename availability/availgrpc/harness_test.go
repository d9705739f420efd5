package availgrpc

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/admit"
)

// Full method names of the generated grpc.testing.TestService.
const (
	unaryMethod  = "/grpc.testing.TestService/UnaryCall"
	streamMethod = "/grpc.testing.TestService/StreamingOutputCall"
	fullDuplex   = "/grpc.testing.TestService/FullDuplexCall"
)

// testService answers each call with the status its request asks for;
// message "panic" makes the handler panic and "block" makes a stream wait
// for its context.
type testService struct {
	testpb.UnimplementedTestServiceServer
	calls atomic.Int64
}

func outcome(es *testpb.EchoStatus) error {
	if es == nil {
		return nil
	}
	if es.Message == "panic" {
		panic("test handler panic")
	}
	return status.Error(codes.Code(es.Code), es.Message)
}

func (s *testService) UnaryCall(_ context.Context, req *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	s.calls.Add(1)
	if err := outcome(req.ResponseStatus); err != nil {
		return nil, err
	}
	return &testpb.SimpleResponse{}, nil
}

func (s *testService) StreamingOutputCall(req *testpb.StreamingOutputCallRequest, stream testpb.TestService_StreamingOutputCallServer) error {
	s.calls.Add(1)
	for range req.ResponseParameters {
		if err := stream.Send(&testpb.StreamingOutputCallResponse{}); err != nil {
			return err
		}
	}
	if req.ResponseStatus != nil && req.ResponseStatus.Message == "block" {
		<-stream.Context().Done()
		return stream.Context().Err()
	}
	return outcome(req.ResponseStatus)
}

// echo asks for code c (OK when c is OK) with message msg.
func echo(c codes.Code, msg string) *testpb.EchoStatus {
	if c == codes.OK && msg == "" {
		return nil
	}
	return &testpb.EchoStatus{Code: int32(c), Message: msg}
}

// serve starts a gRPC server on an in-memory listener with the given server
// options and returns a connection to it; both stop when the test ends.
func serve(t testing.TB, register func(*grpc.Server), sopts []grpc.ServerOption, copts ...grpc.DialOption) *grpc.ClientConn {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(sopts...)
	register(srv)
	var wg sync.WaitGroup
	wg.Go(func() { _ = srv.Serve(lis) })
	copts = append(copts,
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	cc, err := grpc.NewClient("passthrough:///bufnet", copts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cc.Close()
		srv.Stop()
		wg.Wait()
	})
	return cc
}

// newMonitor returns a Monitor with the options, shut down when the test
// ends.
func newMonitor(t *testing.T, opts ...availability.Option) *availability.Monitor {
	t.Helper()
	m, err := availability.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown(context.Background()) })
	return m
}

// endpoint returns the Statusz entry of an endpoint, and whether it exists.
func endpoint(m *availability.Monitor, kind availability.EndpointKind, name string) (availability.EndpointStatus, bool) {
	for _, e := range m.Statusz().Endpoints {
		if e.Kind == kind.String() && e.Pattern == name {
			return e, true
		}
	}
	return availability.EndpointStatus{}, false
}

// counts is what an endpoint recorded: requests, bad ones, refused ones.
type counts struct{ requests, errors, shed uint64 }

func endpointCounts(t *testing.T, m *availability.Monitor, kind availability.EndpointKind, name string) counts {
	t.Helper()
	e, ok := endpoint(m, kind, name)
	if !ok {
		return counts{}
	}
	return counts{e.Requests, e.Errors, e.Shed + e.Rejected}
}

// newShedder returns a Shedder shut down when the test ends.
func newShedder(t *testing.T, s admit.ShedderConfig) *admit.Shedder {
	t.Helper()
	sh, err := admit.NewShedder("test", s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sh.Shutdown(context.Background()) })
	return sh
}
