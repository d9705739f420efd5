// Package healthgrpc serves the gRPC health checking protocol
// (grpc.health.v1.Health: Check, Watch and List) from a health registry's
// cached state.
//
//	srv, err := healthgrpc.New(registry, healthgrpc.WithService("shop.Orders", health.Readiness))
//	grpc_health_v1.RegisterHealthServer(grpcServer, srv)
//	...
//	registry.Shutdown(ctx)     // every service NOT_SERVING for the drain delay, then stop
//	srv.Shutdown(ctx)          // open Watch streams end with OK
//	grpcServer.GracefulStop()
//
// # Services
//
// Service "" is the overall status: the readiness group by default
// (WithGroup picks another). WithService answers a gRPC service's name
// (what a Kubernetes gRPC probe's service field or a load balancer asks
// for) with a group's status the same way; availability/availgrpc maps
// every service registered on the grpc.Server to readiness by default.
// Each registered check name is a service of its own. pass and warn are SERVING; fail is NOT_SERVING; a check with no
// settled or fresh result is UNKNOWN, and the overall service is
// NOT_SERVING until every critical check has passed once, like /readyz.
// Drain (and the registry's Shutdown) turns every service NOT_SERVING, so a
// load balancer withdraws the instance without mistaking it for an outage
// in the registry's metrics. An unknown service is NOT_FOUND for Check and
// SERVICE_UNKNOWN for Watch, which stays open and reports the service once
// it is registered, as the protocol requires.
//
// # Push, not poll
//
// The server subscribes to the registry's status changes (OnChange); a
// change wakes the open Watch streams, each of which re-reads its status
// and sends it only if it moved. No RPC and no stream ever runs a check or
// polls on a timer. The listener never blocks the registry: each stream
// holds at most one pending wake-up.
//
// # Performance
//
// Check and List read cached state (atomic loads in the registry) and
// allocate only the response messages (List also copies the check
// names). A burst of changes costs each open
// stream one re-read, not one message per change.
//
// # Cardinality
//
// The package adds no metrics. The services it exposes are the check names
// and WithService names the developer gave, never names taken from a
// request; List is
// capped at 100 services like grpc-go's own health server.
package healthgrpc
