// Package runapp is the scaffolding the example commands share, so that
// each main shows only its integration of nines: the -addr, -ops,
// -duration and -drain flags ([Flags]), a context that ends at SIGINT, SIGTERM or
// after -duration ([Context]), listeners ([Listen], with an optional
// fallback to a free port), an HTTP server with a stop function that
// reports serving errors ([Serve]), and [Main], which puts them together
// for a service with an application and an operational listener.
//
// It is internal to examples/: an application has its own way of doing
// these things, and nines does not prescribe one.
//
// # Performance
//
// Start-up and shutdown only; nothing here is on a request path.
//
// # Cardinality
//
// No metrics.
package runapp
