package availgrpc

import (
	"errors"
	"io"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

// An own-traffic call goes out through an open breaker, is counted on
// neither side, and a server that trusts the metadata does not shed it;
// one that does not trust it sheds it like any call.
func TestOwnTrafficCalls(t *testing.T) {
	for _, trust := range []bool{false, true} {
		shedder := newShedder(t, admit.ShedderConfig{})
		sm := newMonitor(t, availability.WithShedder(shedder))
		shedder.SetLevel(admit.Critical) // everything but critical is shed
		var sopts []ServerOption
		if trust {
			sopts = append(sopts, WithOwnTrafficMetadata())
		}
		srv, err := NewServer(sm, sopts...)
		if err != nil {
			t.Fatal(err)
		}
		cm := newMonitor(t, availability.WithClientBreakers(breaker.Config{ConsecutiveFailures: 1, OpenTimeout: time.Hour}))
		cl := newClient(t, cm)
		svc := &testService{}
		cc := serve(t, func(g *grpc.Server) { testpb.RegisterTestServiceServer(g, svc) },
			[]grpc.ServerOption{grpc.UnaryInterceptor(srv.Unary), grpc.StreamInterceptor(srv.Stream)},
			grpc.WithUnaryInterceptor(cl.Unary), grpc.WithStreamInterceptor(cl.Stream))
		client := testpb.NewTestServiceClient(cc)

		// A user call is shed by the server: a failure, which opens the
		// client's breaker.
		if _, err := client.UnaryCall(t.Context(), &testpb.SimpleRequest{}); status.Code(err) != codes.ResourceExhausted {
			t.Fatalf("trust=%v: user call: %v, want ResourceExhausted (shed)", trust, err)
		}
		own := availability.OwnTraffic(t.Context())
		_, err = client.UnaryCall(own, &testpb.SimpleRequest{})
		want := codes.ResourceExhausted
		if trust {
			want = codes.OK
		}
		if status.Code(err) != want {
			t.Fatalf("trust=%v: own unary call: %v, want %v", trust, err, want)
		}
		stream, err := client.StreamingOutputCall(own, &testpb.StreamingOutputCallRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := stream.Recv(); (want == codes.OK) != errors.Is(err, io.EOF) || want != codes.OK && status.Code(err) != want {
			t.Fatalf("trust=%v: own stream: %v, want %v", trust, err, want)
		}
		wantCalls := int64(0)
		if trust {
			wantCalls = 2
		}
		if got := svc.calls.Load(); got != wantCalls {
			t.Errorf("trust=%v: server ran %d calls, want %d", trust, got, wantCalls)
		}
		if got := endpointCounts(t, cm, availability.ClientEndpoint, unaryMethod); got != (counts{1, 1, 0}) {
			t.Errorf("trust=%v: client endpoint %+v, want only the user call", trust, got)
		}
		if got := endpointCounts(t, cm, availability.ClientEndpoint, streamMethod); got != (counts{}) {
			t.Errorf("trust=%v: own stream counted on the client: %+v", trust, got)
		}
	}
}

// WithDependency measures every method under the dependency's name, with
// the objectives and breaker it was declared with.
func TestClientDependency(t *testing.T) {
	m := newMonitor(t, availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.99}),
		availability.WithDependencies(availability.Dependency{Name: "testsvc"}),
		availability.WithClientBreakers(breaker.Config{ConsecutiveFailures: 2, OpenTimeout: time.Hour}))
	client, _ := serveClient(t, newClient(t, m, WithDependency("testsvc")))
	for range 2 {
		_, _ = client.UnaryCall(t.Context(), &testpb.SimpleRequest{ResponseStatus: echo(codes.Unavailable, "")})
	}
	if _, err := client.EmptyCall(t.Context(), &testpb.Empty{}); status.Code(err) != codes.Unavailable {
		t.Errorf("another method after the dependency's breaker opened: %v, want Unavailable", err)
	}
	if got := endpointCounts(t, m, availability.ClientEndpoint, "testsvc"); got != (counts{2, 2, 1}) {
		t.Errorf("dependency endpoint %+v, want 2 calls, 2 bad, 1 refused", got)
	}
	if b, ok := m.Breaker("testsvc"); !ok || b.Name() != "client:testsvc" {
		t.Errorf("Monitor.Breaker(testsvc) = %v, %v", b, ok)
	}
	if _, err := NewClient(m, WithDependency("")); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("WithDependency(\"\"): %v, want ErrInvalidConfig", err)
	}
}
