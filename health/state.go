package health

import (
	"errors"
	"fmt"
	"time"
)

// outcome classifies one execution for the health.check.executions and
// health.check.duration metrics.
type outcome uint8

const (
	outcomePass outcome = iota
	outcomeWarn
	outcomeFail
	outcomeTimeout
	outcomePanic
	numOutcomes
)

var outcomeNames = [numOutcomes]string{"pass", "warn", "fail", "timeout", "panic"}

func (o outcome) String() string { return outcomeNames[o] }

// outcomeOf maps a normalised result status to its outcome.
func outcomeOf(s Status) outcome {
	switch s {
	case StatusPass:
		return outcomePass
	case StatusWarn:
		return outcomeWarn
	}
	return outcomeFail
}

// normalize makes res a result the state machine accepts: StatusPass,
// StatusWarn or StatusFail, with an error whenever it is not a pass.
func normalize(res Result) Result {
	switch res.Status {
	case StatusPass:
		if res.Err != nil {
			res.Status = StatusFail
		}
	case StatusWarn, StatusFail:
	default:
		if res.Err == nil {
			res.Err = fmt.Errorf("health: check reported status %v, not pass, warn or fail", res.Status)
		}
		res.Status = StatusFail
	}
	if res.Status != StatusPass && res.Err == nil {
		res.Err = errors.New(res.Status.String())
	}
	return res
}

// checkState is an immutable snapshot of one check, swapped atomically so
// probes read it without locks.
type checkState struct {
	// status is the settled status after hysteresis, before staleness:
	// StatusUnknown until the thresholds first settle it.
	status Status
	// streak counts consecutive results on side streakHealthy that did not
	// yet move status to that side.
	streak        int
	streakHealthy bool
	// last is the latest raw execution; lastWarn and lastFail the latest
	// warning and failed ones, which explain a warn or fail status.
	last, lastWarn, lastFail Observation
	hasResult                bool
	// measurement is the latest non-empty Result.Measurement, so that the
	// check keeps its "name:measurement" JSON key through a result that
	// has none (a timeout, a panic).
	measurement string
}

func healthy(s Status) bool { return s == StatusPass || s == StatusWarn }

// next applies one normalised observation with the given thresholds.
// Within the healthy side, pass and warn replace each other at once; a
// move between healthy and failed (or out of unknown) needs threshold
// consecutive results on the new side.
func (s checkState) next(o Observation, failures, successes int) checkState {
	raw := o.Status
	side := healthy(raw)
	s.last, s.hasResult = o, true
	if o.Measurement != "" {
		s.measurement = o.Measurement
	}
	switch raw {
	case StatusWarn:
		s.lastWarn = o
	case StatusFail:
		s.lastFail = o
	}
	if s.status != StatusUnknown && healthy(s.status) == side {
		s.status, s.streak = raw, 0
	} else {
		if s.streak > 0 && s.streakHealthy == side {
			s.streak++
		} else {
			s.streak, s.streakHealthy = 1, side
		}
		threshold := failures
		if side {
			threshold = successes
		}
		if s.streak >= threshold {
			s.status, s.streak = raw, 0
		}
	}
	return s
}

// view is how a check reads at one instant: its effective status and why.
type view struct {
	status  Status // StatusUnknown when unsettled or stale
	stale   bool   // the last result is MaxAge old or older
	pending bool   // no settled status yet, and not stale
}

// at evaluates the snapshot at now for a check with the given maximum age.
func (s *checkState) at(now time.Time, maxAge time.Duration) view {
	if s.hasResult && now.Sub(s.last.Time) >= maxAge {
		return view{status: StatusUnknown, stale: true}
	}
	if s.status == StatusUnknown {
		return view{status: StatusUnknown, pending: true}
	}
	return view{status: s.status}
}

// staleAt is when the snapshot turns stale, or the zero Time if it has no
// result.
func (s *checkState) staleAt(maxAge time.Duration) time.Time {
	if !s.hasResult {
		return time.Time{}
	}
	return s.last.Time.Add(maxAge)
}

// reason is the error explaining the settled status, or nil for a pass.
func (s *checkState) reason() error {
	switch s.status {
	case StatusWarn:
		return s.lastWarn.Err
	case StatusFail:
		return s.lastFail.Err
	}
	return nil
}
