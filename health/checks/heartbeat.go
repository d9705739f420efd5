package checks

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/nines-sre/nines/health"
)

// Heartbeat reports whether something (typically a background job) has
// reported in within a maximum age. The job calls Beat (or BeatAt) each time
// it completes; register Check with the registry.
//
// Create it with NewHeartbeat; the zero value is not usable. It is safe for
// concurrent use: Beat is a single atomic store and never blocks the job.
type Heartbeat struct {
	maxAge time.Duration
	now    func() time.Time
	last   atomic.Int64 // UnixNano of the latest beat; 0 = never
}

// NewHeartbeat returns a Heartbeat whose check fails when no beat arrived
// within maxAge (> 0). It accepts WithClock, which the check reads.
// Before the first beat the check fails with ErrNoHeartbeat; call Beat once
// at start-up if the job should get a grace period of maxAge.
func NewHeartbeat(maxAge time.Duration, opts ...HeartbeatOption) (*Heartbeat, error) {
	if maxAge <= 0 {
		return nil, invalid("NewHeartbeat maxAge", maxAge, "want > 0")
	}
	return &Heartbeat{maxAge: maxAge, now: apply(opts, HeartbeatOption.applyHeartbeat).now}, nil
}

// Beat records a beat now (time.Now, not the injected clock: the job calls it).
func (h *Heartbeat) Beat() { h.BeatAt(time.Now()) }

// BeatAt records a beat at t. A beat older than the latest one is ignored,
// so late reporters cannot move the heartbeat backwards.
func (h *Heartbeat) BeatAt(t time.Time) {
	ns := t.UnixNano()
	for {
		old := h.last.Load()
		if old != 0 && ns <= old {
			return
		}
		if h.last.CompareAndSwap(old, ns) {
			return
		}
	}
}

// Last returns the time of the latest beat and false if there was none.
func (h *Heartbeat) Last() (time.Time, bool) {
	ns := h.last.Load()
	if ns == 0 {
		return time.Time{}, false
	}
	return time.Unix(0, ns), true
}

// Check is the health.CheckFunc: pass while the latest beat is at most
// maxAge old at the clock's current time, fail otherwise. The observed value
// is the age of the latest beat in seconds (measurement "age", unit "s").
func (h *Heartbeat) Check(context.Context) health.Result {
	return h.CheckAt(h.now())
}

// CheckAt is Check evaluated at now.
func (h *Heartbeat) CheckAt(now time.Time) health.Result {
	last, ok := h.Last()
	if !ok {
		return health.Fail(ErrNoHeartbeat)
	}
	age := now.Sub(last)
	res := health.Result{Status: health.StatusPass, ObservedValue: age.Seconds(), ObservedUnit: "s", Measurement: "age"}
	if age > h.maxAge {
		res.Status, res.Err = health.StatusFail, fmt.Errorf("%w: last beat %v ago, max %v", ErrHeartbeatLate, age, h.maxAge)
	}
	return res
}
