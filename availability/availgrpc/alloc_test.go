package availgrpc

import (
	"context"
	"io"
	"math"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

// fakeServerStream is the least a stream handler needs.
type fakeServerStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (f fakeServerStream) Context() context.Context { return f.ctx }

// TestInterceptorAllocs guards the hot path: around a handler or invoker
// that allocates nothing, the unary interceptors and the server stream
// interceptor allocate nothing either, admission through a shedder or a
// breaker included, whether the call succeeds or fails.
func TestInterceptorAllocs(t *testing.T) {
	sh := newShedder(t, admit.ShedderConfig{Rate: 1e9})
	m := newMonitor(t, availability.WithShedder(sh), availability.WithRouteObjectives(availability.RouteObjectives{
		Availability: 0.999, Latency: 100e6}),
		// A breaker that never opens: this test is about the admitted path.
		availability.WithClientBreakers(breaker.Config{ConsecutiveFailures: math.MaxUint32}))
	s := newServer(t, m)
	c := newClient(t, m)
	ctx := context.Background()
	resp := new(int)
	failure := status.Error(codes.Unavailable, "down")
	uinfo := &grpc.UnaryServerInfo{FullMethod: unaryMethod}
	sinfo := &grpc.StreamServerInfo{FullMethod: streamMethod}
	var ss grpc.ServerStream = fakeServerStream{ctx: ctx}
	for _, err := range []error{nil, failure} {
		handler := func(context.Context, any) (any, error) { return resp, err }
		stream := func(any, grpc.ServerStream) error { return err }
		invoker := func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error { return err }
		cases := []struct {
			name string
			call func()
		}{
			{"server unary", func() { _, _ = s.Unary(ctx, nil, uinfo, handler) }},
			{"server stream", func() { _ = s.Stream(nil, ss, sinfo, stream) }},
			{"client unary", func() { _ = c.Unary(ctx, unaryMethod, nil, nil, nil, invoker) }},
		}
		for _, tc := range cases {
			tc.call() // create the endpoint
			if n := testing.AllocsPerRun(200, tc.call); n != 0 {
				t.Errorf("%s (err %v): %v allocs per call, want 0", tc.name, err, n)
			}
		}
	}
	if e, _ := endpoint(m, availability.ServerEndpoint, unaryMethod); e.Requests < 400 {
		t.Errorf("server endpoint recorded %d calls; the loop did not run through it", e.Requests)
	}
}

// TestClientStreamAllocs bounds what wrapping a client stream costs: the
// wrapper and its context.AfterFunc registration, against the dozens of
// allocations grpc-go makes to open a stream.
func TestClientStreamAllocs(t *testing.T) {
	m := newMonitor(t)
	c := newClient(t, m)
	desc := &grpc.StreamDesc{ServerStreams: true}
	cs := fakeStream{err: io.EOF}
	streamer := func(context.Context, *grpc.StreamDesc, *grpc.ClientConn, string, ...grpc.CallOption) (grpc.ClientStream, error) {
		return cs, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	call := func() {
		s, _ := c.Stream(ctx, desc, nil, streamMethod, streamer)
		_ = s.RecvMsg(nil)
	}
	call()
	const max = 5
	if n := testing.AllocsPerRun(200, call); n > max {
		t.Errorf("client stream: %v allocs per call, want at most %d", n, max)
	} else {
		t.Logf("client stream: %v allocs per call", n)
	}
}

// TestRejectedAllocs guards the refused path, which runs while the service
// sheds load or a dependency is down: refusing a call allocates nothing,
// neither here (RejectionError returns prebuilt errors) nor in the
// Monitor's Admit (its errors are built once per endpoint).
func TestRejectedAllocs(t *testing.T) {
	sh := newShedder(t, admit.ShedderConfig{})
	sh.SetLevel(admit.Critical)
	m := newMonitor(t, availability.WithShedder(sh),
		availability.WithClientBreakers(breaker.Config{ConsecutiveFailures: 1, OpenTimeout: 1e15}))
	s := newServer(t, m)
	c := newClient(t, m)
	ctx := context.Background()
	uinfo := &grpc.UnaryServerInfo{FullMethod: unaryMethod}
	handler := func(context.Context, any) (any, error) { return nil, nil }
	invoker := func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error {
		return status.Error(codes.Unavailable, "down")
	}
	_ = c.Unary(ctx, unaryMethod, nil, nil, nil, invoker) // opens the breaker
	cases := []struct {
		name string
		call func() error
		code codes.Code
		ep   *availability.Endpoint
	}{
		{"server shed", func() error { _, err := s.Unary(ctx, nil, uinfo, handler); return err }, codes.ResourceExhausted,
			m.Endpoint(availability.ServerEndpoint, unaryMethod)},
		{"client breaker open", func() error { return c.Unary(ctx, unaryMethod, nil, nil, nil, invoker) }, codes.Unavailable,
			m.Endpoint(availability.ClientEndpoint, unaryMethod)},
	}
	for _, tc := range cases {
		if got := status.Code(tc.call()); got != tc.code {
			t.Fatalf("%s: code %v, want %v", tc.name, got, tc.code)
		}
		total := testing.AllocsPerRun(200, func() { _ = tc.call() })
		admit := testing.AllocsPerRun(200, func() { _, _ = tc.ep.Admit(admit.Normal) })
		if total != 0 || admit != 0 {
			t.Errorf("%s: %v allocs per refused call, %v in Admit: want 0", tc.name, total, admit)
		}
	}
}
