package availgrpc

import (
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/health/healthgrpc"
)

// RegisterHealth registers the grpc.health.v1 Health service on s, answered
// from m's health registry through healthgrpc (service "" is readiness
// unless a healthgrpc.WithGroup option says otherwise; each check is a
// service of its own). The Monitor's drain on Shutdown turns every service
// NOT_SERVING, so load balancers withdraw the instance first.
//
// A nil s or m is an error wrapping ErrInvalidConfig. Call the returned
// server's Shutdown before stopping s gracefully: open
// Watch streams end then instead of holding GracefulStop.
func RegisterHealth(s grpc.ServiceRegistrar, m *availability.Monitor, opts ...healthgrpc.Option) (*healthgrpc.Server, error) {
	if s == nil {
		return nil, invalid("RegisterHealth: ServiceRegistrar", nil, "must not be nil")
	}
	if m == nil {
		return nil, invalid("RegisterHealth: Monitor", nil, "must not be nil")
	}
	hs, err := healthgrpc.New(m.Health(), opts...)
	if err != nil {
		return nil, err
	}
	healthpb.RegisterHealthServer(s, hs)
	return hs, nil
}
