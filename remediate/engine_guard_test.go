package remediate

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// A signal flapping between fail and pass every 5 s for 10 minutes acts at
// most once per cooldown window, and exactly at the instants the cooldown
// allows.
func TestFlappingSignalActsAtMostOncePerCooldown(t *testing.T) {
	act := &recordingAction{}
	e := mustEngine(t, Config{Policies: []Policy{{
		Name:     "restart-on-fail",
		When:     Match{Kinds: []SignalKind{SignalHealthStatus}, Predicate: func(s Signal) bool { return s.State == "fail" }},
		Action:   act,
		Cooldown: time.Minute,
	}}})
	var executedAt []time.Time
	for i := range 120 {
		at := engT0.Add(time.Duration(i) * 5 * time.Second)
		state := "pass"
		if i%2 == 0 {
			state = "fail"
		}
		ds := e.HandleAt(context.Background(), at, Signal{Kind: SignalHealthStatus, Source: "db", State: state})
		if state == "pass" {
			if len(ds) != 0 {
				t.Fatalf("pass signal matched: %+v", ds)
			}
			continue
		}
		d := ds[0]
		switch d.Outcome {
		case OutcomeExecuted:
			executedAt = append(executedAt, at)
		case OutcomeRateLimited:
			if d.Reason != ReasonCooldown {
				t.Fatalf("at %v: reason %q, want cooldown", at, d.Reason)
			}
		default:
			t.Fatalf("at %v: outcome %v", at, d.Outcome)
		}
	}
	if len(executedAt) != 10 || act.calls() != 10 {
		t.Fatalf("executed %d times (action ran %d), want 10", len(executedAt), act.calls())
	}
	for i := 1; i < len(executedAt); i++ {
		if gap := executedAt[i].Sub(executedAt[i-1]); gap < time.Minute {
			t.Errorf("actions %d and %d only %v apart, cooldown is 1m", i-1, i, gap)
		}
	}
}

// With many targets flapping and no cooldown, the global budget bounds the
// actions in every window: at most Actions + Actions*d/Per in any interval
// of length d.
func TestBudgetBoundsFlappingAcrossTargets(t *testing.T) {
	act := &recordingAction{}
	b := Budget{Actions: 3, Per: time.Minute}
	e := mustEngine(t, Config{Budget: b, Policies: []Policy{{Name: "p", Action: act}}})
	var times []time.Time
	for i := range 600 { // one signal per second, each on its own target
		at := engT0.Add(time.Duration(i) * time.Second)
		d := handleOne(t, e, at, Signal{Source: fmt.Sprintf("pod-%d", i)})
		if d.Outcome == OutcomeExecuted {
			times = append(times, at)
		} else if d.Reason != ReasonBudget {
			t.Fatalf("at %v: %v/%s, want budget", at, d.Outcome, d.Reason)
		}
	}
	// 3 at once, then one every 20 s: 3 + 599/20 = 32.
	if len(times) != 32 {
		t.Errorf("executed %d, want 32", len(times))
	}
	for i := range times {
		for j := i; j < len(times); j++ {
			d := times[j].Sub(times[i])
			limit := b.Actions + int(float64(b.Actions)*d.Seconds()/b.Per.Seconds())
			if n := j - i + 1; n > limit {
				t.Fatalf("%d actions within %v, bound %d", n, d, limit)
			}
		}
	}
}

func TestBudgetScript(t *testing.T) {
	act := &recordingAction{}
	live := &recordingAction{name: "live"}
	e := mustEngine(t, Config{Budget: Budget{Actions: 2, Per: time.Minute}, Policies: []Policy{
		{Name: "dry", Action: act, DryRun: true, When: Match{Kinds: []SignalKind{SignalAnomaly}}},
		{Name: "live", Action: live, When: Match{Kinds: []SignalKind{SignalCustom}}},
	}})
	steps := []struct {
		at     time.Duration
		kind   SignalKind
		target string
		want   string
	}{
		{0, SignalCustom, "a", "executed"},
		{0, SignalCustom, "b", "executed"},
		{0, SignalCustom, "c", "rate_limited/budget"},
		// Dry runs spend a shadow budget: they never starve live policies.
		{0, SignalAnomaly, "x", "dry_run"},
		{0, SignalAnomaly, "y", "dry_run"},
		{0, SignalAnomaly, "z", "rate_limited/budget"},
		{29 * time.Second, SignalCustom, "d", "rate_limited/budget"},
		{30 * time.Second, SignalCustom, "d", "executed"},
		{31 * time.Second, SignalCustom, "e", "rate_limited/budget"},
		{90 * time.Second, SignalCustom, "f", "executed"},
		{90 * time.Second, SignalCustom, "g", "executed"}, // 60 s refilled the whole bucket
		{90 * time.Second, SignalCustom, "h", "rate_limited/budget"},
	}
	for i, s := range steps {
		d := handleOne(t, e, engT0.Add(s.at), Signal{Kind: s.kind, Target: s.target})
		got := d.Outcome.String()
		if d.Reason != "" {
			got += "/" + d.Reason
		}
		if got != s.want {
			t.Errorf("step %d (%v %s): %s, want %s", i, s.at, s.target, got, s.want)
		}
	}
	if act.calls() != 0 || live.calls() != 5 {
		t.Errorf("dry action ran %d times (want 0), live %d (want 5)", act.calls(), live.calls())
	}
}

