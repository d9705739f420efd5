package checks

import "errors"

// Sentinel errors. Constructor errors wrap ErrInvalidArgument; results carry
// the others in health.Result.Err so callers and listeners can branch with
// errors.Is.
var (
	// ErrInvalidArgument wraps every constructor validation error; the
	// message names the argument and the value.
	ErrInvalidArgument = errors.New("checks: invalid argument")
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
