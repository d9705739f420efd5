package main

import (
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/admit"
)

// newEngine builds the demo's remediation policies:
//
//   - drain-on-inventory-down (dry run): when the inventory check fails,
//     withdrawing this instance's readiness is what a cautious operator
//     would try first; the demo only records the decision.
//   - trial-shed-all-but-critical (dry run): a harsher policy on trial
//     beside the live one; on a page alert it records that it would shed
//     everything but critical traffic, and does nothing.
//   - shed-on-page: when a page-severity burn-rate alert fires, shed the
//     sheddable traffic (recommendations) to protect the rest. Executed.
//
// Policies are evaluated in order, so a page alert shows the dry run, then
// the executed action.
//   - unshed-on-recovery: when the inventory check passes again while
//     shedding, stop shedding. Executed.
//
// The engine's guard rails run on each signal's own time: SLO alerts carry
// the Monitor's (accelerated) SLO clock, health changes the wall clock, so
// the page policies' cooldown is in SLO time and the health policy's in
// wall time.
func newEngine(reg *health.Registry, shedder *admit.Shedder, mp metric.MeterProvider, healthCooldown time.Duration) (*remediate.Engine, error) {
	const pageCooldown = 20 * time.Minute // on the SLO clock
	self := func(remediate.Signal) string { return "self" }
	shop := func(remediate.Signal) string { return "shop" }
	shedders := map[string]remediate.LevelSetter{"shop": shedder}
	pageAlert := remediate.Match{
		Kinds: []remediate.SignalKind{remediate.SignalSLOAlert},
		Predicate: func(s remediate.Signal) bool {
			return s.State == "firing" && s.Severity == remediate.SeverityCritical
		},
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
			Cooldown: healthCooldown,
			DryRun:   true,
		},
		{
			Name:     "trial-shed-all-but-critical",
			When:     pageAlert,
			Action:   remediate.ShedLevel(admit.Critical, shedders),
			Target:   shop,
			Cooldown: pageCooldown,
			DryRun:   true,
		},
		{
			Name:     "shed-on-page",
			When:     pageAlert,
			Action:   remediate.ShedLevel(admit.Normal, shedders),
			Target:   shop,
			Cooldown: pageCooldown,
		},
		{
			Name: "unshed-on-recovery",
			When: remediate.Match{
				Kinds: []remediate.SignalKind{remediate.SignalHealthStatus},
				Predicate: func(s remediate.Signal) bool {
					return s.Source == "inventory" && s.State == "pass" && shedder.Level() > admit.Sheddable
				},
			},
			Action: remediate.ShedLevel(admit.Sheddable, shedders),
			Target: shop,
		},
	}},
		remediate.WithMeterProvider(mp),
		// The timeline prints every decision and /statusz keeps the
		// recent audit; a log line each would say it twice.
		remediate.WithAuditLogger(nil))
}
