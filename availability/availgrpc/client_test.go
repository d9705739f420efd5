package availgrpc

import (
	"context"
	"errors"
	"io"
	"testing"
	"testing/synctest"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/breaker"
)

// serveClient serves a plain testService and returns a client whose calls go
// through c's interceptors.
func serveClient(t *testing.T, c *Client) (testpb.TestServiceClient, *testService) {
	t.Helper()
	svc := &testService{}
	cc := serve(t, func(g *grpc.Server) { testpb.RegisterTestServiceServer(g, svc) }, nil,
		grpc.WithUnaryInterceptor(c.Unary), grpc.WithStreamInterceptor(c.Stream))
	return testpb.NewTestServiceClient(cc), svc
}

func newClient(t *testing.T, m *availability.Monitor, opts ...ClientOption) *Client {
	t.Helper()
	c, err := NewClient(m, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestClientBreaker drives a failing dependency: failures are bad client
// events, the third one in a row opens the breaker, and from then on calls
// fail fast with Unavailable wrapping breaker.ErrOpen without reaching the
// server or counting as requests.
func TestClientBreaker(t *testing.T) {
	m := newMonitor(t, availability.WithClientBreakers(breaker.Config{
		ConsecutiveFailures: 3, OpenTimeout: time.Hour}))
	client, svc := serveClient(t, newClient(t, m))
	steps := []struct {
		code   codes.Code
		want   codes.Code
		calls  int64 // calls that reached the server so far
		counts counts
	}{
		{codes.OK, codes.OK, 1, counts{1, 0, 0}},
		{codes.InvalidArgument, codes.InvalidArgument, 2, counts{2, 0, 0}},
		{codes.ResourceExhausted, codes.ResourceExhausted, 3, counts{3, 1, 0}},
		{codes.Unavailable, codes.Unavailable, 4, counts{4, 2, 0}},
		{codes.Canceled, codes.Canceled, 5, counts{4, 2, 0}}, // neither an event nor a breaker outcome
		{codes.Internal, codes.Internal, 6, counts{5, 3, 0}}, // third failure in a row: open
		{codes.OK, codes.Unavailable, 6, counts{5, 3, 1}},
		{codes.OK, codes.Unavailable, 6, counts{5, 3, 2}},
	}
	for i, st := range steps {
		_, err := client.UnaryCall(context.Background(), &testpb.SimpleRequest{ResponseStatus: echo(st.code, "")})
		if got := status.Code(err); got != st.want {
			t.Fatalf("step %d: got %v, want %v", i, err, st.want)
		}
		if st.counts.shed > 0 && !errors.Is(err, breaker.ErrOpen) {
			t.Fatalf("step %d: refused call's error %v does not wrap breaker.ErrOpen", i, err)
		}
		if got := svc.calls.Load(); got != st.calls {
			t.Fatalf("step %d: server saw %d calls, want %d", i, got, st.calls)
		}
		if got := endpointCounts(t, m, availability.ClientEndpoint, unaryMethod); got != st.counts {
			t.Fatalf("step %d: client endpoint %+v, want %+v", i, got, st.counts)
		}
	}
}

// TestClientStreams records each stream once, when it ends, however it ends.
func TestClientStreams(t *testing.T) {
	m := newMonitor(t)
	client, _ := serveClient(t, newClient(t, m, WithStreamLatency()))
	drain := func(s testpb.TestService_StreamingOutputCallClient) error {
		for {
			if _, err := s.Recv(); err != nil {
				return err
			}
		}
	}
	steps := []struct {
		name   string
		run    func() error
		want   codes.Code
		counts counts
	}{
		{"ok to EOF", func() error {
			s, err := client.StreamingOutputCall(context.Background(), &testpb.StreamingOutputCallRequest{
				ResponseParameters: make([]*testpb.ResponseParameters, 3)})
			if err != nil {
				return err
			}
			if err := drain(s); err != io.EOF {
				return err
			}
			// Reading past the end records nothing more.
			_, err = s.Recv()
			if err != io.EOF {
				return err
			}
			return nil
		}, codes.OK, counts{1, 0, 0}},
		{"server fails", func() error {
			s, err := client.StreamingOutputCall(context.Background(), &testpb.StreamingOutputCallRequest{
				ResponseParameters: make([]*testpb.ResponseParameters, 1), ResponseStatus: echo(codes.Unavailable, "down")})
			if err != nil {
				return err
			}
			return drain(s)
		}, codes.Unavailable, counts{2, 1, 0}},
		{"cancelled by the caller", func() error {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s, err := client.StreamingOutputCall(ctx, &testpb.StreamingOutputCallRequest{
				ResponseParameters: make([]*testpb.ResponseParameters, 1), ResponseStatus: echo(codes.OK, "block")})
			if err != nil {
				return err
			}
			if _, err := s.Recv(); err != nil {
				return err
			}
			cancel()
			return drain(s)
		}, codes.Canceled, counts{2, 1, 0}}, // the caller gave up: no event
		{"deadline while blocked", func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			s, err := client.StreamingOutputCall(ctx, &testpb.StreamingOutputCallRequest{ResponseStatus: echo(codes.OK, "block")})
			if err != nil {
				return err
			}
			return drain(s)
		}, codes.DeadlineExceeded, counts{3, 2, 0}},
	}
	for _, st := range steps {
		if got := status.Code(st.run()); got != st.want {
			t.Fatalf("%s: got %v, want %v", st.name, got, st.want)
		}
		if got := endpointCounts(t, m, availability.ClientEndpoint, streamMethod); got != st.counts {
			t.Fatalf("%s: client endpoint %+v, want %+v", st.name, got, st.counts)
		}
	}
}

// fakeStream is a client stream whose RecvMsg returns err.
type fakeStream struct {
	grpc.ClientStream
	err error
}

func (f fakeStream) RecvMsg(any) error { return f.err }

// TestClientStreamAbandoned: a stream the caller never reads to its end is
// recorded when its context ends (in context.AfterFunc's goroutine, hence
// the bubble), once, even if the caller reads again afterwards.
func TestClientStreamAbandoned(t *testing.T) {
	steps := []struct {
		name   string
		end    func(context.CancelFunc)
		counts counts
	}{
		{"cancelled", func(cancel context.CancelFunc) { cancel() }, counts{0, 0, 0}},
		{"deadline", func(context.CancelFunc) { time.Sleep(time.Hour) }, counts{1, 1, 0}},
	}
	for _, st := range steps {
		synctest.Test(t, func(t *testing.T) {
			m := newMonitor(t)
			c := newClient(t, m)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cs, err := c.Stream(ctx, &grpc.StreamDesc{ServerStreams: true}, nil, streamMethod,
				func(context.Context, *grpc.StreamDesc, *grpc.ClientConn, string, ...grpc.CallOption) (grpc.ClientStream, error) {
					return fakeStream{err: status.Error(codes.Unavailable, "late")}, nil
				})
			if err != nil {
				t.Fatal(err)
			}
			st.end(cancel)
			synctest.Wait()
			if got := endpointCounts(t, m, availability.ClientEndpoint, streamMethod); got != st.counts {
				t.Errorf("%s: client endpoint %+v, want %+v", st.name, got, st.counts)
			}
			_ = cs.RecvMsg(nil) // a late read records nothing more
			if got := endpointCounts(t, m, availability.ClientEndpoint, streamMethod); got != st.counts {
				t.Errorf("%s after a late read: client endpoint %+v, want %+v", st.name, got, st.counts)
			}
		})
	}
}

// TestClientStreamCreateFails records a stream whose creation fails.
func TestClientStreamCreateFails(t *testing.T) {
	m := newMonitor(t)
	c := newClient(t, m)
	fail := status.Error(codes.Unavailable, "connection refused")
	_, err := c.Stream(context.Background(), &grpc.StreamDesc{ServerStreams: true}, nil, streamMethod,
		func(context.Context, *grpc.StreamDesc, *grpc.ClientConn, string, ...grpc.CallOption) (grpc.ClientStream, error) {
			return nil, fail
		})
	if err != fail {
		t.Fatalf("got %v, want the streamer's error", err)
	}
	if got := endpointCounts(t, m, availability.ClientEndpoint, streamMethod); got != (counts{1, 1, 0}) {
		t.Errorf("client endpoint %+v, want one bad request", got)
	}
}
