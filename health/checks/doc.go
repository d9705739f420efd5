// Package checks holds ready-made health checks for the health registry:
// TCP dial, HTTP GET, DNS resolve, PingContext (database pools), disk free,
// goroutine count, TLS certificate expiry, heartbeat and a manual
// maintenance switch.
//
// Each constructor returns a health.CheckFunc (or a type with a Check method)
// and validates its arguments at construction: an invalid argument returns an
// error wrapping ErrInvalidConfig that names the argument and the value.
// Options are typed per constructor (TCPOption, DNSOption, ...): an option a
// constructor would not read does not compile there.
//
//	db, _ := sql.Open("pgx", dsn) // the pool the handlers use
//	ping, err := checks.Ping(db)   // a health.CheckFunc for the registry
//
// # Reusing the application's clients
//
// Checks borrow what the application already has instead of opening their
// own: Ping takes the *sql.DB the handlers use, HTTPGet takes the
// application's *http.Client (its body is drained up to 64 KiB and closed so
// the keep-alive connection returns to the pool), DNS takes a resolver. A
// check therefore tests the very path requests take. Only TCP and TLSExpiry
// open a connection per run, by design: connecting is what they test; both
// close it before returning.
//
// # Time
//
// Checks never rely on wall-clock reads for their verdict when a clock can
// be injected: TLSExpiry and Heartbeat accept WithClock, and Heartbeat has
// BeatAt and CheckAt beside Beat and Check.
//
// # Groups
//
// TCP, HTTPGet, DNS, Ping and TLSExpiry test an external system: register
// them in readiness (or startup), never in liveness, where a failing
// dependency restarts every replica at once. Goroutines, DiskFree, Heartbeat
// and Maintenance look at the process itself.
//
// # Performance
//
// The registry runs checks in the background at their interval, so their
// cost is paid per interval, not per probe. Beat and Maintenance.Set are one
// atomic operation each and never block the caller.
//
// # Cardinality
//
// Checks add no metrics or attributes themselves; the registry labels its
// metrics with the check name the developer chose.
package checks
