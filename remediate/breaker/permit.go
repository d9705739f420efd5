package breaker

import "time"

// Permit is a call admitted by Allow; report its outcome with Done (or
// DoneAt) exactly once. The zero Permit's Done does nothing. A Permit is a
// small value returned without allocating: copying it is cheap, but Done
// must be called on one copy only. A Permit is not safe for concurrent use.
//
// # How Allow and Execute share one state machine
//
// gobreaker's two-step form (TwoStepCircuitBreaker) can only wrap a
// CircuitBreaker it creates, and its done closure allocates on every call;
// CircuitBreaker has no exported before/after-request API. So both forms
// run on one *gobreaker.CircuitBreaker: Execute is gobreaker's Execute, and
// Allow admits from the breaker's own view of gobreaker's state, kept exact
// by gobreaker's OnStateChange hook (see word.go): the state, a generation
// bumped on every transition, and the half-open probe slots reserved in
// this generation.
//
//   - Closed: Allow admits with one atomic load.
//   - Open: Allow asks gobreaker for its state, which moves it to
//     half-open when the open timeout has passed, then decides.
//   - Half-open: Allow reserves one of Config.HalfOpenCalls probe slots
//     with a compare-and-swap, or returns ErrTooManyCalls. Execute takes
//     this path too outside the closed state, so the quota is shared.
//
// Done classifies the outcome (excluded, slow, failure, success) for the
// metrics and the slow-call window, then, if the breaker is still in the
// generation the permit was admitted in, reports it to gobreaker as a call
// of gobreaker's Execute that returns the outcome at once. An outcome from
// an earlier generation only counts in the metrics: gobreaker's own
// two-step form discards it the same way. An excluded outcome, or one
// gobreaker refuses, gives a half-open probe slot back, as gobreaker does
// not count exclusions against its quota; the slot is given back only
// after gobreaker has recorded the exclusion, so gobreaker's count of
// probes never exceeds the breaker's and a reported probe always finds a
// slot in gobreaker.
//
// The one window where this differs from gobreaker's two-step form is a
// transition between Done's generation check and gobreaker's
// beforeRequest. gobreaker would discard that outcome by its generation;
// here the report reaches the new generation, where the function it
// passes to gobreaker checks the generation again and returns an outcome
// gobreaker excludes. So the stale outcome changes no decision: it adds
// one to the new generation's Requests and Exclusions (Counts), and while
// it passes through a half-open generation it holds one of gobreaker's
// probe slots for a few instructions, so that a probe reported in that
// instant is refused by gobreaker; that probe's slot is then given back,
// and another probe is admitted in its place. (An Execute that read the
// state as closed and reached gobreaker only after the breaker had opened
// and its whole open timeout had passed is the same case seen from the
// other side: gobreaker runs it as a probe, and a permit's report that
// finds gobreaker's quota taken gives its slot back.) The breaker never
// decides on a stale outcome and never stays half-open for want of one. Two
// smaller differences: an outcome is counted in the rolling window's
// bucket of the time it is reported rather than of the time it was
// admitted, as the slow-call window does; and with Buckets 1 (a fixed
// window), a call admitted before the window resets is counted in the new
// window, since a reset is not a transition.
type Permit[T any] struct {
	b     *Breaker[T]
	gen   uint64
	start time.Time
	kind  permitKind
}

type permitKind uint8

const (
	untracked permitKind = iota // metrics only: forced closed, or admitted by ModeMetricsOnly
	tracked                     // reported to gobreaker
	probe                       // reported to gobreaker; holds a half-open probe slot
)

// Allow is AllowAt(time.Time{}): the start time is read from the clock
// when a slow threshold is set.
func (b *Breaker[T]) Allow() (Permit[T], error) { return b.AllowAt(time.Time{}) }

// AllowAt asks the breaker to admit a call starting at t, whose outcome the
// caller reports later with Permit.Done or DoneAt. It returns ErrOpen or
// ErrTooManyCalls when the call is rejected (not counted as a failure). In
// ModeForcedClosed and ModeMetricsOnly it never returns an error. t is the
// start of the call for the slow-call policy, for callers that have just
// read the clock; a zero t reads it when a slow threshold is set.
//
// Allow and Done allocate nothing, in every state.
func (b *Breaker[T]) AllowAt(t time.Time) (Permit[T], error) {
	if b.slow > 0 && t.IsZero() {
		t = time.Now()
	}
	if Mode(b.mode.Load()) == ModeNormal {
		if w := b.hooks.word.Load(); wordState(w) == Closed {
			return Permit[T]{b: b, gen: wordGen(w), start: t, kind: tracked}, nil
		}
	}
	return b.allowSlowPath(t)
}

