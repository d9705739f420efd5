package runapp

import (
	"flag"
	"time"
)

// Flags are the command-line flags the examples share. Set the defaults in
// the struct, then Bind.
type Flags struct {
	// Addr is -addr: the address of the service itself.
	Addr string
	// Ops is -ops: the address of /livez /readyz /startupz /statusz
	// /metrics.
	Ops string
	// Duration is -duration. For a service (Main) it is how long to run,
	// 0 meaning until SIGINT or SIGTERM; a demo may give it its own
	// meaning.
	Duration time.Duration
	// Rules is -rules: when set, the command writes the Prometheus rules
	// of every objective to this file (WriteRules) and exits.
	Rules string
	// Drain is -drain: how long the service keeps serving with readiness
	// withdrawn after SIGTERM, before its listeners close (the Monitor's
	// WithDrainDelay). Services default it to
	// availability.DefaultDrainDelay; tests pass a short one.
	Drain time.Duration
}

// Usage is the help text of the flags: each command says what its -addr
// serves, what its -duration means and, if it defaults -drain otherwise
// than a service, how. Empty fields get the service defaults.
type Usage struct {
	Addr, Ops, Duration, Drain string
}

// Bind defines -addr, -ops, -duration, -rules and -drain on fs (flag.CommandLine in a
// main), with f's values as the defaults; fs.Parse then sets them.
func (f *Flags) Bind(fs *flag.FlagSet, u Usage) {
	if u.Addr == "" {
		u.Addr = "address of the service"
	}
	if u.Ops == "" {
		u.Ops = "address of /livez /readyz /startupz /statusz /metrics"
	}
	if u.Duration == "" {
		u.Duration = "stop after this long; 0 runs until SIGINT or SIGTERM"
	}
	if u.Drain == "" {
		u.Drain = "on SIGTERM, serve this long with readiness withdrawn (503, NOT_SERVING) before closing the listeners"
	}
	fs.StringVar(&f.Addr, "addr", f.Addr, u.Addr)
	fs.StringVar(&f.Ops, "ops", f.Ops, u.Ops)
	fs.DurationVar(&f.Duration, "duration", f.Duration, u.Duration)
	fs.StringVar(&f.Rules, "rules", f.Rules, "write the Prometheus recording and alert rules of every objective to this file, and exit")
	fs.DurationVar(&f.Drain, "drain", f.Drain, u.Drain)
}
