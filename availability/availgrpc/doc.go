// Package availgrpc measures and defends the availability of gRPC services
// and of the gRPC dependencies a service calls, on top of an
// availability.Monitor: unary and stream interceptors for servers and
// clients, and the grpc.health.v1 service answered from the Monitor's health
// registry.
//
// # Classification
//
// A call is one SLO event. The status code it ends with decides whether it
// was bad: ServerBadCodes on a server (Unknown, DeadlineExceeded,
// Unimplemented, Internal, Unavailable, DataLoss: the codes for which the
// OpenTelemetry gRPC conventions mark a server span as an error), and
// ClientBadCodes on a client (those plus ResourceExhausted). Codes that
// report the caller's own mistake (InvalidArgument, NotFound, ...) and
// Canceled are good. WithBadCodes replaces either set. Code turns an error
// into the code gRPC sends, the way grpc-go's server does.
//
// # Admission
//
// A call that the Monitor does not admit (load shedding, a rate or
// concurrency limit, an open circuit breaker) is answered without running
// the handler or the invoker and is not an SLO event: RejectionError maps
// shedding and limits to ResourceExhausted and an open breaker to
// Unavailable, and the error still wraps the remediate sentinel for
// errors.Is.
//
// # Cardinality
//
// Endpoint names come from full method names ("/pkg.Service/Method" names
// the endpoint "pkg.Service/Method"), never from request payloads. grpc-go
// rejects unregistered methods before interceptors run, so on a server the
// names are bounded by the registered services; with an unknown-service
// handler, or on a client, they are bounded by WithMaxMethods (default
// DefaultMaxMethods): later and malformed names share OtherMethod.
//
// # Performance
//
// Finding a known method's endpoint is a lock-free map read; classifying a
// status error, mapping a rejection and recording the outcome do not
// allocate.
package availgrpc
