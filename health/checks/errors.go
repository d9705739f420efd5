package checks

import (
	"errors"

	"github.com/nines-sre/nines/internal/config"
)

// Sentinel errors. Constructor errors wrap ErrInvalidConfig; results carry
// the others in health.Result.Err so callers and listeners can branch with
// errors.Is.
var (
	// ErrInvalidConfig wraps every constructor validation error; the
	// message names the constructor, the argument and the value:
	// `checks: invalid config: TCP addr = "db": want host:port`.
	ErrInvalidConfig = config.New("checks")
	// ErrUnsupported is reported by checks the platform cannot run (for
	// example DiskFree outside Linux). The result is StatusWarn: the
	// group degrades (still HTTP 200) instead of failing.
	ErrUnsupported = errors.New("checks: unsupported on this platform")
	// ErrMaintenance is the error of a Maintenance switch that is on.
	ErrMaintenance = errors.New("checks: maintenance mode")
	// ErrNoHeartbeat means a Heartbeat has never beaten.
	ErrNoHeartbeat = errors.New("checks: no heartbeat yet")
	// ErrHeartbeatLate means the last beat is older than the maximum age.
	ErrHeartbeatLate = errors.New("checks: heartbeat late")
	// ErrUnexpectedStatus means an HTTP response code was outside the
	// accepted range.
	ErrUnexpectedStatus = errors.New("checks: unexpected HTTP status")
	// ErrNoAddresses means a DNS lookup succeeded with no addresses.
	ErrNoAddresses = errors.New("checks: no addresses")
	// ErrThreshold means an observed value crossed a warn or fail
	// threshold (disk free, goroutines, certificate expiry).
	ErrThreshold = errors.New("checks: threshold crossed")
)

// invalid names an argument of a constructor, its value and what is wrong.
func invalid(field string, value any, why string) error {
	return config.Error(ErrInvalidConfig, field, value, why)
}
