package availgrpc

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/admit"
)

// TestWithBadCodes replaces the server's verdicts.
func TestWithBadCodes(t *testing.T) {
	m := newMonitor(t)
	s := newServer(t, m, WithBadCodes(Codes(codes.NotFound)))
	info := &grpc.UnaryServerInfo{FullMethod: unaryMethod}
	for _, c := range []codes.Code{codes.NotFound, codes.Internal, codes.OK, codes.NotFound} {
		_, _ = s.Unary(context.Background(), nil, info, func(context.Context, any) (any, error) {
			return nil, status.Error(c, "")
		})
	}
	if got := endpointCounts(t, m, availability.ServerEndpoint, unaryMethod); got != (counts{4, 2, 0}) {
		t.Errorf("endpoint %+v, want 4 calls of which the 2 NotFound are bad", got)
	}
}

// TestWithPriority: the function sees the call's context and method, and
// its verdict is what the shedder admits by.
func TestWithPriority(t *testing.T) {
	sh := newShedder(t, admit.ShedderConfig{})
	sh.SetLevel(admit.Normal) // sheds only sheddable traffic
	m := newMonitor(t, availability.WithShedder(sh))
	type key struct{}
	var seen []string
	s := newServer(t, m, WithPriority(func(ctx context.Context, method string) admit.Priority {
		seen = append(seen, method)
		if ctx.Value(key{}) == "batch" {
			return admit.Sheddable
		}
		return admit.Normal
	}))
	info := &grpc.UnaryServerInfo{FullMethod: unaryMethod}
	ok := func(context.Context, any) (any, error) { return nil, nil }
	_, errBatch := s.Unary(context.WithValue(context.Background(), key{}, "batch"), nil, info, ok)
	_, errUser := s.Unary(context.Background(), nil, info, ok)
	if status.Code(errBatch) != codes.ResourceExhausted || errUser != nil {
		t.Errorf("batch call: %v, user call: %v; want ResourceExhausted and nil", errBatch, errUser)
	}
	if strings.Join(seen, ",") != unaryMethod+","+unaryMethod {
		t.Errorf("priority function saw %q", seen)
	}
}

// TestStreamLatency: without WithStreamLatency a stream's lifetime is not
// its latency; with it, it is. The bubble's clock makes the hour exact.
func TestStreamLatency(t *testing.T) {
	for _, tt := range []struct {
		opts    []ServerOption
		goodBad [2]uint64
	}{
		{nil, [2]uint64{1, 0}},
		{[]ServerOption{WithStreamLatency()}, [2]uint64{0, 1}},
	} {
		synctest.Test(t, func(t *testing.T) {
			m := newMonitor(t, availability.WithRouteObjectives(availability.RouteObjectives{
				Latency: time.Minute, LatencyTarget: 0.9}))
			s := newServer(t, m, tt.opts...)
			var ss grpc.ServerStream = fakeServerStream{ctx: context.Background()}
			err := s.Stream(nil, ss, &grpc.StreamServerInfo{FullMethod: streamMethod}, func(any, grpc.ServerStream) error {
				time.Sleep(time.Hour)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var got [2]uint64
			found := 0
			for _, o := range m.Statusz().SLOs {
				if strings.HasSuffix(o.Name, ":latency") {
					got, found = [2]uint64{o.Good, o.Bad}, found+1
				}
			}
			if found != 1 || got != tt.goodBad {
				t.Errorf("options %d: %d latency SLOs, [good bad] = %v, want 1 and %v", len(tt.opts), found, got, tt.goodBad)
			}
		})
	}
}
