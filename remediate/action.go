package remediate

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

// Action is what a policy does to a target. Implementations must be safe
// for concurrent use (two policies, or two concurrent Handle calls, may run
// the same Action) and should honour ctx: the engine cancels it at the
// policy's timeout and, if Do has not returned by then, records the action
// as failed without waiting for it.
//
// An Action that changes state should also implement Reverter, so that the
// engine can undo it when its cause resolves; one that does not is
// recorded as irreversible (Decision.Irreversible) and never reverted.
//
// The built-in actions are BreakerMode, ShedLevel, Drain, Undrain, Func and
// ReversibleFunc.
type Action interface {
	// Name is a short, stable identifier, the remediation.action metric
	// attribute: 1 to 128 characters of [A-Za-z0-9_.:-].
	Name() string
	// Do acts on target for signal s. A non-nil error is recorded as the
	// outcome failed; it never stops the engine.
	Do(ctx context.Context, target string, s Signal) error
}

// Reverter is an Action that can undo what its Do did. The engine records
// every executed (or dry-run) Reverter as active for its (policy, target)
// and calls Undo when the incident that caused it resolves, when the
// policy no longer matches the incident's latest signal, after the
// policy's MaxDuration, or at Engine.Shutdown (see Engine). Undo has the
// same contract as Do: safe for concurrent use, honour ctx.
type Reverter interface {
	Action
	// Undo reverts what Do did to target; s is the signal that ended the
	// action (the resolved signal, or the incident's last one).
	Undo(ctx context.Context, target string, s Signal) error
}

// ErrUnknownTarget is returned by the built-in actions when the target names
// nothing they were given.
var ErrUnknownTarget = errors.New("remediate: unknown target")

// ModeSetter is what BreakerMode needs of a breaker; every
// *breaker.Breaker satisfies it.
type ModeSetter interface{ SetMode(breaker.Mode) }

// LevelSetter is what ShedLevel needs of a load shedder: the lowest priority
// still admitted. *admit.Shedder satisfies it.
type LevelSetter interface{ SetLevel(admit.Priority) }

// Drainer is what Drain and Undrain need: *health.Registry satisfies it.
type Drainer interface {
	Drain()
	Undrain()
}

// funcAction adapts a function to Action.
type funcAction struct {
	name string
	fn   func(ctx context.Context, target string, s Signal) error
}

// Func returns an Action named name that calls fn. It cannot be undone:
// its decisions say Irreversible and the engine never reverts it (use
// ReversibleFunc for an action that changes state). The name is validated
// by NewEngine; a nil fn fails at run time with an error.
func Func(name string, fn func(ctx context.Context, target string, s Signal) error) Action {
	return &funcAction{name: name, fn: fn}
}

func (a *funcAction) Name() string { return a.name }

func (a *funcAction) Do(ctx context.Context, target string, s Signal) error {
	return call(a.name, a.fn, ctx, target, s)
}

func call(name string, fn func(context.Context, string, Signal) error, ctx context.Context, target string, s Signal) error {
	if fn == nil {
		return fmt.Errorf("remediate: action %q has a nil function", name)
	}
	return fn(ctx, target, s)
}

// reversibleFunc adapts a pair of functions to Reverter.
type reversibleFunc struct {
	funcAction
	undo func(ctx context.Context, target string, s Signal) error
}

// ReversibleFunc returns a Reverter named name that calls do to act and
// undo to revert (see Reverter). The name is validated by NewEngine; a
// nil function fails at run time with an error.
func ReversibleFunc(name string, do, undo func(ctx context.Context, target string, s Signal) error) Reverter {
	return &reversibleFunc{funcAction: funcAction{name: name, fn: do}, undo: undo}
}

func (a *reversibleFunc) Undo(ctx context.Context, target string, s Signal) error {
	return call(a.name, a.undo, ctx, target, s)
}

// lookupAction resolves its target in a map fixed at construction, then
// calls do on the value.
type lookupAction[T any] struct {
	name string
	by   map[string]T
	do   func(T)
}

func (a *lookupAction[T]) Name() string { return a.name }

func (a *lookupAction[T]) Do(_ context.Context, target string, _ Signal) error {
	return a.apply(target, a.do)
}

func (a *lookupAction[T]) apply(target string, fn func(T)) error {
	v, ok := a.by[target]
	if !ok {
		return fmt.Errorf("%w %q for action %q", ErrUnknownTarget, target, a.name)
	}
	fn(v)
	return nil
}

// revertibleLookup is a lookupAction with an undo.
type revertibleLookup[T any] struct {
	lookupAction[T]
	undo func(T)
}

func (a *revertibleLookup[T]) Undo(_ context.Context, target string, _ Signal) error {
	return a.apply(target, a.undo)
}

func newLookup[T comparable](name string, by map[string]T, do, undo func(T)) Action {
	by = maps.Clone(by)
	var zero T
	maps.DeleteFunc(by, func(_ string, v T) bool { return v == zero }) // a nil entry is an unknown target, not a panic
	l := lookupAction[T]{name: name, by: by, do: do}
	if undo == nil {
		return &l
	}
	return &revertibleLookup[T]{lookupAction: l, undo: undo}
}

// BreakerMode returns an Action that sets the mode of the breaker named by
// the target: breaker.ModeForcedOpen to open it, breaker.ModeForcedClosed
// to force it closed, breaker.ModeMetricsOnly to let every call through,
// breaker.ModeNormal to hand it back to its trip policy. Its name is
// "breaker_" followed by the mode ("breaker_forced_open"). Every mode but
// ModeNormal is a Reverter whose undo is ModeNormal; ModeNormal is itself
// an undo and cannot be undone. The map is copied.
func BreakerMode(mode breaker.Mode, breakers map[string]ModeSetter) Action {
	var undo func(ModeSetter)
	if mode != breaker.ModeNormal {
		undo = func(b ModeSetter) { b.SetMode(breaker.ModeNormal) }
	}
	return newLookup("breaker_"+mode.String(), breakers, func(b ModeSetter) { b.SetMode(mode) }, undo)
}

// ShedLevel returns an Action that sets the shedding level of the shedder
// named by the target: the lowest priority still admitted. Its name says
// what it does: "shed_below_normal" (admit.Normal: sheddable traffic is
// refused), "shed_below_critical" (admit.Critical: all but critical traffic
// is refused), "stop_shedding" (admit.Sheddable or lower: nothing is
// refused for its priority). Every level but stop_shedding is a Reverter
// whose undo stops shedding; stop_shedding is itself an undo and cannot be
// undone. The map is copied.
func ShedLevel(level admit.Priority, shedders map[string]LevelSetter) Action {
	var undo func(LevelSetter)
	name := "stop_shedding"
	if level > admit.Sheddable {
		name = "shed_below_" + level.String()
		undo = func(s LevelSetter) { s.SetLevel(admit.Sheddable) }
	}
	return newLookup(name, shedders, func(s LevelSetter) { s.SetLevel(level) }, undo)
}

// Drain returns a Reverter named "drain" that withdraws readiness of the
// registry named by the target (for one process, a single entry such as
// {"self": registry} with a policy Target returning "self"); its undo
// restores readiness. The map is copied.
func Drain(registries map[string]Drainer) Action {
	return newLookup("drain", registries, Drainer.Drain, Drainer.Undrain)
}

// Undrain returns an Action named "undrain" that restores readiness. It is
// itself an undo and cannot be undone.
func Undrain(registries map[string]Drainer) Action {
	return newLookup("undrain", registries, Drainer.Undrain, nil)
}