func TestCooldownIsPerPolicyAndTarget(t *testing.T) {
	a, b := &recordingAction{name: "a"}, &recordingAction{name: "b"}
	e := mustEngine(t, Config{Policies: []Policy{
		{Name: "pa", Action: a, Cooldown: time.Minute},
		{Name: "pb", Action: b, Cooldown: 2 * time.Minute},
	}})
	steps := []struct {
		at     time.Duration
		target string
		want   [2]string
	}{
		{0, "x", [2]string{"executed", "executed"}},
		{0, "y", [2]string{"executed", "executed"}},
		{59 * time.Second, "x", [2]string{"rate_limited/cooldown", "rate_limited/cooldown"}},
		{60 * time.Second, "x", [2]string{"executed", "rate_limited/cooldown"}},
		{120 * time.Second, "x", [2]string{"executed", "executed"}},
		{100 * time.Second, "y", [2]string{"executed", "rate_limited/cooldown"}}, // time went backwards for x only
		{119 * time.Second, "x", [2]string{"rate_limited/cooldown", "rate_limited/cooldown"}},
	}
	for i, s := range steps {
		ds := e.HandleAt(context.Background(), engT0.Add(s.at), Signal{Target: s.target})
		for j, d := range ds {
			got := d.Outcome.String()
			if d.Reason != "" {
				got += "/" + d.Reason
			}
			if got != s.want[j] {
				t.Errorf("step %d policy %s: %s, want %s", i, d.Policy, got, s.want[j])
			}
		}
	}
}

func TestPoolDeniesUnknownTargets(t *testing.T) {
	act := &recordingAction{}
	e := mustEngine(t, Config{Policies: []Policy{{
		Name: "p", Action: act, Pool: []string{"a", "b"},
		Target: func(s Signal) string { return s.Attributes["pod"] },
	}}})
	d := handleOne(t, e, engT0, Signal{Source: "a", Attributes: map[string]string{"pod": "c"}})
	if d.Outcome != OutcomeDenied || d.Reason != ReasonNotInPool || d.Target != "c" {
		t.Errorf("decision %+v, want denied/not_in_pool on c", d)
	}
	d = handleOne(t, e, engT0, Signal{Source: "c", Attributes: map[string]string{"pod": "b"}})
	if d.Outcome != OutcomeExecuted || d.Target != "b" {
		t.Errorf("decision %+v, want executed on b", d)
	}
	if act.calls() != 1 {
		t.Errorf("action ran %d times, want 1", act.calls())
	}
}

func TestPanickingPredicateAndTargetAreContained(t *testing.T) {
	act := &recordingAction{}
	e := mustEngine(t, Config{Policies: []Policy{
		{Name: "pred", Action: act, When: Match{Predicate: func(Signal) bool { panic("boom") }}},
		{Name: "target", Action: act, Target: func(Signal) string { panic("boom") }},
	}})
	ds := e.HandleAt(context.Background(), engT0, Signal{})
	if len(ds) != 1 || ds[0].Policy != "target" || ds[0].Outcome != OutcomeDenied || ds[0].Reason != ReasonTargetError {
		t.Fatalf("decisions %+v, want one denied/target_error", ds)
	}
	if act.calls() != 0 {
		t.Errorf("action ran")
	}
}

// Concurrent signals for the same (policy, target) pass the cooldown once:
// the guard rails are checked and committed in one critical section.
func TestConcurrentSignalsPassCooldownOnce(t *testing.T) {
	act := &recordingAction{}
	e := mustEngine(t, Config{Policies: []Policy{{Name: "p", Action: act, Cooldown: time.Hour}}})
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() { e.HandleAt(context.Background(), engT0, Signal{Source: "db"}) })
	}
	wg.Wait()
	if act.calls() != 1 {
		t.Errorf("action ran %d times, want 1", act.calls())
	}
	if err := Verify(e.Records()); err != nil {
		t.Errorf("Verify after concurrent appends: %v", err)
	}
	if n := len(e.Records()); n != 16 {
		t.Errorf("%d records, want 16", n)
	}
}

// Without a Pool, cooldown memory is bounded: expired targets are forgotten.
func TestCooldownForgetsExpiredTargets(t *testing.T) {
	e := mustEngine(t, Config{Policies: []Policy{{Name: "p", Action: &recordingAction{}, Cooldown: time.Second}}})
	for i := range 1000 {
		handleOne(t, e, engT0.Add(time.Duration(i)*time.Second), Signal{Source: fmt.Sprint(i)})
	}
	if n := len(e.policies[0].cooldown.last); n > 128 {
		t.Errorf("cooldown remembers %d targets after 1000 expired ones, want <= 128", n)
	}
}
