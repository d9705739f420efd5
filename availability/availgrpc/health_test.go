package availgrpc

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/health/healthgrpc"
)

// TestRegisterHealth serves grpc.health.v1 from the Monitor's registry
// through the interceptors: answers follow the checks' cached results and
// the Monitor's drain, and probes are not measured.
func TestRegisterHealth(t *testing.T) {
	var failing atomic.Bool
	reg := health.NewRegistry()
	err := reg.Register(health.Check{Name: "db", Func: func(context.Context) health.Result {
		if failing.Load() {
			return health.Result{Status: health.StatusFail, Err: errors.New("down")}
		}
		return health.Result{Status: health.StatusPass}
	}})
	if err != nil {
		t.Fatal(err)
	}
	m := newMonitor(t, availability.WithHealth(reg))
	s := newServer(t, m)
	var hs interface{ Shutdown(context.Context) error }
	cc := serve(t, func(g *grpc.Server) {
		srv, err := RegisterHealth(g, m)
		if err != nil {
			t.Fatal(err)
		}
		hs = srv
	}, []grpc.ServerOption{grpc.UnaryInterceptor(s.Unary), grpc.StreamInterceptor(s.Stream)})
	t.Cleanup(func() { _ = hs.Shutdown(context.Background()) })
	client := healthpb.NewHealthClient(cc)

	check := func(service string) healthpb.HealthCheckResponse_ServingStatus {
		t.Helper()
		resp, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: service})
		if err != nil {
			t.Fatalf("Check(%q): %v", service, err)
		}
		return resp.Status
	}
	run := func() {
		t.Helper()
		if err := reg.RunChecks(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name    string
		do      func()
		overall healthpb.HealthCheckResponse_ServingStatus
		db      healthpb.HealthCheckResponse_ServingStatus
	}{
		{"passing", func() { run() }, healthpb.HealthCheckResponse_SERVING, healthpb.HealthCheckResponse_SERVING},
		{"failing", func() { failing.Store(true); run() }, healthpb.HealthCheckResponse_NOT_SERVING, healthpb.HealthCheckResponse_NOT_SERVING},
		{"recovered", func() { failing.Store(false); run() }, healthpb.HealthCheckResponse_SERVING, healthpb.HealthCheckResponse_SERVING},
		{"monitor shut down", func() { _ = m.Shutdown(context.Background()) }, healthpb.HealthCheckResponse_NOT_SERVING, healthpb.HealthCheckResponse_NOT_SERVING},
	}
	for _, st := range steps {
		st.do()
		if got := check(""); got != st.overall {
			t.Errorf("%s: overall %v, want %v", st.name, got, st.overall)
		}
		if got := check("db"); got != st.db {
			t.Errorf("%s: db %v, want %v", st.name, got, st.db)
		}
	}
	if n := len(m.Statusz().Endpoints); n != 0 {
		t.Errorf("health probes created %d endpoints, want none (DefaultFilter)", n)
	}
}

func TestRegisterHealthErrors(t *testing.T) {
	m := newMonitor(t)
	if _, err := RegisterHealth(nil, m); err == nil {
		t.Error("nil registrar accepted")
	}
	if _, err := RegisterHealth(grpc.NewServer(), nil); err == nil {
		t.Error("nil monitor accepted")
	}
	if _, err := RegisterHealth(grpc.NewServer(), m, healthgrpc.WithGroup(99)); err == nil {
		t.Error("invalid healthgrpc option accepted")
	}
}
