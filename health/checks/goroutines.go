package checks

import (
	"context"
	"fmt"
	"runtime"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/internal/config"
)

// Goroutines returns a check on runtime.NumGoroutine: it warns above
// warnAbove and fails above failAbove (1 <= warnAbove <= failAbove). A
// steadily growing count is the usual sign of a leak. The observed value is
// the count (measurement "goroutines"). It calls no dependency and is safe
// in a liveness group.
func Goroutines(warnAbove, failAbove int) (health.CheckFunc, error) {
	return goroutines(warnAbove, failAbove, runtime.NumGoroutine)
}

func goroutines(warnAbove, failAbove int, count func() int) (health.CheckFunc, error) {
	if warnAbove < 1 || failAbove < warnAbove {
		return nil, config.Errorf(ErrInvalidConfig, "Goroutines warnAbove = %d, failAbove = %d: want 1 <= warnAbove <= failAbove", warnAbove, failAbove)
	}
	return func(context.Context) health.Result {
		n := count()
		res := health.Result{Status: health.StatusPass, ObservedValue: n, Measurement: "goroutines"}
		switch {
		case n > failAbove:
			res.Status, res.Err = health.StatusFail, fmt.Errorf("%w: %d goroutines, fail above %d", ErrThreshold, n, failAbove)
		case n > warnAbove:
			res.Status, res.Err = health.StatusWarn, fmt.Errorf("%w: %d goroutines, warn above %d", ErrThreshold, n, warnAbove)
		}
		return res
	}, nil
}
