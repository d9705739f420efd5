package slo

import (
	"fmt"
	"math"
	"time"

	"github.com/nines-sre/nines/internal/config"
)

// ErrInvalidConfig is wrapped by every error New and Objective.Validate
// return for a bad Objective, and by Set.Add's for a nil *SLO; the message
// names the field and the value: `slo: invalid config: Target = 1: must be
// 0 < Target < 1`.
var ErrInvalidConfig = config.New("slo")

// Limits on the configuration, chosen so that memory stays bounded: every
// alert window is exact at minute resolution from a ring of maxWindow, and
// the period is kept in hourly buckets.
const (
	// MaxAlertWindow is the longest alert window (3 days).
	MaxAlertWindow = 3 * 24 * time.Hour
	// MinRolling and MaxRolling bound Window.Rolling.
	MinRolling = time.Hour
	MaxRolling = 366 * 24 * time.Hour
	maxNameLen = 128
)

func invalid(field string, value any, why string) error {
	return config.Error(ErrInvalidConfig, field, value, why)
}

// Validate reports the first problem with o, or nil. New calls it; it is
// exported so configuration loaders can check objectives early.
func (o Objective) Validate() error {
	if err := validName(o.Name); err != nil {
		return err
	}
	if !(o.Target > 0 && o.Target < 1) {
		return invalid("Target", o.Target, "must be 0 < Target < 1")
	}
	if err := o.Window.validate(); err != nil {
		return err
	}
	if o.Latency < 0 {
		return invalid("Latency", o.Latency, "must not be negative")
	}
	switch o.Budgeting {
	case Occurrences:
	case Timeslices:
		if err := o.Timeslice.validate(); err != nil {
			return err
		}
	default:
		return invalid("Budgeting", int(o.Budgeting), "must be Occurrences or Timeslices")
	}
	for i, t := range o.Tiers {
		if err := t.validate(fmt.Sprintf("Tiers[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

func validName(name string) error {
	if name == "" || len(name) > maxNameLen {
		return invalid("Name", name, "must be 1 to 128 characters")
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '_' || r == '.' || r == ':' || r == '-'
		if !ok {
			return invalid("Name", name, "allowed characters are [A-Za-z0-9_.:-]")
		}
	}
	return nil
}

func (w Window) validate() error {
	switch {
	case w.Calendar == CalendarNone && w.Rolling == 0:
		return config.Errorf(ErrInvalidConfig, "Window = {}: set Rolling or Calendar")
	case w.Calendar != CalendarNone && w.Rolling != 0:
		return invalid("Window.Rolling", w.Rolling, "must be zero for a calendar window")
	case w.Calendar == CalendarNone:
		if w.Rolling < MinRolling || w.Rolling > MaxRolling || w.Rolling%time.Minute != 0 {
			return invalid("Window.Rolling", w.Rolling, "must be whole minutes from 1h to 366 days")
		}
		if w.Location != nil {
			return invalid("Window.Location", w.Location, "applies to calendar windows only")
		}
	case w.Calendar > CalendarQuarter:
		return invalid("Window.Calendar", int(w.Calendar), "must be CalendarWeek, CalendarMonth or CalendarQuarter")
	}
	return nil
}

func (ts Timeslice) validate() error {
	d := ts.Duration
	if d != 0 && (d < time.Minute || d > time.Hour || d%time.Minute != 0 || time.Hour%d != 0) {
		return invalid("Timeslice.Duration", d, "must be whole minutes dividing an hour (1m to 1h)")
	}
	if math.IsNaN(ts.Target) || ts.Target < 0 || ts.Target > 1 {
		return invalid("Timeslice.Target", ts.Target, "must be 0 < Target <= 1 (0 means the objective's Target)")
	}
	return nil
}

func (t Tier) validate(field string) error {
	switch {
	case t.Severity != SeverityPage && t.Severity != SeverityTicket:
		return invalid(field+".Severity", int(t.Severity), "must be SeverityPage or SeverityTicket")
	case !(t.BudgetPercent > 0 && t.BudgetPercent <= 100):
		return invalid(field+".BudgetPercent", t.BudgetPercent, "must be 0 < BudgetPercent <= 100")
	case t.Short < time.Minute || t.Short%time.Minute != 0:
		return invalid(field+".Short", t.Short, "must be whole minutes, at least 1m")
	case t.Long <= t.Short || t.Long > MaxAlertWindow || t.Long%time.Minute != 0:
		return invalid(field+".Long", t.Long, "must be whole minutes, longer than Short and at most 72h")
	}
	return nil
}
