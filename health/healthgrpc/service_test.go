package healthgrpc

import (
	"errors"
	"strings"
	"testing"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/nines-sre/nines/health"
)

// A Kubernetes gRPC probe with service set to the served service's name
// got NotFound: only check names were services. WithService maps a name
// to a group, answered as service "" is, through the drain too.
func TestWithServiceAnswersTheGroup(t *testing.T) {
	src := newFakeSource()
	src.setGroup(health.Readiness, health.StatusPass)
	src.setGroup(health.Liveness, health.StatusPass)
	src.setCheck("pkg.Shadowed", health.StatusFail)
	client := serve(t, newServer(t, src,
		WithService("pkg.Orders", health.Readiness),
		WithService("pkg.Admin", health.Liveness),
		WithService("pkg.Shadowed", health.Readiness)))
	check := func(svc string) healthpb.HealthCheckResponse_ServingStatus {
		t.Helper()
		resp, err := client.Check(t.Context(), &healthpb.HealthCheckRequest{Service: svc})
		if err != nil {
			t.Fatalf("Check(%q): %v", svc, err)
		}
		return resp.GetStatus()
	}
	for _, step := range []struct {
		name                  string
		edit                  func()
		orders, admin, shadow healthpb.HealthCheckResponse_ServingStatus
	}{
		{"ready", func() {}, serving, serving, serving},
		{"readiness warns", func() { src.setGroup(health.Readiness, health.StatusWarn) }, serving, serving, serving},
		{"readiness fails", func() { src.setGroup(health.Readiness, health.StatusFail) }, notServing, serving, notServing},
		{"draining", func() { src.setGroup(health.Readiness, health.StatusDraining); src.drain(true) }, notServing, serving, notServing},
	} {
		step.edit()
		if got := check("pkg.Orders"); got != step.orders {
			t.Errorf("%s: pkg.Orders = %v, want %v", step.name, got, step.orders)
		}
		if got := check("pkg.Admin"); got != step.admin {
			t.Errorf("%s: pkg.Admin = %v, want %v", step.name, got, step.admin)
		}
		if got := check("pkg.Shadowed"); got != step.shadow {
			t.Errorf("%s: pkg.Shadowed = %v, want %v (the mapping shadows the check)", step.name, got, step.shadow)
		}
	}
	resp, err := client.List(t.Context(), &healthpb.HealthListRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"", "pkg.Orders", "pkg.Admin", "pkg.Shadowed"} {
		if _, ok := resp.GetStatuses()[name]; !ok {
			t.Errorf("List lacks %q: %v", name, resp.GetStatuses())
		}
	}
}

func TestWithServiceValidation(t *testing.T) {
	for _, tc := range []struct {
		opt  Option
		want string
	}{
		{WithService("", health.Readiness), "WithService: name"},
		{WithService("pkg.S", 0), "WithService: group = 0"},
		{WithService("pkg.S", health.Liveness|health.Readiness), "WithService: group"},
	} {
		_, err := New(newFakeSource(), WithService("pkg.Fine", health.Readiness), tc.opt)
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v, want ErrInvalidConfig naming %q", err, tc.want)
		}
	}
}
