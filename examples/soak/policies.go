package main

import (
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/admit"
)

// newEngine builds the policies a new user starts with: shed the sheddable
// traffic while a page alert fires, and stop shedding when it resolves.
// Anomalies trigger nothing.
func newEngine(shedder *admit.Shedder) (*remediate.Engine, error) {
	shedders := map[string]remediate.LevelSetter{"shop": shedder}
	shop := func(remediate.Signal) string { return "shop" }
	page := func(state string) remediate.Match {
		return remediate.Match{
			Kinds: []remediate.SignalKind{remediate.SignalSLOAlert},
			Predicate: func(s remediate.Signal) bool {
				return s.State == state && s.Severity == remediate.SeverityCritical
			},
		}
	}
	return remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{
		{
			Name:     "shed-on-page",
			When:     page("firing"),
			Action:   remediate.ShedLevel(admit.Normal, shedders),
			Target:   shop,
			Cooldown: 20 * time.Minute,
		},
		{
			Name: "unshed-on-resolve",
			When: remediate.Match{
				Kinds: []remediate.SignalKind{remediate.SignalSLOAlert},
				Predicate: func(s remediate.Signal) bool {
					return s.State == "ok" && s.Severity == remediate.SeverityCritical && shedder.Level() > admit.Sheddable
				},
			},
			Action: remediate.ShedLevel(admit.Sheddable, shedders),
			Target: shop,
		},
	}}, remediate.WithMeterProvider(noop.NewMeterProvider()), remediate.WithAuditLogger(nil))
}
