package checks

import (
	"context"
	"sync/atomic"

	"github.com/nines-sre/nines/health"
)

// Maintenance is a manual switch: while it is on, its check fails with
// ErrMaintenance, taking the instance out of a readiness group on purpose
// (an operator endpoint or a signal handler flips it).
//
// The zero value is usable and off. It is safe for concurrent use; Set and
// Check are single atomic operations.
type Maintenance struct {
	on atomic.Bool
}

// Set turns maintenance mode on or off.
func (m *Maintenance) Set(on bool) { m.on.Store(on) }

// On reports whether maintenance mode is on.
func (m *Maintenance) On() bool { return m.on.Load() }

// Check is the health.CheckFunc: fail with ErrMaintenance while on, pass
// otherwise.
func (m *Maintenance) Check(context.Context) health.Result {
	if m.on.Load() {
		return health.Fail(ErrMaintenance)
	}
	return health.Pass()
}
