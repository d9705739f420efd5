// Package availgrpc measures and defends the availability of a gRPC
// service, and of the gRPC dependencies it calls, on top of an
// availability.Monitor: unary and stream interceptors for servers and
// clients, and the grpc.health.v1 service answered from the Monitor's health
// registry.
//
//	m, _ := availability.New(availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999}))
//	in, _ := availgrpc.NewServer(m)
//	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(in.Unary), grpc.ChainStreamInterceptor(in.Stream))
//	hs, _ := availgrpc.RegisterHealth(srv, m)
//	out, _ := availgrpc.NewClient(m)
//	conn, _ := grpc.NewClient(target, grpc.WithChainUnaryInterceptor(out.Unary), grpc.WithChainStreamInterceptor(out.Stream), ...)
//
// Each method is an endpoint of the Monitor (availability.Endpoint): the
// interceptors take a per-call token from Endpoint.Admit before the handler
// or the invoker and finish it (Call.Done) after, with the same semantics as
// the Monitor's net/http middleware and RoundTripper. NewServer and
// NewClient validate everything they are given: a nil Monitor or an invalid
// option is an error wrapping ErrInvalidConfig at construction, never a
// failure of the first call. Options both sides take are Options; those of
// one side alone are a ServerOption (WithPriority, WithPriorityMetadata,
// WithPanicHook) and do not compile with NewClient.
//
// # Classification
//
// A call is one SLO event, bad or good by the status code it ends with
// (Code reads it from an error the way grpc-go's server does). On a server
// the bad codes are ServerBadCodes: Unknown, DeadlineExceeded,
// Unimplemented, Internal, Unavailable and DataLoss, the codes for which the
// OpenTelemetry gRPC conventions mark a server span as an error, like 5xx in
// HTTP. Codes reporting the caller's own mistake (InvalidArgument, NotFound,
// PermissionDenied, ...), Canceled and ResourceExhausted (back-pressure, the
// 429 of gRPC) are good. On a client the bad codes are ClientBadCodes, the
// same plus ResourceExhausted: a dependency refusing work failed the call
// just the same, and the client endpoint's breaker should back off from it.
// A client call ending Canceled is recorded nowhere, as in the Monitor's
// RoundTripper: the caller gave up. WithBadCodes replaces either set. A
// handler panic is recovered, answered with Internal (never with the panic's
// value) and always counted bad; the panic goes to WithPanicHook (default:
// slog.Error with the stack).
//
// # Admission
//
// A server call the Monitor's shedder refuses, and a client call whose
// endpoint's breaker is open (or half-open with its probe quota in flight),
// is answered at once without running the handler or the invoker, and
// counts as shed, not as an SLO event. A client call carries its breaker's
// permit from admission to its end, so the breaker's half-open probe quota
// and slow-call policy apply to gRPC calls as to any other; a call that ends
// Canceled gives its permit back without a verdict.
// RejectionError maps load shedding and rate or concurrency limits to
// ResourceExhausted and an open breaker to Unavailable; the error also wraps
// the admit or breaker sentinel, so errors.Is(err, breaker.ErrOpen) works on
// the client. The priority a shedder admits by comes from WithPriority or, for
// trusted callers only, from a metadata key (WithPriorityMetadata); the
// default is admit.Normal. The interceptors never retry.
//
// # Own traffic
//
// A client call whose context is marked as the service's own traffic
// (availability.OwnTraffic; the health registry marks every check run) is
// neither admitted by the breaker nor measured, so a health check through
// the application's connection never burns the dependency's SLO nor trips
// its breaker, and still sees the dependency fail and recover; it carries
// OwnTrafficMetadata. A server honours that key only with
// WithOwnTrafficMetadata (otherwise any caller could exclude itself from
// the SLOs and the shedder).
//
// # Streams
//
// A server stream is one call: admitted when it opens, recorded when its
// handler returns. A client stream is recorded when RecvMsg reports its end
// (io.EOF, an error, or the single response of a call without server
// streaming) or, if the caller abandons it, when its context ends. Streams
// report latency zero unless WithStreamLatency is given: the lifetime of a
// long-lived stream is not a response time and would burn any latency SLO.
//
// # Health
//
// RegisterHealth serves grpc.health.v1 (Check, Watch, List) from the
// Monitor's registry through package healthgrpc: service "" follows
// readiness, and so does every service registered on the server before
// RegisterHealth (a Kubernetes gRPC probe's service field names one), and
// each check is a service of its own. The Monitor's Shutdown drains first:
// every service answers NOT_SERVING for the drain delay
// (availability.WithDrainDelay) while the server keeps serving, so a
// polling probe sees NOT_SERVING before a refused connection. Call
// Shutdown, then the health server's Shutdown, then GracefulStop. DefaultFilter keeps the health and reflection services out of
// the SLOs: probes are frequent, cheap and would dilute them.
//
// # Cardinality
//
// Endpoint names are full method names ("/pkg.Service/Method"), never
// request data. grpc-go answers unregistered methods Unimplemented before any
// interceptor runs, so on a server the names are bounded by the registered
// services; with grpc.UnknownServiceHandler, and on a client, they are
// bounded by WithMaxMethods (default DefaultMaxMethods): later methods and
// malformed names share OtherMethod. The Monitor's WithMaxRoutes bounds them
// again. Each endpoint carries the Monitor's per-endpoint SLOs and detector
// series; the package adds no metric of its own. A client with
// WithDependency has one endpoint whatever the methods: the dependency, with
// one breaker ("client:<name>", found by Monitor.Breaker) and one SLO pair,
// spelled "client:<name>:availability" like an HTTP dependency's.
//
// # Replicas
//
// When the dependency named by WithDependency has Replicas
// (availability.Dependency.Replicas, an eject.Stats), each unary call is
// also recorded there under the address of the peer that served it
// (grpc.Peer, filled by grpc-go when the call finishes): with a resolver
// that lists many addresses and a balancer such as round_robin, an
// eject.Detector given to the Monitor (availability.WithPeerDetectors)
// compares the replicas with each other and finds the sick one. A call
// that reached no peer is counted in Stats.Unattributed. For a unary call
// the peer slot and the call options are pooled: 0 allocations added
// (AllocsPerRun test). A stream is recorded under its peer when RecvMsg
// returns its end (its latency is the one the endpoint records: zero
// without WithStreamLatency); one recorded because its context ended
// first is unattributed, as grpc-go may be writing its peer at that very
// moment. A stream costs one allocation more, the copy of its call
// options with grpc.Peer added.
//
// # Performance
//
// Finding a known method's endpoint is a read of a copy-on-write map; a
// write happens only to add one of the first WithMaxMethods methods. A unary
// call reads the monotonic clock twice in all (Endpoint.Admit and Call.Done);
// a stream reads the wall clock once at admission, and once more at its end
// only with WithStreamLatency. Classifying a status error, mapping a
// rejection (prebuilt errors) and recording the outcome, breaker permit
// included, do not allocate: the unary interceptors and the server stream
// interceptor add 0 allocations per call, guarded by AllocsPerRun tests;
// over a real connection the only extra allocations are the two grpc-go
// makes for having interceptors at all. A client stream costs five small
// allocations (its wrapper and a context.AfterFunc registration) against the
// ~140 grpc-go makes per call. BenchmarkServerUnary and BenchmarkRoundTrip
// measure the rest.
package availgrpc
