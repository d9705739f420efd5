// Package synthetic runs synthetic transactions: scripted sequences of
// real requests (log in, search, check out) with assertions at each step,
// on a schedule, inside the service that owns them. Each check is at once
// a health check, two SLOs and a set of metrics, with no extra code.
//
// # Checks
//
// A Check is a list of Steps. A Step is one HTTP request (method, URL,
// headers, body, timeout, redirects followed or not) with Assertions on
// its response (status, header, body substring or regular expression,
// JSON value at a path, latency bound) and Extracts that take values from
// it (JSON path, header, cookie) for later steps, which refer to them as
// ${name}. A hard assertion that fails ends the run as Fail; a Soft one
// marks it Degraded and the run goes on. Each run has its own cookie jar
// and values, and starts from the check's Vars; a Var "env:NAME" or
// "file:PATH" is a secret read at each run and shown as "***" in every
// error and result.
//
// NewRunner validates every check before anything runs: a reference to a
// value that no Var defines and no earlier step extracts, a relative URL,
// a bad regular expression or JSON path is an error wrapping
// ErrInvalidConfig that names the check, the step and the field. Load
// reads checks from a JSON file with the same validation; a step with a
// "grpc" object needs the WithGRPC option (grpccheck.FileSupport) and is
// refused, naming the step, without it.
//
// # gRPC and other calls
//
// A Step whose Call is set is not an HTTP request: package
// synthetic/grpccheck makes gRPC calls (grpc.health.v1 Check and any
// unary method) into Calls, so this package links no gRPC. A Call returns
// a CallResponse that the same assertions and extractions read: Code (the
// gRPC code name, or the serving status of a health check) is asserted
// with Assertion.Code, the metadata with Header, and the response as
// JSON with BodyContains, BodyRegex and JSONPath. Without a Code
// assertion a call step fails unless the call was OK. The HTTP fields
// (Method, URL, Header, Body, NoFollowRedirects), the Status assertion
// and the Cookie extraction are refused on a call step, and Code on an
// HTTP step. Values flow between steps of both kinds. The Call reports
// the phases it can measure; grpccheck's doc says which.
//
// # Running
//
// Runner.Run runs one check now; Start runs every check every Interval
// (each start moved earlier by a random jitter, at most WithConcurrency at
// once) until Shutdown. The library enforces each check's Timeout: the
// steps run on one goroutine that the run abandons at the deadline, and
// while that goroutine is still stuck on a target that ignores
// cancellation, later runs of the check report Timeout without starting
// another, so a hung target holds at most one goroutine per check.
// Response bodies are read up to WithMaxBodyBytes (1 MiB); a longer body
// fails the step.
//
// Every request carries the own-traffic header (Nines-Own-Traffic; for a
// Call, CallInput.OwnTraffic, which grpccheck sends as metadata), its
// context carries the in-process mark, and it has a fresh W3C traceparent:
// a target running nines middleware (with WithOwnTrafficHeader) keeps the
// check out of its user SLOs and its shedder, and the run can be found in
// the target's traces.
//
// # Timings
//
// Each StepResult splits its Duration into Phases named as
// blackbox_exporter names them: resolve (DNS), connect (TCP), tls
// (handshake), processing (connection ready to first response byte) and
// transfer (first byte to end of body), summed over redirects as
// blackbox_exporter sums them: each hop's resolve, connect, tls and
// processing, and the final response's transfer (a redirect's own body is
// in no phase, only in Duration). A Result sums its steps'.
//
// # Health, SLOs and metrics
//
// HealthChecks gives one health.Check per check reporting the latest run
// (pass, warn for Degraded, fail for Fail and Timeout), in Readiness only
// and non-critical unless Check.Readiness is set; never in Liveness.
// SLOs gives two objectives per check: synthetic.<name>.success (runs that
// pass or degrade) and synthetic.<name>.latency (runs under LatencyBound).
// OnResult reports every run, for timelines and remediation signals;
// Last keeps the latest ten. availability.Monitor.AddSynthetic wires all
// of this into a Monitor.
//
// # Performance
//
// A step costs one HTTP request plus the tracing hooks, the header
// values and the result: see BenchmarkStep beside BenchmarkBareClient
// for the added time and allocations. Runs are off every request path.
//
// # Cardinality
//
// synthetic.check.duration has one series per check, step and phase (six
// phases with total; the run itself is step "total"), synthetic.check.runs
// one per check and outcome (four). Check and step names come from the
// developer's configuration, never from a response.
package synthetic
