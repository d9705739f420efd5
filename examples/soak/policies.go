package main

import (
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/admit"
)

// newEngine builds the policy a new user starts with: shed the sheddable
// traffic while a page alert fires; the engine reverts it when the
// objective's incident resolves (after at least the cooldown). Anomalies
// trigger nothing.
func newEngine(shedder *admit.Shedder) (*remediate.Engine, error) {
	shedders := map[string]remediate.LevelSetter{"shop": shedder}
	shop := func(remediate.Signal) string { return "shop" }
	return remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{
		{
			Name: "shed-on-page",
			When: remediate.Match{
				Kinds: []remediate.SignalKind{remediate.SignalSLOAlert},
				Predicate: func(s remediate.Signal) bool {
					return s.Phase == remediate.PhaseFiring && s.Severity == remediate.SeverityCritical
				},
			},
			Action:   remediate.ShedLevel(admit.Normal, shedders),
			Target:   shop,
			Cooldown: 20 * time.Minute,
		},
	}}, remediate.WithMeterProvider(noop.NewMeterProvider()), remediate.WithAuditLogger(nil))
}
