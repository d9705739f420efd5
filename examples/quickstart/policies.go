package main

import (
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/admit"
)

// newEngine builds the demo's remediation policies. Each action has a
// lifetime: the engine reverts it when the incident that caused it ends,
// so no policy has to undo another.
//
//   - drain-on-inventory-down (dry run): when the inventory check fails,
//     withdrawing this instance's readiness is what a cautious operator
//     would try first; the demo only records the decision, and its
//     (dry-run) revert when the check passes again.
//   - trial-shed-below-critical (dry run): a harsher policy on trial
//     beside the live one; on a page alert it records that it would shed
//     everything but critical traffic, and does nothing.
//   - shed-on-page: when an objective's alert reaches page severity, shed
//     the traffic below normal (recommendations) to protect the rest;
//     executed. It stops shedding when the page ends, or after
//     MaxDuration: a page's 30-minute window keeps it open for half an
//     hour after the fix, longer than shedding is worth.
//
// Policies are evaluated in order, so a page shows the dry run, then the
// executed action. The Monitor hands the engine every signal and tick at
// its (accelerated) SLO clock, so cooldowns and lifetimes are in SLO time.
func newEngine(reg *health.Registry, shedder *admit.Shedder, mp metric.MeterProvider) (*remediate.Engine, error) {
	const (
		cooldown = 10 * time.Minute // on the SLO clock
		maxShed  = 20 * time.Minute
	)
	self := func(remediate.Signal) string { return "self" }
	shop := func(remediate.Signal) string { return "shop" }
	shedders := map[string]remediate.LevelSetter{"shop": shedder}
	// An objective's four alert tiers reach the engine as one stream:
	// firing at warning (tickets) or critical (a page), then resolved.
	page := remediate.Match{
		Kinds:     []remediate.SignalKind{remediate.SignalSLOAlert},
		Predicate: func(s remediate.Signal) bool { return s.Severity == remediate.SeverityCritical },
	}
	return remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{
		{
			Name: "drain-on-inventory-down",
			When: remediate.Match{
				Kinds:     []remediate.SignalKind{remediate.SignalHealthStatus},
				Predicate: func(s remediate.Signal) bool { return s.Source == "inventory" && s.State == "fail" },
			},
			Action:   remediate.Drain(map[string]remediate.Drainer{"self": reg}),
			Target:   self,
			Cooldown: cooldown,
			DryRun:   true,
		},
		{
			Name:     "trial-shed-below-critical",
			When:     page,
			Action:   remediate.ShedLevel(admit.Critical, shedders),
			Target:   shop,
			Cooldown: cooldown,
			DryRun:   true,
		},
		{
			Name:        "shed-on-page",
			When:        page,
			Action:      remediate.ShedLevel(admit.Normal, shedders),
			Target:      shop,
			Cooldown:    cooldown,
			MaxDuration: maxShed,
		},
	}},
		remediate.WithMeterProvider(mp),
		// The timeline prints every decision and /statusz keeps the
		// recent audit; a log line each would say it twice.
		remediate.WithAuditLogger(nil))
}
