// Package grpccheck makes gRPC calls into synthetic steps: Health calls a
// target's grpc.health.v1 Check, Unary any unary method named as
// "/package.Service/Method" with its request written as protojson. Each
// returns a synthetic.Call for a Step's Call field. It is a sub-package so
// that package synthetic, and a service that only probes HTTP, links no
// gRPC.
//
//	health, err := grpccheck.Health("cart.internal:50051", "cart")
//	order, err := grpccheck.Unary("shop.internal:50051", "/shop.v1.Orders/Get",
//		`{"id":"${order}"}`, grpccheck.WithMetadata(map[string]string{"authorization": "Bearer ${token}"}))
//	...
//	synthetic.Step{Name: "order", Call: order, Assert: []synthetic.Assertion{{Code: "OK"}, {JSONPath: "$.state", Value: "PAID"}}}
//
// # Responses and assertions
//
// A call's response (synthetic.CallResponse) has a Code: the canonical
// gRPC code name ("OK", "NOT_FOUND", "UNAVAILABLE", "DEADLINE_EXCEEDED"),
// or for a Health call that succeeded its serving status ("SERVING",
// "NOT_SERVING", "SERVICE_UNKNOWN"). A step with no Code assertion fails
// unless the code is OK (for Health: SERVING); with one, that assertion
// decides, so a step may expect NOT_FOUND. The body is the response
// message as compact protojson (lowerCamelCase field names, enums by
// name, 64-bit integers as strings), so BodyContains, BodyRegex and
// JSONPath assertions and JSONPath extractions work as on an HTTP body;
// Header assertions and extractions read the response headers and
// trailers (keys in lower case). Values extracted from a gRPC response
// feed later steps of either kind, and back: a ${name} in a request is
// substituted JSON-escaped, so write string fields as "${name}".
//
// # Message types
//
// Unary finds the request and response types from the method's
// descriptor in protoregistry.GlobalFiles: the generated Go types when the
// program imports their package (which registers them), dynamic messages
// when only the descriptor is registered. An unknown or streaming method
// is refused at construction, as are a request that does not parse, a
// target that is not host:port and a reserved metadata key; a ${name}
// referring to a value that no Var defines and no earlier step extracts
// is refused by synthetic.NewRunner, naming the check, the step and the
// field (grpc.target, grpc.service, grpc.request, grpc.metadata.KEY).
//
// # Connections
//
// Each call dials its own connection and closes it on return. That is
// what blackbox_exporter's gRPC prober does: every run measures the
// connect (and TLS) phases, a run never inherits the reconnect backoff a
// failed earlier run left on a shared connection, and the Runner has
// nothing to close at Shutdown, so a check leaks nothing whatever the
// target did. The cost, a TCP (and TLS) handshake per run, is small next
// to an Interval of at least a second. Calls are made in plaintext
// unless WithTLS is given (in a file, "tls": true).
//
// Every call carries the metadata nines-own-traffic: synthetic (so a
// target whose availgrpc interceptors trust it, WithOwnTrafficMetadata,
// keeps the call out of its user SLOs and shedder), a fresh W3C
// traceparent and the user agent nines-synthetic. The call honours the
// step's Timeout and the check's Timeout through its context: a server
// that never answers (a handler that hangs, or a listener that never
// speaks HTTP/2) ends the step as Timeout and the call's goroutine
// returns with it.
//
// # Phases
//
// gRPC lets a client measure less than net/http/httptrace does. A call
// reports resolve (the DNS lookup of a host name, zero for an IP
// address), connect (the TCP connect), tls (the handshake, zero in
// plaintext) and processing: the rest of the call, from the connection to
// the response (HTTP/2 set-up, the request, the server's time and the
// response's arrival). Transfer is always zero: a unary response is not
// split from its processing.
//
// # From files
//
// In a check file (synthetic.Load's JSON, or yamlcheck's YAML) a step
// with a "grpc" object instead of a URL is a call: {"target", "service"}
// is a Health call, {"target", "method", "request"} a Unary one, the
// request being protojson text in a string or an inline object; both take
// "metadata" (an object of strings), "tls" and "server_name". Assertions
// take "code". Load and LoadFile here, or FileSupport passed to
// synthetic.Load or yamlcheck.Load, read them; without that option a file
// with a grpc step is refused, naming the step.
//
// "tls": true dials the step over TLS with the configuration given to
// Load, LoadFile or FileSupport by WithFileTLS (an internal CA's roots, a
// client certificate), the system roots without it. The file says which
// steps are TLS; the program holds the keys and roots, so one file runs
// unchanged against staging's CA and production's. "server_name" is the
// name the server's certificate is verified against (and its SNI and
// :authority), replacing the target's host for that step only: for a
// target that is an IP address or a load balancer's address. It needs
// "tls": true, must be a DNS name or an IP address (no port, no ${name}:
// it is fixed when the file loads), and an empty one is refused rather
// than read as absent, since it most often is a template that rendered
// nothing. These, like a field of the wrong JSON type, are refused by
// Load, naming the step and the field.
//
//	{"name": "payments", "grpc": {"target": "10.0.0.7:50051", "method": "/grpc.health.v1.Health/Check",
//	  "request": "{\"service\":\"${svc}\"}", "tls": true, "server_name": "payments.internal"},
//	  "assert": [{"code": "OK"}, {"json_path": "$.status", "value": "SERVING"}]}
//
//	checks, err := grpccheck.LoadFile("checks.json", grpccheck.WithFileTLS(&tls.Config{RootCAs: internalCA}))
//
// # Performance
//
// A step costs one connection and one call, off every request path. A
// one-step health check costs what its calls cost plus the run's own
// setup: against a loopback server, BenchmarkHealthStep and
// BenchmarkBareHealthDial (the same dial, Check and Close without the
// Runner) ran 0.57-0.82 ms and 0.49-0.85 ms a run on a busy 2-core
// machine, so the difference is within the noise, with 56 KB and 921
// allocations against 48 KB and 818: the Runner's result, phases,
// assertions and the own-traffic metadata. It is per run, at an Interval
// of a second or more, never per request of the service.
//
// # Cardinality
//
// None of its own: the steps are counted in synthetic's metrics by check
// and step name, which come from the configuration.
package grpccheck
