package availgrpc

import (
	"context"
	"math"
	"net"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/breaker"
	"github.com/nines-sre/nines/remediate/eject"
)

// failingService answers every unary call Unavailable.
type failingService struct {
	testpb.UnimplementedTestServiceServer
}

func (failingService) UnaryCall(context.Context, *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	return nil, status.Error(codes.Unavailable, "sick replica")
}

func (failingService) StreamingOutputCall(*testpb.StreamingOutputCallRequest, testpb.TestService_StreamingOutputCallServer) error {
	return status.Error(codes.Unavailable, "sick replica")
}

// serveReplicas starts n gRPC servers on 127.0.0.1, the last one failing
// every call, and returns their addresses and a connection balancing
// round-robin over them (a manual resolver lists them, as DNS would).
func serveReplicas(t *testing.T, n int, c *Client) ([]string, *grpc.ClientConn) {
	t.Helper()
	var addrs []string
	var state resolver.State
	for i := range n {
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := grpc.NewServer()
		if i == n-1 {
			testpb.RegisterTestServiceServer(srv, failingService{})
		} else {
			testpb.RegisterTestServiceServer(srv, &testService{})
		}
		var wg sync.WaitGroup
		wg.Go(func() { _ = srv.Serve(lis) })
		t.Cleanup(func() { srv.Stop(); wg.Wait() })
		addrs = append(addrs, lis.Addr().String())
		state.Addresses = append(state.Addresses, resolver.Address{Addr: lis.Addr().String()})
	}
	r := manual.NewBuilderWithScheme("replicas")
	r.InitialState(state)
	cc, err := grpc.NewClient("replicas:///inventory", grpc.WithResolvers(r),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`),
		grpc.WithUnaryInterceptor(c.Unary), grpc.WithStreamInterceptor(c.Stream))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cc.Close() })
	return addrs, cc
}

// With WithDependency naming a dependency that has Replicas, each unary
// call is recorded under the address of the replica that served it.
func TestClientAttributesReplicas(t *testing.T) {
	stats, err := eject.NewStats(eject.StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	m := newMonitor(t, availability.WithDependencies(availability.Dependency{Name: "inventory", Replicas: stats}),
		availability.WithClientBreakers(breaker.Config{ConsecutiveFailures: math.MaxUint32}))
	addrs, cc := serveReplicas(t, 3, newClient(t, m, WithDependency("inventory")))
	client := testpb.NewTestServiceClient(cc)
	// Wait until round-robin reaches every replica (it skips those whose
	// connection is not ready yet), so that it then spreads the calls
	// evenly.
	for ready := false; !ready; {
		if t.Context().Err() != nil {
			t.Fatal("the replicas never all became ready")
		}
		for range 6 {
			_, _ = client.UnaryCall(t.Context(), &testpb.SimpleRequest{}, grpc.WaitForReady(true))
		}
		ready = len(stats.Step(nil)) == len(addrs)
		time.Sleep(time.Millisecond)
	}
	for range 30 {
		_, _ = client.UnaryCall(t.Context(), &testpb.SimpleRequest{})
	}
	wantTenEachLastBad(t, "unary", stats, addrs)
	if n := stats.Unattributed(); n != 0 {
		t.Errorf("Unattributed = %d, want 0", n)
	}

	// Streams read to their end are attributed the same way.
	for range 30 {
		st, err := client.StreamingOutputCall(t.Context(), &testpb.StreamingOutputCallRequest{
			ResponseParameters: make([]*testpb.ResponseParameters, 2)})
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := st.Recv(); err != nil {
				break
			}
		}
	}
	wantTenEachLastBad(t, "streams", stats, addrs)
	// Streams that end by their deadline while blocked are each recorded
	// once, bad: under their replica when RecvMsg returns the end first,
	// as unattributed when the context's end is seen first (grpc-go may
	// be finishing the stream, and writing its peer, at that moment).
	for range 3 {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		st, err := client.StreamingOutputCall(ctx, &testpb.StreamingOutputCallRequest{ResponseStatus: echo(codes.OK, "block")})
		if err == nil {
			for {
				if _, err := st.Recv(); err != nil {
					break
				}
			}
		}
		cancel()
	}
	total, bad := stats.Unattributed(), stats.Unattributed()
	for _, s := range stats.Step(nil) {
		total, bad = total+s.Calls, bad+s.Bad
	}
	if total != 3 || bad != 3 {
		t.Errorf("three streams ended by their deadline: %d recorded, %d bad; want 3 and 3", total, bad)
	}
}

// The attribution adds nothing to the unary interceptor's zero
// allocations: the peer slot is pooled and grpc.PeerCallOption, one
// pointer, converts to a CallOption without allocating.
func TestClientReplicaAllocs(t *testing.T) {
	stats, err := eject.NewStats(eject.StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	m := newMonitor(t, availability.WithDependencies(availability.Dependency{Name: "inventory", Replicas: stats}),
		availability.WithClientBreakers(breaker.Config{ConsecutiveFailures: math.MaxUint32}))
	c := newClient(t, m, WithDependency("inventory"))
	plain := newClient(t, m) // one endpoint per method, no Replicas
	from := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 9), Port: 443}
	failure := status.Error(codes.Unavailable, "down")
	for _, callErr := range []error{nil, failure} {
		// Like grpc's invoke: the peer is filled before the invoker returns.
		invoker := func(_ context.Context, _ string, _, _ any, _ *grpc.ClientConn, opts ...grpc.CallOption) error {
			for _, o := range opts {
				if p, ok := o.(grpc.PeerCallOption); ok {
					*p.PeerAddr = peer.Peer{Addr: from}
				}
			}
			return callErr
		}
		// The caller's call option costs its variadic slice with or
		// without Replicas (an invoker is an unknown function): compare.
		allocs := map[string]float64{}
		for name, cl := range map[string]*Client{"plain": plain, "replicas": c} {
			call := func() { _ = cl.Unary(t.Context(), unaryMethod, nil, nil, nil, invoker, grpc.WaitForReady(true)) }
			call()
			allocs[name] = testing.AllocsPerRun(500, call)
		}
		if allocs["replicas"] != allocs["plain"] {
			t.Errorf("err %v: allocs per call %v, want as many with Replicas as without", callErr, allocs)
		}
	}
	if s := stats.Step(nil); len(s) != 1 || s[0].Replica != "10.0.0.9:443" || s[0].Calls < 1000 || s[0].Bad*2 != s[0].Calls {
		t.Fatalf("steps %+v, want 10.0.0.9:443 with every call, half bad", s)
	}
	// A call that never reached a peer is unattributed.
	_ = c.Unary(t.Context(), unaryMethod, nil, nil, nil, func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error {
		return failure
	})
	if stats.Unattributed() != 1 {
		t.Fatalf("Unattributed = %d, want 1", stats.Unattributed())
	}
}

// A client stream with Replicas costs one allocation more than without:
// the copy of its call options with grpc.Peer added (the peer itself is
// a field of the stream's wrapper).
func TestClientStreamReplicaAllocs(t *testing.T) {
	stats, err := eject.NewStats(eject.StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	m := newMonitor(t, availability.WithDependencies(availability.Dependency{Name: "inventory", Replicas: stats},
		availability.Dependency{Name: "plain"}),
		availability.WithClientBreakers(breaker.Config{ConsecutiveFailures: math.MaxUint32}))
	from := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 9), Port: 443}
	desc := &grpc.StreamDesc{ServerStreams: true}
	streamer := func(_ context.Context, _ *grpc.StreamDesc, _ *grpc.ClientConn, _ string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		for _, o := range opts {
			if p, ok := o.(grpc.PeerCallOption); ok {
				*p.PeerAddr = peer.Peer{Addr: from}
			}
		}
		return fakeStream{err: status.Error(codes.Unavailable, "down")}, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	allocs := map[string]float64{}
	for _, dep := range []string{"plain", "inventory"} {
		c := newClient(t, m, WithDependency(dep))
		call := func() {
			s, err := c.Stream(ctx, desc, nil, streamMethod, streamer)
			if err != nil {
				t.Fatal(err)
			}
			_ = s.RecvMsg(nil)
		}
		call()
		allocs[dep] = testing.AllocsPerRun(200, call)
	}
	t.Logf("client stream allocs: %v", allocs)
	if allocs["inventory"] > allocs["plain"]+1 {
		t.Errorf("client stream allocs %v: Replicas adds more than one", allocs)
	}
	if s := stats.Step(nil); len(s) != 1 || s[0].Replica != "10.0.0.9:443" || s[0].Bad != s[0].Calls || s[0].Calls < 200 {
		t.Fatalf("steps %+v, want every stream under 10.0.0.9:443, bad", s)
	}
}

// wantTenEachLastBad checks the step just ended: 10 calls per replica,
// all good but the last replica's, all bad.
func wantTenEachLastBad(t *testing.T, what string, stats *eject.Stats, addrs []string) {
	t.Helper()
	got := map[string]eject.ReplicaStep{}
	for _, s := range stats.Step(nil) {
		got[s.Replica] = s
	}
	for i, a := range addrs {
		want := uint64(0)
		if i == len(addrs)-1 {
			want = 10
		}
		if s := got[a]; s.Calls != 10 || s.Bad != want {
			t.Errorf("%s: %s: %d calls, %d bad; want 10 and %d (steps %+v)", what, a, s.Calls, s.Bad, want, got)
		}
	}
}
