package grpccheck_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/metric/noop"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/nines-sre/nines/synthetic"
	"github.com/nines-sre/nines/synthetic/grpccheck"
)

// The cost of a gRPC health step over the bare calls it makes: a step
// dials its own connection, calls Check and closes it (see the package
// doc), so the bare side does the same. Run them side by side,
//
//	go test -run XXX -bench 'HealthStep|BareHealth' -benchmem ./synthetic/grpccheck

func BenchmarkBareHealthDial(b *testing.B) {
	tg := newTarget(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		conn, err := grpc.NewClient(tg.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			b.Fatal(err)
		}
		resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
		conn.Close()
		if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			b.Fatal(resp, err)
		}
	}
}

func BenchmarkHealthStep(b *testing.B) {
	tg := newTarget(b)
	call, err := grpccheck.Health(tg.addr, "")
	if err != nil {
		b.Fatal(err)
	}
	r, err := synthetic.NewRunner([]synthetic.Check{{Name: "c", Steps: []synthetic.Step{{Name: "s", Call: call}}}},
		synthetic.WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := r.Run(ctx, "c")
		if err != nil || res.Outcome != synthetic.Pass {
			b.Fatal(err, res.Err())
		}
	}
}
