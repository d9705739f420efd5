package availgrpc

import (
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/health/healthgrpc"
)

// RegisterHealth registers the grpc.health.v1 Health service on s, answered
// from m's health registry through healthgrpc. Service "" is readiness
// unless a healthgrpc.WithGroup option says otherwise, and so is every
// service already registered on s when s can list them (a *grpc.Server
// can: register the application's services first), so that a Kubernetes
// gRPC probe or a load balancer naming the served service gets readiness,
// not NOT_FOUND; healthgrpc.WithService options map more names or override
// these. Each check is a service of its own. The Monitor's drain on
// Shutdown turns every service NOT_SERVING for the drain delay while s
// keeps serving, so load balancers withdraw the instance first.
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
	hs, err := healthgrpc.New(m.Health(), append(servedServices(s), opts...)...)
	if err != nil {
		return nil, err
	}
	healthpb.RegisterHealthServer(s, hs)
	return hs, nil
}

// servedServices maps each service registered on s, when s can list them,
// to readiness. The caller's options come after, so they win.
func servedServices(s grpc.ServiceRegistrar) []healthgrpc.Option {
	lister, ok := s.(interface {
		GetServiceInfo() map[string]grpc.ServiceInfo
	})
	if !ok {
		return nil
	}
	var opts []healthgrpc.Option
	for name := range lister.GetServiceInfo() {
		if name != healthpb.Health_ServiceDesc.ServiceName {
			opts = append(opts, healthgrpc.WithService(name, health.Readiness))
		}
	}
	return opts
}
