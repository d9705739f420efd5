package runapp

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Context returns a context that ends at SIGINT (Ctrl-C) or SIGTERM (what
// Kubernetes sends before it kills a pod) and, when d is positive, after
// d. Call cancel when done, to stop listening for the signals.
func Context(d time.Duration) (ctx context.Context, cancel context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if d <= 0 {
		return ctx, stop
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, d)
	return ctx, func() { cancelTimeout(); stop() }
}
