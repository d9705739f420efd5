// Package samples holds the objectives the rules in exporters/testdata are
// generated from: the ones the promtool test (testdata/rules_test.yml)
// drives, and the ones CI checks with promtool.
package samples

import (
	"time"

	"github.com/nines-sre/nines/slo"
)

// Objectives returns one objective of each kind the rules support:
// "checkout" (99.9% of requests over a rolling 30 days, default tiers; the
// promtool test's outage stream), "search-latency" (99% of requests within
// 300ms over 28 days; idle in the test), and "billing-monthly" (99.5% over
// the calendar month, custom tiers) and "quiet-api" (99.9% over 30 days,
// the test's low-traffic stream, which the guard keeps silent).
func Objectives() []slo.Objective {
	const day = 24 * time.Hour
	return []slo.Objective{
		{Name: "checkout", Target: 0.999, Window: slo.Window{Rolling: 30 * day}},
		{Name: "search-latency", Target: 0.99, Window: slo.Window{Rolling: 28 * day}, Latency: 300 * time.Millisecond},
		{
			Name: "billing-monthly", Target: 0.995,
			Window: slo.Window{Calendar: slo.CalendarMonth, Location: time.UTC},
			Tiers: []slo.Tier{
				{Severity: slo.SeverityPage, BudgetPercent: 5, Long: time.Hour, Short: 5 * time.Minute},
				{Severity: slo.SeverityTicket, BudgetPercent: 20, Long: 3 * day, Short: 6 * time.Hour},
			},
		},
		{Name: "quiet-api", Target: 0.999, Window: slo.Window{Rolling: 30 * day}},
	}
}
