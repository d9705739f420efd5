package availability

import (
	"context"
	"errors"
	"time"

	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

// Call is one call an Endpoint admitted: a per-call token, in the shape of
// gobreaker's two-step Allow and x/time/rate's Reservation. Finish it once
// the call has ended with Done (or DoneAt), or with Cancel if the caller
// gave up. A client endpoint's Call carries its breaker's permit, so the
// breaker's half-open probe quota and slow-call policy apply to it as to any
// call the breaker admits.
//
// A Call is a small value, returned without allocating; its methods have
// pointer receivers and the first of Done, DoneAt or Cancel ends it: later
// calls on the same variable do nothing, so a deferred Done beside an
// explicit one is harmless. Copies are not tied together: finish one copy
// only, or the call is counted once per copy. The zero Call is an ended
// call: its methods do nothing. A Call is not safe for concurrent use.
type Call struct {
	e      *Endpoint
	start  time.Time
	permit breaker.Permit[struct{}] // a client endpoint's breaker permit; zero for servers
}

// errBadCall is what a bad call reports to its breaker.
var errBadCall = errors.New("availability: call failed")

// Admit is AdmitAt(now, p), with now read from the monotonic clock alone
// (one clock read; see Done).
func (e *Endpoint) Admit(p admit.Priority) (Call, error) {
	return e.AdmitAt(e.m.now(), p)
}

// AdmitAt asks whether a call of priority p starting at t may proceed. It
// returns the admitted Call, or the zero Call and an error: for a server
// endpoint one wrapping admit.ErrRateLimited or admit.ErrShed (the
// Monitor's shedder, WithShedder, refused it; t drives its token buckets),
// for a client endpoint one wrapping breaker.ErrOpen or
// breaker.ErrTooManyCalls (its breaker is open, or half-open with every
// probe slot taken; p is not used). A refused call is counted as shed
// (server) or rejected (client) in Statusz, never as the service's
// failure, and needs no Done. DoneAt measures the
// latency from t.
func (e *Endpoint) AdmitAt(t time.Time, p admit.Priority) (Call, error) {
	if e.kind == ClientEndpoint {
		if e.breaker == nil {
			return Call{e: e, start: t}, nil
		}
		permit, err := e.breaker.AllowAt(t)
		if err != nil {
			e.refused.Add(1)
			return Call{}, e.rejection(err)
		}
		return Call{e: e, start: t, permit: permit}, nil
	}
	if err := e.m.admitAt(t, p); err != nil {
		e.refused.Add(1)
		return Call{}, err
	}
	return Call{e: e, start: t}, nil
}

// rejection returns the prebuilt error of a breaker refusal, so that a
// refused call does not allocate.
func (e *Endpoint) rejection(err error) error {
	if errors.Is(err, breaker.ErrTooManyCalls) {
		return e.probesErr
	}
	return e.openErr
}

// Done ends the call now: its latency is the time since the admission
// instant, read from the monotonic clock when the instant has a monotonic
// reading (Admit's does, and time.Now's), so that Admit and Done read the
// clock once each. bad says whether the call failed (a 5xx, a failing gRPC
// code, a panic, a transport error). It counts
// the SLO events and the aggregates the next tick feeds to the detectors;
// for a client endpoint it also reports the outcome to the breaker. It does
// not allocate and takes no lock.
func (c *Call) Done(bad bool) {
	if c.e == nil {
		return
	}
	if c.e.kind == ClientEndpoint {
		// The breaker's slow-call policy wants the end instant: read
		// the clock once for both.
		c.DoneAt(c.e.m.now(), bad)
		return
	}
	c.finish(time.Since(c.start), time.Time{}, bad)
}

// DoneAt is Done for a call that ended at t: its latency is t minus the
// admission instant (zero if t is earlier).
func (c *Call) DoneAt(t time.Time, bad bool) {
	if c.e == nil {
		return
	}
	c.finish(t.Sub(c.start), t, bad)
}

// Cancel ends a call the caller abandoned (its context was cancelled): it
// counts in neither the SLOs nor the aggregates, and a client endpoint's
// breaker gets its permit back as an excluded outcome (context.Canceled,
// which breaker.Config.IsExcluded excludes by default), so a half-open
// probe slot is freed without a verdict.
func (c *Call) Cancel() {
	if c.e == nil {
		return
	}
	c.permit.Done(context.Canceled)
	*c = Call{}
}

// finish records the ended call and ends c; end is its end instant for the
// breaker, zero for a server call.
func (c *Call) finish(latency time.Duration, end time.Time, bad bool) {
	c.e.record(max(latency, 0), bad)
	if bad {
		c.permit.DoneAt(end, errBadCall)
	} else {
		c.permit.DoneAt(end, nil)
	}
	*c = Call{}
}
