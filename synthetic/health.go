package synthetic

import (
	"context"
	"errors"

	"github.com/nines-sre/nines/health"
)

// HealthChecks returns one health.Check per check, for a health.Registry
// (a Monitor's AddSynthetic registers them). Each reports the check's
// latest run, and runs nothing itself: the Runner's schedule does, so a
// probe never sends a request to the target. Pass is pass, Degraded is
// warn, Fail and Timeout are fail; before the first run it passes, so that
// a new replica is not held out of service by a check that has not run.
//
// The health check has the synthetic check's Interval, so the registry's
// FailureThreshold and SuccessThreshold count runs. It is in Readiness
// only, and non-critical (a failure reads warn) unless Check.Readiness is
// set; it is never in Liveness: a failing transaction through a
// dependency must not restart the replica. It is External.
func (r *Runner) HealthChecks() []health.Check {
	out := make([]health.Check, len(r.checks))
	for i, cs := range r.checks {
		out[i] = health.Check{
			Name:        "synthetic." + cs.c.Name,
			Func:        func(context.Context) health.Result { return cs.health() },
			Groups:      health.Readiness,
			Interval:    cs.c.Interval,
			Timeout:     min(cs.c.Interval, health.DefaultTimeout),
			NonCritical: !cs.c.Readiness,
			External:    true,
		}
	}
	return out
}

func (cs *checkState) health() health.Result {
	cs.mu.Lock()
	n := len(cs.last)
	var last Result
	if n > 0 {
		last = cs.last[n-1]
	}
	cs.mu.Unlock()
	if n == 0 {
		return health.Pass()
	}
	res := health.Result{ObservedValue: last.Duration.Seconds(), ObservedUnit: "s", Measurement: "duration"}
	switch last.Outcome {
	case Pass:
		res.Status = health.StatusPass
	case Degraded:
		res.Status, res.Err = health.StatusWarn, errors.New(last.Err())
	default:
		res.Status, res.Err = health.StatusFail, errors.New(last.Err())
	}
	return res
}
