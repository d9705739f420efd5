package eject

import (
	"context"
	"time"

	"github.com/nines-sre/nines/remediate"
)

// action is the engine's view of an Ejector.
type action struct {
	e   *Ejector
	now func() time.Time
}

// Action returns a remediate.Reverter named "eject" for a Policy: Do
// ejects the target replica (at the signal's Time, or now when it has
// none), Undo returns it. The engine brings the rest of the guard rails
// (pool, cooldown, blast radius, budget, approval, dry run, audit); the
// Ejector's maximum ejected share turns an ejection past it into a failed
// decision, recorded, that ejects nothing.
func Action(e *Ejector) remediate.Reverter { return &action{e: e, now: time.Now} }

func (a *action) Name() string { return "eject" }

func (a *action) Do(_ context.Context, target string, s remediate.Signal) error {
	return a.e.EjectAt(a.at(s), target)
}

func (a *action) Undo(_ context.Context, target string, s remediate.Signal) error {
	return a.e.ReturnAt(a.at(s), target)
}

func (a *action) at(s remediate.Signal) time.Time {
	if s.Time.IsZero() {
		return a.now()
	}
	return s.Time
}
