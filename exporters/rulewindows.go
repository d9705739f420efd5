package exporters

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nines-sre/nines/slo"
)

// step is the resolution of the generated rules: increments are recorded
// over 5 minutes and every longer window is a sum of them, so every window
// must be a multiple of step.
const step = 5 * time.Minute

// standardWindows are the windows the in-process objective reports in
// Status and in slo.burn_rate{slo.window}; the rules record the same ones
// (those not longer than the period) so both views line up.
var standardWindows = []time.Duration{
	5 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour,
	6 * time.Hour, 24 * time.Hour, 72 * time.Hour,
}

// nominalPeriod is the period used for burn-rate factors: the rolling
// length, or for calendar windows the nominal length of the unit (7, 30 or
// 90 days), which is what the thresholds are derived from.
func nominalPeriod(w slo.Window) time.Duration {
	if w.Rolling > 0 {
		return w.Rolling
	}
	switch w.Calendar {
	case slo.CalendarWeek:
		return 7 * 24 * time.Hour
	case slo.CalendarMonth:
		return 30 * 24 * time.Hour
	case slo.CalendarQuarter:
		return 90 * 24 * time.Hour
	}
	return 0
}

// defaultTiers is the SRE Workbook multiwindow multi-burn-rate set: page on
// 2% of the budget in 1h (confirmed over 5m) or 5% in 6h (30m); ticket on
// 10% in 1d (2h) or 10% in 3d (6h).
func defaultTiers() []slo.Tier {
	return []slo.Tier{
		{Severity: slo.SeverityPage, BudgetPercent: 2, Long: time.Hour, Short: 5 * time.Minute},
		{Severity: slo.SeverityPage, BudgetPercent: 5, Long: 6 * time.Hour, Short: 30 * time.Minute},
		{Severity: slo.SeverityTicket, BudgetPercent: 10, Long: 24 * time.Hour, Short: 2 * time.Hour},
		{Severity: slo.SeverityTicket, BudgetPercent: 10, Long: 72 * time.Hour, Short: 6 * time.Hour},
	}
}

// burnFactor is the burn rate above which a tier fires:
// BudgetPercent/100 x period / Long.
func burnFactor(t slo.Tier, period time.Duration) float64 {
	return t.BudgetPercent / 100 * float64(period) / float64(t.Long)
}

// windowsFor lists, ascending and without duplicates, the windows recorded
// for an objective: the standard ones up to period, every tier window, and
// period itself when includePeriod.
func windowsFor(tiers []slo.Tier, period time.Duration, includePeriod bool) []time.Duration {
	var ws []time.Duration
	for _, w := range standardWindows {
		if w <= period {
			ws = append(ws, w)
		}
	}
	for _, t := range tiers {
		ws = append(ws, t.Long, t.Short)
	}
	if includePeriod {
		ws = append(ws, period)
	}
	slices.Sort(ws)
	return slices.Compact(ws)
}

// windowLabel names a window the way slo.window does: one unit, the largest
// that divides it (5m, 1h, 3d, 30d).
func windowLabel(d time.Duration) string {
	for _, u := range []struct {
		d time.Duration
		s string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if d%u.d == 0 {
			return strconv.FormatInt(int64(d/u.d), 10) + u.s
		}
	}
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}

// promDuration writes d as a PromQL duration with compound units
// (29d23h59m59s999ms); Prometheus 2.x parses these, and its model.Duration
// has millisecond resolution, so d is truncated to milliseconds.
func promDuration(d time.Duration) string {
	if d < time.Millisecond {
		return "0s"
	}
	var b strings.Builder
	for _, u := range []struct {
		d time.Duration
		s string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}} {
		if n := d / u.d; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10))
			b.WriteString(u.s)
			d -= n * u.d
		}
	}
	return b.String()
}

// formatFloat prints a threshold or budget with 12 significant digits, so
// float noise (1-0.999 = 0.0010000000000000009) does not reach the rules.
func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'g', 12, 64)
}
