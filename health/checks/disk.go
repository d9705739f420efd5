package checks

import (
	"context"
	"errors"
	"fmt"

	"github.com/nines-sre/nines/health"
)

// DiskFree returns a check on the bytes available to unprivileged users on
// the file system holding path: it warns below warnBelow and fails below
// failBelow (0 disables either threshold; failBelow must not exceed
// warnBelow). The observed value is the free bytes (measurement "free",
// unit "bytes"). On Linux it calls statfs(2); elsewhere it warns with
// ErrUnsupported: a check the platform cannot run must not fail a
// liveness probe and restart the process.
func DiskFree(path string, warnBelow, failBelow uint64) (health.CheckFunc, error) {
	return diskFree(path, warnBelow, failBelow, statFree)
}

func diskFree(path string, warnBelow, failBelow uint64, stat func(string) (uint64, error)) (health.CheckFunc, error) {
	if path == "" {
		return nil, invalid("DiskFree path", path, "required")
	}
	if warnBelow != 0 && failBelow > warnBelow {
		return nil, invalid("DiskFree failBelow", failBelow, fmt.Sprintf("exceeds warnBelow (%d)", warnBelow))
	}
	return func(context.Context) health.Result {
		free, err := stat(path)
		if err != nil {
			st := health.StatusFail
			if errors.Is(err, ErrUnsupported) {
				// Not StatusUnknown: the registry counts a check
				// function's unknown as a failure.
				st = health.StatusWarn
			}
			return health.Result{Status: st, Err: err}
		}
		res := health.Result{Status: health.StatusPass, ObservedValue: free, ObservedUnit: "bytes", Measurement: "free"}
		switch {
		case free < failBelow:
			res.Status, res.Err = health.StatusFail, fmt.Errorf("%w: %d bytes free on %s, fail below %d", ErrThreshold, free, path, failBelow)
		case free < warnBelow:
			res.Status, res.Err = health.StatusWarn, fmt.Errorf("%w: %d bytes free on %s, warn below %d", ErrThreshold, free, path, warnBelow)
		}
		return res
	}, nil
}
