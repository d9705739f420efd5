package exporters

import (
	"errors"
	"fmt"
	"time"

	"github.com/nines-sre/nines/slo"
)

// ErrUnsupported is wrapped by PrometheusRules' errors for objectives that
// are valid in process but have no Prometheus rule equivalent (timeslice
// budgeting).
var ErrUnsupported = errors.New("exporters: unsupported by Prometheus rules")

// validateObjective checks o as slo.New does, then the rules' own
// constraints (every window a multiple of 5m, no timeslices), and returns
// the tiers (slo.DefaultTiers when nil) and the nominal period.
func validateObjective(i int, o slo.Objective) ([]slo.Tier, time.Duration, error) {
	if err := o.Validate(); err != nil {
		return nil, 0, fmt.Errorf("%w: objectives[%d]: %w", ErrInvalidConfig, i, err)
	}
	bad := func(field string, format string, args ...any) error {
		return fmt.Errorf("%w: objectives[%d] %q: %s: %s", ErrInvalidConfig, i, o.Name, field, fmt.Sprintf(format, args...))
	}
	if o.Budgeting == slo.Timeslices {
		return nil, 0, fmt.Errorf("%w: objectives[%d] %q: Budgeting: Timeslices (slice states are computed in process and not exported)", ErrUnsupported, i, o.Name)
	}
	if r := o.Window.Rolling; r%step != 0 {
		return nil, 0, bad("Window.Rolling", "%v is not a multiple of %v", r, step)
	}
	period := o.Window.Period()
	tiers := o.Tiers
	if tiers == nil {
		tiers = slo.DefaultTiers(period)
	}
	for j, t := range tiers {
		f := fmt.Sprintf("Tiers[%d]", j)
		switch {
		case t.Short%step != 0:
			return nil, 0, bad(f+".Short", "%v is not a multiple of %v", t.Short, step)
		case t.Long%step != 0:
			return nil, 0, bad(f+".Long", "%v is not a multiple of %v", t.Long, step)
		case t.Long > period:
			return nil, 0, bad(f+".Long", "%v exceeds the period %v", t.Long, period)
		}
	}
	return tiers, period, nil
}
