package breaker

import "time"

// State returns the effective state: open when forced open, closed when
// forced closed, otherwise gobreaker's state (in ModeMetricsOnly, the state
// the breaker would be in). An open breaker whose timeout has passed
// becomes half-open when State or a call observes it.
func (b *Breaker[T]) State() State {
	if s, ok := forcedState(b.Mode()); ok {
		return s
	}
	s := fromGobreakerState(b.cb.State())
	if b.hooks.queued.Load() != 0 {
		b.hooks.deliver()
	}
	return s
}

// Counts returns the counts of the current window or half-open round.
func (b *Breaker[T]) Counts() Counts {
	return fromGobreakerCounts(b.cb.Counts())
}

// Mode returns the breaker's override mode.
func (b *Breaker[T]) Mode() Mode { return Mode(b.mode.Load()) }

// SetMode changes the override mode. If the effective state changes (for
// example closed to forced open), listeners receive a StateChange for it;
// while a forced mode is in force, gobreaker's own transitions are not
// delivered, since the effective state does not change. Unknown modes are
// treated as ModeNormal.
func (b *Breaker[T]) SetMode(m Mode) {
	if m > ModeMetricsOnly {
		m = ModeNormal
	}
	b.modeMu.Lock()
	// Observe gobreaker first, under the old mode, so that a lazy open to
	// half-open transition is attributed to the mode it happened in.
	gb := fromGobreakerState(b.cb.State())
	counts := b.Counts()
	old := Mode(b.mode.Swap(uint32(m)))
	if before, after := stateInMode(old, gb), stateInMode(m, gb); before != after {
		b.hooks.enqueue(StateChange{Name: b.name, From: before, To: after, Counts: counts, Mode: m, At: time.Now()})
	}
	b.modeMu.Unlock()
	b.hooks.deliver()
}

// effectiveState is State without side effects, for metric collection: it
// never moves gobreaker from open to half-open.
func (b *Breaker[T]) effectiveState() State {
	return stateInMode(b.Mode(), wordState(b.hooks.word.Load()))
}

// forcedState returns the state a forced mode imposes, if any.
func forcedState(m Mode) (State, bool) {
	switch m {
	case ModeForcedOpen:
		return Open, true
	case ModeForcedClosed:
		return Closed, true
	}
	return 0, false
}

// stateInMode is the state callers see in mode m when gobreaker is in gb.
func stateInMode(m Mode, gb State) State {
	if s, ok := forcedState(m); ok {
		return s
	}
	return gb
}
