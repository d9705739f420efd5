package exporters

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"time"

	"github.com/nines-sre/nines/slo"
)

// ErrInvalidObjective is wrapped by PrometheusRules' errors for objectives
// it cannot turn into rules; the message names the objective and the field.
var ErrInvalidObjective = errors.New("exporters: invalid objective")

// ErrUnsupported is wrapped by PrometheusRules' errors for objectives that
// are valid in process but have no Prometheus rule equivalent (timeslice
// budgeting).
var ErrUnsupported = errors.New("exporters: unsupported by Prometheus rules")

// maxPeriod bounds a rolling period: its error ratio sums one recorded
// 5m increment per step, 115200 of them at 400 days, on every evaluation.
const maxPeriod = 400 * 24 * time.Hour

var validName = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,128}$`)

// validateObjective checks what the rules need and returns the tiers and
// nominal period to use. The checks mirror slo's own validation plus the
// rules' constraints: every window a multiple of 5m.
func validateObjective(i int, o slo.Objective) ([]slo.Tier, time.Duration, error) {
	bad := func(field string, format string, args ...any) error {
		return fmt.Errorf("%w: objectives[%d] %q: %s: %s", ErrInvalidObjective, i, o.Name, field, fmt.Sprintf(format, args...))
	}
	if !validName.MatchString(o.Name) {
		return nil, 0, bad("Name", "%q must be 1 to 128 characters of [A-Za-z0-9_.:-]", o.Name)
	}
	if !(o.Target > 0 && o.Target < 1) {
		return nil, 0, bad("Target", "%v is not in (0, 1)", o.Target)
	}
	w := o.Window
	switch {
	case w.Rolling != 0 && w.Calendar != slo.CalendarNone:
		return nil, 0, bad("Window", "both Rolling (%v) and Calendar (%d) are set", w.Rolling, w.Calendar)
	case w.Rolling < 0:
		return nil, 0, bad("Window.Rolling", "%v is negative", w.Rolling)
	case w.Rolling > maxPeriod:
		return nil, 0, bad("Window.Rolling", "%v exceeds %v: the period's window would sum %d steps of 5m per evaluation", w.Rolling, maxPeriod, w.Rolling/step)
	case w.Rolling > 0 && w.Rolling%step != 0:
		return nil, 0, bad("Window.Rolling", "%v is not a multiple of %v", w.Rolling, step)
	case w.Rolling == 0 && w.Calendar > slo.CalendarQuarter:
		return nil, 0, bad("Window.Calendar", "unknown unit %d", w.Calendar)
	case w.Rolling == 0 && w.Calendar == slo.CalendarNone:
		return nil, 0, bad("Window", "neither Rolling nor Calendar is set")
	}
	if o.Latency < 0 {
		return nil, 0, bad("Latency", "%v is negative", o.Latency)
	}
	switch o.Budgeting {
	case slo.Occurrences:
	case slo.Timeslices:
		return nil, 0, fmt.Errorf("%w: objectives[%d] %q: Budgeting: Timeslices (slice states are computed in process and not exported)", ErrUnsupported, i, o.Name)
	default:
		return nil, 0, bad("Budgeting", "unknown method %d", o.Budgeting)
	}
	period := nominalPeriod(w)
	tiers := o.Tiers
	field := "Tiers"
	if tiers == nil {
		tiers = defaultTiers()
		field = "default Tiers" // the period is too short for them
	}
	for j, t := range tiers {
		f := fmt.Sprintf("%s[%d]", field, j)
		switch {
		case t.Severity != slo.SeverityPage && t.Severity != slo.SeverityTicket:
			return nil, 0, bad(f+".Severity", "unknown severity %d", t.Severity)
		case !(t.BudgetPercent > 0 && t.BudgetPercent <= 100) || math.IsNaN(t.BudgetPercent):
			return nil, 0, bad(f+".BudgetPercent", "%v is not in (0, 100]", t.BudgetPercent)
		case t.Short <= 0 || t.Short%step != 0:
			return nil, 0, bad(f+".Short", "%v is not a positive multiple of %v", t.Short, step)
		case t.Long <= t.Short || t.Long%step != 0:
			return nil, 0, bad(f+".Long", "%v is not a multiple of %v longer than Short (%v)", t.Long, step, t.Short)
		case t.Long > period:
			return nil, 0, bad(f+".Long", "%v exceeds the period %v", t.Long, period)
		}
	}
	return tiers, period, nil
}
