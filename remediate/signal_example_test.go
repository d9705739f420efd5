package remediate_test

import (
	"context"
	"fmt"
	"time"

	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/slo"
)

// One outage fires an objective's four alert tiers and resolves them one
// by one; policies see three signals: firing (critical), easing to a
// ticket (warning), resolved.
func ExampleSLOIncidents() {
	t := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	page1h := slo.Tier{Severity: slo.SeverityPage, Long: time.Hour, Short: 5 * time.Minute}
	page6h := slo.Tier{Severity: slo.SeverityPage, Long: 6 * time.Hour, Short: 30 * time.Minute}
	ticket1d := slo.Tier{Severity: slo.SeverityTicket, Long: 24 * time.Hour, Short: 2 * time.Hour}
	ticket3d := slo.Tier{Severity: slo.SeverityTicket, Long: 72 * time.Hour, Short: 6 * time.Hour}
	var f remediate.SLOIncidents
	for i, tr := range []struct {
		tier   slo.Tier
		firing bool
	}{
		{page1h, true}, {page6h, true}, {ticket1d, true}, {ticket3d, true},
		{page1h, false}, {page6h, false}, {ticket1d, false}, {ticket3d, false},
	} {
		ev := slo.AlertEvent{Objective: "checkout", Tier: tr.tier, Firing: tr.firing, At: t.Add(time.Duration(i) * time.Minute)}
		if s, ok := f.Signal(ev); ok {
			fmt.Println(i, s.Incident, s.Phase, s.Severity, s.Attributes["tier"])
		}
	}
	// Output:
	// 0 slo:checkout firing critical page
	// 5 slo:checkout firing warning ticket
	// 7 slo:checkout resolved warning ticket
}

// A user action that changes state supplies its undo; the engine runs it
// when the incident that caused the action resolves.
func ExampleReversibleFunc() {
	failover := remediate.ReversibleFunc("failover",
		func(_ context.Context, target string, _ remediate.Signal) error {
			fmt.Println("route", target, "to the standby")
			return nil
		},
		func(_ context.Context, target string, _ remediate.Signal) error {
			fmt.Println("route", target, "back to the primary")
			return nil
		})
	e, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name:   "failover-on-db-down",
		When:   remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalCustom}},
		Action: failover,
		Target: func(remediate.Signal) string { return "orders-db" },
	}}}, remediate.WithAuditLogger(nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, t := context.Background(), time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	down := remediate.Signal{Source: "orders-db", Incident: "db-outage-42", Phase: remediate.PhaseFiring, Severity: remediate.SeverityCritical}
	for _, d := range e.HandleAt(ctx, t, down) {
		fmt.Println(d)
	}
	up := remediate.Signal{Source: "orders-db", Incident: "db-outage-42", Phase: remediate.PhaseResolved}
	for _, d := range e.HandleAt(ctx, t.Add(20*time.Minute), up) {
		fmt.Println(d)
	}
	// Output:
	// route orders-db to the standby
	// failover-on-db-down: failover on "orders-db": executed
	// route orders-db back to the primary
	// failover-on-db-down: failover on "orders-db": reverted (resolved)
}
