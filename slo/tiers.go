package slo

import (
	"math"
	"strconv"
	"time"
)

// Nominal lengths of calendar periods, used for alert tier factors. A
// calendar month is treated as 30 days and a quarter as 90 days for tier
// thresholds, so a monthly objective alerts exactly like a rolling 30-day
// one (as Sloth and Pyrra do). Budget accounting, in contrast, uses the
// current period's actual length (28 to 31 days, DST included).
const (
	nominalWeek    = 7 * 24 * time.Hour
	nominalMonth   = 30 * 24 * time.Hour
	nominalQuarter = 90 * 24 * time.Hour
)

// Period is the nominal length of the window: Rolling for a rolling window,
// 7, 30 or 90 days for a calendar week, month or quarter. It is the period
// DefaultTiers and Tier.BurnRateThreshold use. It returns 0 for an invalid
// window.
func (w Window) Period() time.Duration {
	if w.Calendar == CalendarNone {
		return w.Rolling
	}
	switch w.Calendar {
	case CalendarWeek:
		return nominalWeek
	case CalendarMonth:
		return nominalMonth
	case CalendarQuarter:
		return nominalQuarter
	}
	return 0
}

// DefaultTiers returns the SRE Workbook multiwindow multi-burn-rate alert
// set for a period: page when 2% of the budget burns within 1h (confirmed
// over 5m) or 5% within 6h (30m); ticket when 10% burns within 1d (2h) or
// 10% within 3d (6h). The thresholds are derived, not fixed: for 30 days
// they are 14.4, 6, 3 and 1; for 28 days 13.44, 5.6, 2.8 and 0.9333.
//
// Tiers whose long window exceeds the period are left out (a 1-day
// objective gets no 3-day ticket). The returned slice is fresh; callers may
// modify it.
func DefaultTiers(period time.Duration) []Tier {
	all := []Tier{
		{Severity: SeverityPage, BudgetPercent: 2, Long: time.Hour, Short: 5 * time.Minute},
		{Severity: SeverityPage, BudgetPercent: 5, Long: 6 * time.Hour, Short: 30 * time.Minute},
		{Severity: SeverityTicket, BudgetPercent: 10, Long: 24 * time.Hour, Short: 2 * time.Hour},
		{Severity: SeverityTicket, BudgetPercent: 10, Long: 3 * 24 * time.Hour, Short: 6 * time.Hour},
	}
	tiers := all[:0]
	for _, t := range all {
		if t.Long <= period {
			tiers = append(tiers, t)
		}
	}
	return tiers
}

// BurnRateThreshold is the burn rate both windows must exceed (strictly)
// for the tier to fire: BudgetPercent/100 x period / Long. It returns 0
// when Long is not positive.
func (t Tier) BurnRateThreshold(period time.Duration) float64 {
	if t.Long <= 0 {
		return 0
	}
	return t.BudgetPercent / 100 * float64(period) / float64(t.Long)
}

// AlertTiers returns the tiers the objective alerts on: a copy of Tiers,
// or DefaultTiers of the window's Period when Tiers is nil. Rule
// generators use it to agree with New.
func (o Objective) AlertTiers() []Tier {
	if o.Tiers == nil {
		return DefaultTiers(o.Window.Period())
	}
	return append([]Tier{}, o.Tiers...)
}

// MinEventCount is the number of events each of the tier's windows must
// hold for the tier to fire: MinEvents when set, otherwise the smallest n
// with 1/(n x (1-target)) <= B, B the tier's burn-rate threshold for
// period; that is ceil(1/(B x (1-target))). Below it a single bad event is
// by itself a burn rate above the threshold, so the alert would report
// one unlucky request, not a burn. For 99.9% over 30 days the defaults are
// 70 (1h/5m page, B 14.4), 167 (6h/30m, B 6), 334 (1d/2h, B 3) and 1000
// (3d/6h, B 1); for 99% they are 7, 17, 34 and 100.
//
// A firing tier then needs at least two bad events in each window, and a
// full outage still pages as soon as the short window holds the minimum:
// at 0.25 requests per second a 99.9% objective's 1h/5m tier can page, at
// 0.1 requests per second only the 6h/30m tier can, which is as fast as
// such traffic can tell a burn from noise.
func (t Tier) MinEventCount(target float64, period time.Duration) uint64 {
	if t.MinEvents > 0 {
		return t.MinEvents
	}
	b := t.BurnRateThreshold(period)
	if !(b > 0) || !(target < 1) {
		return 1
	}
	// Rounded to 9 significant digits first, so float noise
	// (1/(1 x 0.0010000000000000009) = 999.9999999999991) does not move
	// the ceiling.
	n, _ := strconv.ParseFloat(strconv.FormatFloat(1/(b*(1-target)), 'g', 9, 64), 64)
	return max(1, uint64(math.Ceil(n)))
}
