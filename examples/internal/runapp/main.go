package runapp

import (
	"context"
	"fmt"
	"net"
	"os"
)

// Run opens f.Addr and f.Ops and calls run with them; it closes them if
// the second cannot be opened. run owns the listeners from then on.
func Run(ctx context.Context, f Flags, run func(ctx context.Context, app, ops net.Listener) error) error {
	app, err := Listen(f.Addr, nil)
	if err != nil {
		return err
	}
	ops, err := Listen(f.Ops, nil)
	if err != nil {
		app.Close()
		return err
	}
	return run(ctx, app, ops)
}

// Main is the body of a service example's main, after flag.Parse: it runs
// run (through Run) with a Context that ends at SIGINT, SIGTERM or after
// f.Duration, and exits through Exit.
func Main(name string, f Flags, run func(ctx context.Context, app, ops net.Listener) error) {
	ctx, cancel := Context(f.Duration)
	err := Run(ctx, f, run)
	cancel()
	Exit(name, err)
}

// Exit returns when err is nil; otherwise it prints "name: err" to
// standard error and exits with status 1.
func Exit(name string, err error) {
	if err == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	os.Exit(1)
}