// allowSlowPath is AllowAt outside the closed state and in the override
// modes.
func (b *Breaker[T]) allowSlowPath(t time.Time) (Permit[T], error) {
	switch Mode(b.mode.Load()) {
	case ModeForcedOpen:
		b.calls.rejected.Add(1)
		return Permit[T]{}, ErrOpen
	case ModeForcedClosed:
		return Permit[T]{b: b, start: t, kind: untracked}, nil
	}
	gen, kind, err := b.admit()
	if err != nil {
		b.calls.rejected.Add(1)
		if Mode(b.mode.Load()) != ModeMetricsOnly {
			return Permit[T]{}, err
		}
		kind = untracked // admitted anyway, outside the state machine
	}
	return Permit[T]{b: b, gen: gen, start: t, kind: kind}, nil
}

// admit decides from the state word, asking gobreaker for its state when
// it is open (the only way an open breaker becomes half-open).
func (b *Breaker[T]) admit() (uint64, permitKind, error) {
	w := b.hooks.word.Load()
	if wordState(w) == Open {
		b.cb.State()
		if b.hooks.queued.Load() != 0 {
			b.hooks.deliver()
		}
		w = b.hooks.word.Load()
	}
	for {
		switch {
		case wordState(w) == Closed:
			return wordGen(w), tracked, nil
		case wordState(w) == Open:
			return 0, untracked, ErrOpen
		case wordProbes(w) >= b.probes:
			return 0, untracked, ErrTooManyCalls
		}
		if b.hooks.word.CompareAndSwap(w, w+probeOne) {
			return wordGen(w), probe, nil
		}
		w = b.hooks.word.Load()
	}
}

// Done is DoneAt(time.Time{}, err).
func (p Permit[T]) Done(err error) { p.DoneAt(time.Time{}, err) }

// DoneAt reports the outcome of the admitted call, which ended at t: nil
// for success, an excluded error (see Config.IsExcluded) for neither, any
// other error for a failure. t is used only by the slow-call policy; a
// zero t reads the clock when a slow threshold is set.
func (p Permit[T]) DoneAt(t time.Time, err error) {
	if p.b == nil {
		return
	}
	p.b.finish(p, p.b.classify(err, p.start, t, p.kind == probe))
}

// panicked reports a call whose function panicked: always a failure, as on
// Execute's fast path, without asking IsExcluded about an error the caller
// never returned.
func (p Permit[T]) panicked() {
	if p.b == nil {
		return
	}
	p.b.calls.failure.Add(1)
	p.b.finish(p, errOutcomeFailed)
}

// finish hands a classified outcome to gobreaker if the permit's generation
// is current (see Permit), gives back a probe slot gobreaker did not count,
// and delivers the events the report caused.
func (b *Breaker[T]) finish(p Permit[T], outcome error) {
	if p.kind == untracked {
		return
	}
	counted := false
	if wordGen(b.hooks.word.Load()) == p.gen {
		_, _ = b.cb.Execute(func() (T, error) {
			var zero T
			if wordGen(b.hooks.word.Load()) != p.gen { // a transition since the check above
				return zero, errOutcomeStale
			}
			counted = outcome != errOutcomeExcluded
			return zero, outcome
		})
	}
	if p.kind == probe && !counted {
		b.releaseProbe(p.gen)
	}
	if b.hooks.queued.Load() != 0 {
		b.hooks.deliver()
	}
}

// releaseProbe gives a half-open probe slot back to generation gen, if it
// is still current.
func (b *Breaker[T]) releaseProbe(gen uint64) {
	for {
		w := b.hooks.word.Load()
		if wordGen(w) != gen || wordProbes(w) == 0 {
			return
		}
		if b.hooks.word.CompareAndSwap(w, w-probeOne) {
			return
		}
	}
}
