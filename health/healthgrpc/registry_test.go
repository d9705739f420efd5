package healthgrpc

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/nines-sre/nines/health"
)

// switchable is a check whose verdict the test flips between runs.
type switchable struct{ fail atomic.Bool }

func (s *switchable) check(context.Context) health.Result {
	if s.fail.Load() {
		return health.Fail(errors.New("down"))
	}
	return health.Pass()
}

// TestRegistryEndToEnd drives a real health.Registry (runs triggered with
// RunChecks, no background schedule) and watches it through grpc-go's own
// health client: every registry transition reaches the stream.
func TestRegistryEndToEnd(t *testing.T) {
	reg := health.NewRegistry()
	var db switchable
	if err := reg.Register(health.Check{Name: "db", Func: db.check, External: true}); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, reg)
	client := serve(t, srv)
	ctx := t.Context()

	overall, err := client.Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	dbWatch, err := client.Watch(ctx, &healthpb.HealthCheckRequest{Service: "db"})
	if err != nil {
		t.Fatal(err)
	}
	run := func() {
		if err := reg.RunChecks(ctx); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name            string
		do              func()
		overall, dbWant healthpb.HealthCheckResponse_ServingStatus // -1: no message expected
	}{
		{"before the first result", func() {}, notServing, unknown},
		{"first pass", run, serving, serving},
		{"failure", func() { db.fail.Store(true); run() }, notServing, notServing},
		{"recovery", func() { db.fail.Store(false); run() }, serving, serving},
		{"drain", reg.Drain, notServing, notServing},
		{"undrain", reg.Undrain, serving, serving},
		{"registry shutdown", func() {
			if err := reg.Shutdown(ctx); err != nil {
				t.Fatal(err)
			}
		}, notServing, notServing},
	}
	for _, s := range steps {
		s.do()
		if got, err := recv(t, overall); err != nil || got != s.overall {
			t.Fatalf("%s: overall = %v, %v; want %v", s.name, got, err, s.overall)
		}
		if got, err := recv(t, dbWatch); err != nil || got != s.dbWant {
			t.Fatalf("%s: db = %v, %v; want %v", s.name, got, err, s.dbWant)
		}
		for svc, want := range map[string]healthpb.HealthCheckResponse_ServingStatus{"": s.overall, "db": s.dbWant} {
			resp, err := client.Check(ctx, &healthpb.HealthCheckRequest{Service: svc})
			if err != nil || resp.GetStatus() != want {
				t.Fatalf("%s: Check(%q) = %v, %v; want %v", s.name, svc, resp.GetStatus(), err, want)
			}
		}
	}
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	// Both streams already sent NOT_SERVING, so Shutdown just ends them.
	for _, stream := range []grpc.ServerStreamingClient[healthpb.HealthCheckResponse]{overall, dbWatch} {
		if _, err := recv(t, stream); !errors.Is(err, io.EOF) {
			t.Fatalf("stream end = %v, want io.EOF", err)
		}
	}
}
