package availgrpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/admit"
)

// serveTest serves a testService through s's interceptors.
func serveTest(t *testing.T, s *Server, sopts ...grpc.ServerOption) (testpb.TestServiceClient, *testService) {
	t.Helper()
	svc := &testService{}
	sopts = append(sopts, grpc.ChainUnaryInterceptor(s.Unary), grpc.ChainStreamInterceptor(s.Stream))
	cc := serve(t, func(g *grpc.Server) { testpb.RegisterTestServiceServer(g, svc) }, sopts)
	return testpb.NewTestServiceClient(cc), svc
}

func newServer(t *testing.T, m *availability.Monitor, opts ...ServerOption) *Server {
	t.Helper()
	s, err := NewServer(m, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestServerUnaryOutcomes(t *testing.T) {
	m := newMonitor(t)
	var panics []string
	s := newServer(t, m, WithPanicHook(func(method string, v any) { panics = append(panics, fmt.Sprint(method, " ", v)) }))
	client, svc := serveTest(t, s)
	steps := []struct {
		code   codes.Code
		msg    string
		want   codes.Code // what the client sees
		counts counts     // the endpoint's totals after the step
	}{
		{codes.OK, "", codes.OK, counts{1, 0, 0}},
		{codes.NotFound, "no", codes.NotFound, counts{2, 0, 0}},
		{codes.Internal, "broken", codes.Internal, counts{3, 1, 0}},
		{codes.ResourceExhausted, "quota", codes.ResourceExhausted, counts{4, 1, 0}},
		{codes.Unavailable, "dep down", codes.Unavailable, counts{5, 2, 0}},
		{codes.Canceled, "gave up", codes.Canceled, counts{6, 2, 0}},
		{codes.OK, "panic", codes.Internal, counts{7, 3, 0}},
		{codes.DeadlineExceeded, "slow", codes.DeadlineExceeded, counts{8, 4, 0}},
	}
	for i, st := range steps {
		_, err := client.UnaryCall(context.Background(), &testpb.SimpleRequest{ResponseStatus: echo(st.code, st.msg)})
		if got := status.Code(err); got != st.want {
			t.Fatalf("step %d: client got %v (%v), want %v", i, got, err, st.want)
		}
		if got := endpointCounts(t, m, availability.ServerEndpoint, unaryMethod); got != st.counts {
			t.Fatalf("step %d (%v %q): endpoint counts %+v, want %+v", i, st.code, st.msg, got, st.counts)
		}
	}
	if svc.calls.Load() != int64(len(steps)) {
		t.Errorf("handler ran %d times, want %d", svc.calls.Load(), len(steps))
	}
	if len(panics) != 1 || panics[0] != unaryMethod+" test handler panic" {
		t.Errorf("panic hook saw %q", panics)
	}
}

func TestServerStreamOutcomes(t *testing.T) {
	m := newMonitor(t)
	s := newServer(t, m, WithPanicHook(func(string, any) {}))
	client, _ := serveTest(t, s)
	steps := []struct {
		es     *testpb.EchoStatus
		want   codes.Code
		counts counts
	}{
		{nil, codes.OK, counts{1, 0, 0}},
		{echo(codes.DataLoss, "lost"), codes.DataLoss, counts{2, 1, 0}},
		{echo(codes.InvalidArgument, "bad arg"), codes.InvalidArgument, counts{3, 1, 0}},
		{echo(codes.OK, "panic"), codes.Internal, counts{4, 2, 0}},
	}
	for i, st := range steps {
		stream, err := client.StreamingOutputCall(context.Background(), &testpb.StreamingOutputCallRequest{
			ResponseParameters: make([]*testpb.ResponseParameters, 2), ResponseStatus: st.es})
		if err != nil {
			t.Fatal(err)
		}
		for err == nil {
			_, err = stream.Recv()
		}
		if err == io.EOF {
			err = nil
		}
		if got := status.Code(err); got != st.want {
			t.Fatalf("step %d: client got %v, want %v", i, err, st.want)
		}
		if got := endpointCounts(t, m, availability.ServerEndpoint, streamMethod); got != st.counts {
			t.Fatalf("step %d: endpoint counts %+v, want %+v", i, got, st.counts)
		}
	}
}

// TestServerShedding sheds every call below critical: a refused call is
// answered ResourceExhausted without running the handler and is counted as
// shed, not as a request; a critical call (by metadata) gets through.
func TestServerShedding(t *testing.T) {
	sh := newShedder(t, admit.ShedderConfig{})
	sh.SetLevel(admit.Critical)
	m := newMonitor(t, availability.WithShedder(sh))
	client, svc := serveTest(t, newServer(t, m, WithPriorityMetadata("X-Priority")))

	steps := []struct {
		priority string // metadata value; "" sends none
		want     codes.Code
		counts   counts
	}{
		{"", codes.ResourceExhausted, counts{0, 0, 1}},
		{"normal", codes.ResourceExhausted, counts{0, 0, 2}},
		{"critical", codes.OK, counts{1, 0, 2}},
		{"sheddable", codes.ResourceExhausted, counts{1, 0, 3}},
	}
	for i, st := range steps {
		ctx := context.Background()
		if st.priority != "" {
			ctx = metadata.AppendToOutgoingContext(ctx, "x-priority", st.priority)
		}
		_, err := client.UnaryCall(ctx, &testpb.SimpleRequest{})
		if got := status.Code(err); got != st.want {
			t.Fatalf("step %d: client got %v, want %v", i, err, st.want)
		}
		if got := endpointCounts(t, m, availability.ServerEndpoint, unaryMethod); got != st.counts {
			t.Fatalf("step %d: endpoint counts %+v, want %+v", i, got, st.counts)
		}
	}
	if svc.calls.Load() != 1 {
		t.Errorf("handler ran %d times, want 1 (only the critical call)", svc.calls.Load())
	}
	if got := m.Statusz().Shed; got != 3 {
		t.Errorf("Statusz().Shed = %d, want 3", got)
	}
}

// TestServerUnknownMethods serves every method through an unknown-service
// handler, so method names come from the request: the table bounds them.
func TestServerUnknownMethods(t *testing.T) {
	m := newMonitor(t)
	s := newServer(t, m, WithMaxMethods(2))
	unknown := func(any, grpc.ServerStream) error { return status.Error(codes.Unimplemented, "no such method") }
	cc := serve(t, func(*grpc.Server) {}, []grpc.ServerOption{
		grpc.StreamInterceptor(s.Stream), grpc.UnknownServiceHandler(unknown)})
	for i := range 5 {
		method := fmt.Sprintf("/x.Y/M%d", i)
		err := cc.Invoke(context.Background(), method, &testpb.Empty{}, &testpb.Empty{})
		if status.Code(err) != codes.Unimplemented {
			t.Fatalf("%s: %v", method, err)
		}
	}
	for _, tt := range []struct {
		name string
		want counts
	}{
		{"/x.Y/M0", counts{1, 1, 0}},
		{"/x.Y/M1", counts{1, 1, 0}},
		{OtherMethod, counts{3, 3, 0}},
	} {
		if got := endpointCounts(t, m, availability.ServerEndpoint, tt.name); got != tt.want {
			t.Errorf("endpoint %s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if n := len(m.Statusz().Endpoints); n != 3 {
		t.Errorf("%d endpoints, want 3", n)
	}
}

// TestConstructionErrors: a nil Monitor or an invalid option fails at
// construction with an error naming it, never at the first call.
func TestConstructionErrors(t *testing.T) {
	m := newMonitor(t)
	tests := []struct {
		name   string
		m      *availability.Monitor
		server []ServerOption
		client []ClientOption
		want   string
	}{
		{"nil monitor", nil, nil, nil, "Monitor = <nil>"},
		{"max methods 0", m, []ServerOption{WithMaxMethods(0)}, []ClientOption{WithMaxMethods(0)}, "WithMaxMethods = 0"},
		{"max methods too big", m, []ServerOption{WithMaxMethods(MaxMaxMethods + 1)}, []ClientOption{WithMaxMethods(MaxMaxMethods + 1)},
			"WithMaxMethods = 10001"},
		{"empty metadata key", m, []ServerOption{WithPriorityMetadata("")}, nil, `WithPriorityMetadata = ""`},
		{"metadata key with a space", m, []ServerOption{WithPriorityMetadata("x priority")}, nil, `WithPriorityMetadata = "x priority"`},
	}
	check := func(what string, err error, want string) {
		t.Helper()
		if !errors.Is(err, ErrInvalidConfig) || !strings.HasPrefix(err.Error(), "availgrpc: invalid config: "+want) {
			t.Errorf("%s: %v, want ErrInvalidConfig naming %s", what, err, want)
		}
	}
	for _, tt := range tests {
		_, err := NewServer(tt.m, tt.server...)
		check(tt.name+": NewServer", err, tt.want)
		if tt.client != nil || tt.m == nil {
			_, err := NewClient(tt.m, tt.client...)
			check(tt.name+": NewClient", err, tt.want)
		}
	}
	if _, err := NewServer(m, WithMaxMethods(MaxMaxMethods), nil); err != nil {
		t.Errorf("valid options: %v", err)
	}
	if _, err := NewClient(m, WithMaxMethods(MaxMaxMethods), nil); err != nil {
		t.Errorf("valid options: %v", err)
	}
}

// TestServerFilter: filtered methods pass straight through, unmeasured.
func TestServerFilter(t *testing.T) {
	m := newMonitor(t)
	s := newServer(t, m, WithFilter(func(method string) bool { return method != unaryMethod }))
	client, svc := serveTest(t, s)
	if _, err := client.UnaryCall(context.Background(), &testpb.SimpleRequest{ResponseStatus: echo(codes.Internal, "x")}); status.Code(err) != codes.Internal {
		t.Fatal(err)
	}
	if _, ok := endpoint(m, availability.ServerEndpoint, unaryMethod); ok || svc.calls.Load() != 1 {
		t.Errorf("filtered method was measured (or not run: %d calls)", svc.calls.Load())
	}
}

// TestServerUnregisteredMethod locks the premise of the server's
// cardinality bound: grpc-go answers a method no service registered before
// any interceptor runs, so it never becomes an endpoint.
func TestServerUnregisteredMethod(t *testing.T) {
	m := newMonitor(t)
	cc := serve(t, func(g *grpc.Server) { testpb.RegisterTestServiceServer(g, &testService{}) },
		[]grpc.ServerOption{grpc.UnaryInterceptor(newServer(t, m).Unary)})
	for _, method := range []string{"/x.Y/Nope", "/grpc.testing.TestService/Nope"} {
		if err := cc.Invoke(context.Background(), method, &testpb.Empty{}, &testpb.Empty{}); status.Code(err) != codes.Unimplemented {
			t.Fatalf("%s: %v, want Unimplemented", method, err)
		}
	}
	if _, err := testpb.NewTestServiceClient(cc).UnaryCall(context.Background(), &testpb.SimpleRequest{}); err != nil {
		t.Fatal(err)
	}
	if eps := m.Statusz().Endpoints; len(eps) != 1 || eps[0].Pattern != unaryMethod {
		t.Errorf("endpoints %+v, want only %s", eps, unaryMethod)
	}
}
