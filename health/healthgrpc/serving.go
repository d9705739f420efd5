package healthgrpc

import (
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/nines-sre/nines/health"
)

// serving maps the registry's state to the serving status of service; ok is
// false when no check has that name (SERVICE_UNKNOWN).
//
//   - After the server's Shutdown every service is NOT_SERVING.
//   - Service "" follows the overall group, and a WithService name its
//     group, the same way: pass and warn are SERVING;
//     fail, unknown (not every critical check has passed yet) and draining
//     are NOT_SERVING. Draining is a readiness state only, so with
//     WithGroup(health.Liveness) "" stays SERVING through a drain.
//   - A check service is NOT_SERVING while readiness is draining (Drain or
//     the registry's Shutdown): a drained instance withdraws its services
//     from load balancers. Otherwise it is SERVING on pass or warn,
//     NOT_SERVING on fail and UNKNOWN while the check has no settled or
//     fresh result.
func (s *Server) serving(service string) (healthpb.HealthCheckResponse_ServingStatus, bool) {
	group, mapped := s.overall, service == ""
	if !mapped {
		group, mapped = s.services[service]
	}
	if mapped {
		if s.isClosed() {
			return healthpb.HealthCheckResponse_NOT_SERVING, true
		}
		switch s.src.Status(group) {
		case health.StatusPass, health.StatusWarn:
			return healthpb.HealthCheckResponse_SERVING, true
		default:
			return healthpb.HealthCheckResponse_NOT_SERVING, true
		}
	}
	st, ok := s.src.CheckStatus(service)
	if !ok {
		return healthpb.HealthCheckResponse_SERVICE_UNKNOWN, false
	}
	if s.isClosed() || s.src.Status(health.Readiness) == health.StatusDraining {
		return healthpb.HealthCheckResponse_NOT_SERVING, true
	}
	switch st {
	case health.StatusPass, health.StatusWarn:
		return healthpb.HealthCheckResponse_SERVING, true
	case health.StatusUnknown:
		return healthpb.HealthCheckResponse_UNKNOWN, true
	default:
		return healthpb.HealthCheckResponse_NOT_SERVING, true
	}
}

func (s *Server) isClosed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}
