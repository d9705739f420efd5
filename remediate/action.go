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
// The built-in actions are BreakerMode, ShedLevel, Drain, Undrain and Func.
type Action interface {
	// Name is a short, stable identifier, the remediation.action metric
	// attribute: 1 to 128 characters of [A-Za-z0-9_.:-].
	Name() string
	// Do acts on target for signal s. A non-nil error is recorded as the
	// outcome failed; it never stops the engine.
	Do(ctx context.Context, target string, s Signal) error
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

// Func returns an Action named name that calls fn. The name is validated
// by NewEngine; a nil fn fails at run time with an error.
func Func(name string, fn func(ctx context.Context, target string, s Signal) error) Action {
	return &funcAction{name: name, fn: fn}
}

func (a *funcAction) Name() string { return a.name }

func (a *funcAction) Do(ctx context.Context, target string, s Signal) error {
	if a.fn == nil {
		return fmt.Errorf("remediate: action %q has a nil function", a.name)
	}
	return a.fn(ctx, target, s)
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
	v, ok := a.by[target]
	if !ok {
		return fmt.Errorf("%w %q for action %q", ErrUnknownTarget, target, a.name)
	}
	a.do(v)
	return nil
}

func newLookup[T comparable](name string, by map[string]T, do func(T)) Action {
	by = maps.Clone(by)
	var zero T
	maps.DeleteFunc(by, func(_ string, v T) bool { return v == zero }) // a nil entry is an unknown target, not a panic
	return &lookupAction[T]{name: name, by: by, do: do}
}

// BreakerMode returns an Action that sets the mode of the breaker named by
// the target: breaker.ModeForcedOpen to open it, breaker.ModeNormal to
// hand it back to its trip policy, breaker.ModeForcedClosed to force it
// closed. Its name is "breaker_" followed by the mode
// ("breaker_forced_open"). The map is copied.
func BreakerMode(mode breaker.Mode, breakers map[string]ModeSetter) Action {
	return newLookup("breaker_"+mode.String(), breakers, func(b ModeSetter) { b.SetMode(mode) })
}

// ShedLevel returns an Action that sets the shedding level of the shedder
// named by the target. Its name is "shed_" followed by the level
// ("shed_critical"). The map is copied.
func ShedLevel(level admit.Priority, shedders map[string]LevelSetter) Action {
	return newLookup("shed_"+level.String(), shedders, func(s LevelSetter) { s.SetLevel(level) })
}

// Drain returns an Action named "drain" that withdraws readiness of the
// registry named by the target (for one process, a single entry such as
// {"self": registry} with a policy Target returning "self"). The map is
// copied.
func Drain(registries map[string]Drainer) Action {
	return newLookup("drain", registries, Drainer.Drain)
}

// Undrain returns an Action named "undrain" that restores readiness.
func Undrain(registries map[string]Drainer) Action {
	return newLookup("undrain", registries, Drainer.Undrain)
}
