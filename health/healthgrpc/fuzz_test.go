package healthgrpc

import (
	"errors"
	"testing"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/nines-sre/nines/health"
)

// FuzzServing checks New's group validation and the status mapping for
// arbitrary groups, statuses and service names: New accepts exactly the
// three single groups, and serving never panics, answers SERVICE_UNKNOWN
// exactly for unregistered names and never SERVING while draining.
func FuzzServing(f *testing.F) {
	f.Add(uint8(health.Readiness), uint8(health.StatusPass), uint8(health.StatusPass), false, "db")
	f.Add(uint8(health.Liveness), uint8(health.StatusFail), uint8(health.StatusUnknown), true, "")
	f.Add(uint8(7), uint8(9), uint8(255), true, "nope")
	f.Fuzz(func(t *testing.T, group, groupStatus, checkStatus uint8, draining bool, service string) {
		g := health.Group(group)
		src := newFakeSource()
		src.setGroup(g, health.Status(groupStatus))
		src.setCheck("db", health.Status(checkStatus))
		src.drain(draining)
		s, err := New(src, WithGroup(g))
		single := g == health.Liveness || g == health.Readiness || g == health.Startup
		if single != (err == nil) || (err != nil && !errors.Is(err, ErrInvalidConfig)) {
			t.Fatalf("New(WithGroup(%d)) err = %v", group, err)
		}
		if err != nil {
			return
		}
		defer s.Shutdown(t.Context())
		st, ok := s.serving(service)
		if ok != (service == "" || service == "db") || (st == healthpb.HealthCheckResponse_SERVICE_UNKNOWN) == ok {
			t.Fatalf("serving(%q) = %v, %v", service, st, ok)
		}
		if draining && st == healthpb.HealthCheckResponse_SERVING && (service != "" || g == health.Readiness) {
			t.Fatalf("serving(%q) = SERVING while draining (group %v)", service, g)
		}
	})
}
