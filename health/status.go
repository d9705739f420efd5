package health

import (
	"context"
	"time"
)

// Status is the state of a check or of a group. The zero value is
// StatusUnknown: no result yet, or the last result is too old to trust.
type Status uint8

const (
	// StatusUnknown means there is no usable result: the check has not run
	// yet, or its cached result is older than its maximum age.
	StatusUnknown Status = iota
	// StatusPass means healthy.
	StatusPass
	// StatusWarn means degraded but serving: probes still answer 200.
	StatusWarn
	// StatusFail means unhealthy: probes answer 503.
	StatusFail
	// StatusDraining is a group state only: readiness was withdrawn on
	// purpose (shutdown), which metrics must not confuse with an outage.
	StatusDraining
)

// String returns the lower-case name used in metrics and JSON: "unknown",
// "pass", "warn", "fail" or "draining".
func (s Status) String() string {
	switch s {
	case StatusPass:
		return "pass"
	case StatusWarn:
		return "warn"
	case StatusFail:
		return "fail"
	case StatusDraining:
		return "draining"
	default:
		return "unknown"
	}
}

// Result is what a check function reports for one execution.
//
// The zero Result with a nil Err reads as a pass only if Status is set;
// a check function should always set Status. A non-nil Err with Status left
// at StatusUnknown or StatusPass is treated as StatusFail. A Result is a
// plain value, safe to copy; the registry keeps it read-only once
// recorded, so ObservedValue should not be mutated after it is returned.
type Result struct {
	// Status is the outcome: StatusPass, StatusWarn or StatusFail.
	Status Status
	// ObservedValue is an optional measurement (for example free disk
	// bytes); nil means none. It appears as observedValue in
	// application/health+json.
	ObservedValue any
	// ObservedUnit names the unit of ObservedValue (for example "bytes",
	// "ms", "percent"); empty means none.
	ObservedUnit string
	// Measurement names what ObservedValue measures; it forms the
	// "name:measurement" key in application/health+json. Empty keeps the
	// measurement of the check's latest result that named one (so a
	// timeout does not change the key), or the bare check name if none
	// did.
	Measurement string
	// Err explains a warn or fail; it is withheld from unauthorised
	// aggregate responses.
	Err error
}

// Pass is the shorthand for a passing Result: Status StatusPass.
func Pass() Result { return Result{Status: StatusPass} }

// Warn is the shorthand for a degraded but serving Result: Status
// StatusWarn, with err explaining why.
func Warn(err error) Result { return Result{Status: StatusWarn, Err: err} }

// Fail is the shorthand for an unhealthy Result: Status StatusFail, with
// err explaining why.
func Fail(err error) Result { return Result{Status: StatusFail, Err: err} }

// CheckFunc runs one check. It must honour ctx (the registry cancels it at
// the check's timeout), but the registry does not rely on it: a CheckFunc
// that ignores ctx is reported as a timeout at the deadline all the same.
// The registry calls it from one goroutine at a time per check, never on
// a probe request; it runs concurrently with the other checks' functions.
type CheckFunc func(ctx context.Context) Result

// Observation is one completed execution as the registry recorded it. It
// is a plain value, safe to copy and share.
type Observation struct {
	Result
	// Time is when the execution finished (or timed out).
	Time time.Time
	// Duration is how long the execution took, up to the timeout.
	Duration time.Duration
}
