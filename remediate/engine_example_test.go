package remediate_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nines-sre/nines/remediate"

	"github.com/nines-sre/nines/remediate/breaker"
)

// A health check flapping between fail and pass: the policy opens the
// dependency's breaker once, keeps it open while the check flaps within
// the cooldown, and hands it back to its trip policy once the check has
// passed for good (the revert waits out the cooldown, then the tick runs
// it).
func ExampleEngine() {
	payments := &printingModeSetter{}
	e, err := remediate.NewEngine(remediate.Config{
		Policies: []remediate.Policy{{
			Name: "open-breaker-on-fail",
			When: remediate.Match{
				Kinds:     []remediate.SignalKind{remediate.SignalHealthStatus},
				Predicate: func(s remediate.Signal) bool { return s.State == "fail" },
			},
			Action:   remediate.BreakerMode(breaker.ModeForcedOpen, map[string]remediate.ModeSetter{"payments": payments}),
			Cooldown: 5 * time.Minute,
		}},
	}, remediate.WithAuditLogger(nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	t := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ctx := context.Background()
	for i, state := range []string{"fail", "pass", "fail", "pass", "", "", ""} {
		at := t.Add(time.Duration(i) * time.Minute)
		var ds []remediate.Decision
		switch state {
		case "fail": // SignalFromHealth(health.Change) builds these
			ds = e.HandleAt(ctx, at, remediate.Signal{Kind: remediate.SignalHealthStatus, Source: "payments",
				State: state, Phase: remediate.PhaseFiring, Severity: remediate.SeverityCritical})
		case "pass":
			ds = e.HandleAt(ctx, at, remediate.Signal{Kind: remediate.SignalHealthStatus, Source: "payments",
				State: state, Phase: remediate.PhaseResolved})
		default:
			ds = e.TickAt(ctx, at)
		}
		for _, d := range ds {
			fmt.Println(i, d)
		}
	}
	// Output:
	// breaker payments -> forced_open
	// 0 open-breaker-on-fail: breaker_forced_open on "payments": executed
	// breaker payments -> normal
	// 5 open-breaker-on-fail: breaker_forced_open on "payments": reverted (resolved)
}

type printingModeSetter struct{}

func (printingModeSetter) SetMode(m breaker.Mode) { fmt.Println("breaker payments ->", m) }

// A critical action waits for an approver; here the approver refuses, and
// the audit shows both steps.
func ExampleApprover() {
	ran := false
	e, err := remediate.NewEngine(remediate.Config{
		Approver: remediate.ApproverFunc(func(ctx context.Context, req remediate.Request) (remediate.Approval, error) {
			fmt.Printf("approve %s on %s? (audit seq %d)\n", req.Action, req.Target, req.Seq)
			return remediate.Approval{Approved: false, By: "oncall@example.com"}, nil
		}),
		ApprovalTimeout: time.Minute, // no answer by then means deny
		Policies: []remediate.Policy{{
			Name:     "failover-on-page",
			When:     remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalSLOAlert}},
			Action:   remediate.Func("failover", func(context.Context, string, remediate.Signal) error { ran = true; return nil }),
			Critical: true,
		}},
	}, remediate.WithAuditLogger(nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	// slo: Signal{Kind: SignalSLOAlert, Source: objective, State: "firing", Severity: SeverityCritical, Value: burnRate}
	s := remediate.Signal{Kind: remediate.SignalSLOAlert, Source: "checkout", State: "firing", Severity: remediate.SeverityCritical, Value: 14.4}
	d := e.HandleAt(context.Background(), time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), s)[0]
	fmt.Println(d.Outcome, d.Reason, d.Approver, "ran:", ran)
	for _, r := range e.Records() {
		fmt.Println(r.Seq, r.Outcome, r.Reason)
	}
	// Output:
	// approve failover on checkout? (audit seq 1)
	// denied approval_refused oncall@example.com ran: false
	// 1 awaiting_approval approval_required
	// 2 denied approval_refused
}

// Dry run: the whole decision path and the audit, without the action. A
// Func cannot be undone, and its decisions say so.
func ExamplePolicy_dryRun() {
	e, err := remediate.NewEngine(remediate.Config{
		Policies: []remediate.Policy{{
			Name:        "drain-on-anomaly",
			When:        remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalAnomaly}},
			Action:      remediate.Func("drain", func(context.Context, string, remediate.Signal) error { panic("not in a dry run") }),
			Pool:        []string{"pod-a", "pod-b", "pod-c"},
			BlastRadius: remediate.BlastRadius{MaxPercent: 50, Window: time.Hour},
			DryRun:      true,
		}},
	}, remediate.WithAuditLogger(nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	t := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, pod := range []string{"pod-a", "pod-b", "pod-x"} {
		// detect: Signal{Kind: SignalAnomaly, Source: series, Target: instance, State: "anomaly", Value: score}
		s := remediate.Signal{Kind: remediate.SignalAnomaly, Source: "latency_p99", Target: pod, State: "anomaly", Value: 0.97}
		d := e.HandleAt(context.Background(), t, s)[0]
		fmt.Println(d)
	}
	// Output:
	// drain-on-anomaly: drain on "pod-a": dry_run (irreversible)
	// drain-on-anomaly: drain on "pod-b": rate_limited (blast_radius)
	// drain-on-anomaly: drain on "pod-x": denied (not_in_pool)
}

// The audit written as JSON lines verifies; altering one line is caught,
// and the error names the record.
func ExampleVerifyJSONLines() {
	var log bytes.Buffer
	e, err := remediate.NewEngine(remediate.Config{
		Policies: []remediate.Policy{{Name: "restart", Action: remediate.Func("restart", func(context.Context, string, remediate.Signal) error {
			return nil
		}), Cooldown: time.Minute}},
	}, remediate.WithAuditWriter(&log), remediate.WithAuditLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		fmt.Println(err)
		return
	}
	t := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		e.HandleAt(context.Background(), t.Add(time.Duration(i)*time.Second), remediate.Signal{Source: "api"})
	}
	fmt.Println("intact:", remediate.VerifyJSONLines(bytes.NewReader(log.Bytes())))

	forged := strings.Replace(log.String(), `"outcome":"rate_limited","reason":"cooldown"`, `"outcome":"denied"`, 1)
	err = remediate.VerifyJSONLines(strings.NewReader(forged))
	var ve *remediate.VerifyError
	fmt.Println("forged:", errors.Is(err, remediate.ErrAuditTampered), errors.As(err, &ve), ve.Index, ve.Seq)
	// Output:
	// intact: <nil>
	// forged: true true 1 2
}
