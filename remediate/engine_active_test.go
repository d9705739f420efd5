package remediate

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// undoAction is a Reverter that records what it did, per target, and can
// be made to fail its undo.
type undoAction struct {
	recordingAction
	undone  []string
	undoErr error
}

func (a *undoAction) Name() string { return "shed" }

func (a *undoAction) Undo(_ context.Context, target string, _ Signal) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.undone = append(a.undone, target)
	return a.undoErr
}

// step is one line of a script: a signal (or, with tick, a TickAt) at
// minute m, and the decisions it must bring, as Decision.String.
type step struct {
	m      int
	s      Signal
	tick   bool
	want   []string
	active int // actions in effect after the step
}

func runScript(t *testing.T, e *Engine, steps []step) {
	t.Helper()
	for i, st := range steps {
		at := engT0.Add(time.Duration(st.m) * time.Minute)
		var ds []Decision
		if st.tick {
			ds = e.TickAt(context.Background(), at)
		} else {
			ds = e.HandleAt(context.Background(), at, st.s)
		}
		var got []string
		for _, d := range ds {
			got = append(got, d.String())
		}
		if !slices.Equal(got, st.want) {
			t.Errorf("step %d (+%dm): decisions %q, want %q", i, st.m, got, st.want)
		}
		if n := len(e.ActiveActions()); n != st.active {
			t.Errorf("step %d (+%dm): %d active actions, want %d: %+v", i, st.m, n, st.active, e.ActiveActions())
		}
	}
}

func alert(obj string, phase Phase, sev Severity) Signal {
	state := "firing"
	if phase == PhaseResolved {
		state = "resolved"
	}
	return Signal{Kind: SignalSLOAlert, Source: obj, Incident: "slo:" + obj, Phase: phase, State: state, Severity: sev}
}

func pagePolicy(act Action, cooldown time.Duration) Policy {
	return Policy{Name: "shed-on-page", Action: act, Cooldown: cooldown,
		Target: func(Signal) string { return "shop" },
		When: Match{Kinds: []SignalKind{SignalSLOAlert},
			Predicate: func(s Signal) bool { return s.Severity == SeverityCritical }}}
}

// One outage of two objectives: the action runs once, is held by both
// incidents, and is reverted once, when the second resolves.
func TestActionLivesAsLongAsItsIncidents(t *testing.T) {
	act := &undoAction{}
	e := mustEngine(t, Config{Policies: []Policy{pagePolicy(act, 5*time.Minute)}})
	const ex, rev = `shed-on-page: shed on "shop": executed`, `shed-on-page: shed on "shop": reverted (resolved)`
	runScript(t, e, []step{
		{m: 0, s: alert("avail", PhaseFiring, SeverityWarning), active: 0},
		{m: 1, s: alert("avail", PhaseFiring, SeverityCritical), want: []string{ex}, active: 1},
		{m: 1, s: alert("avail", PhaseFiring, SeverityCritical), active: 1}, // a repeat: dropped
		{m: 2, s: alert("latency", PhaseFiring, SeverityCritical), active: 1},
		{m: 8, s: alert("avail", PhaseResolved, SeverityCritical), active: 1}, // latency still holds it
		{m: 9, s: alert("latency", PhaseResolved, SeverityCritical), want: []string{rev}, active: 0},
		{m: 9, s: alert("latency", PhaseResolved, SeverityCritical), active: 0}, // a repeat: nothing to revert
	})
	if act.calls() != 1 || !slices.Equal(act.undone, []string{"shop"}) {
		t.Errorf("did %d, undid %v; want once each", act.calls(), act.undone)
	}
}

// A page easing to a ticket no longer matches a page policy: its action
// is reverted though the incident goes on.
func TestActionRevertedWhenItsIncidentEases(t *testing.T) {
	act := &undoAction{}
	e := mustEngine(t, Config{Policies: []Policy{pagePolicy(act, 0)}})
	runScript(t, e, []step{
		{m: 0, s: alert("avail", PhaseFiring, SeverityCritical), want: []string{`shed-on-page: shed on "shop": executed`}, active: 1},
		{m: 20, s: alert("avail", PhaseFiring, SeverityWarning), want: []string{`shed-on-page: shed on "shop": reverted (no_longer_matches)`}, active: 0},
		{m: 90, s: alert("avail", PhaseResolved, SeverityWarning), active: 0},
	})
}

// A revert due before the cooldown has passed waits for it, and the cause
// returning meanwhile cancels it: a flapping alert toggles nothing.
func TestRevertWaitsOutTheCooldown(t *testing.T) {
	act := &undoAction{}
	e := mustEngine(t, Config{Policies: []Policy{pagePolicy(act, 10*time.Minute)}})
	runScript(t, e, []step{
		{m: 0, s: alert("avail", PhaseFiring, SeverityCritical), want: []string{`shed-on-page: shed on "shop": executed`}, active: 1},
		{m: 2, s: alert("avail", PhaseResolved, SeverityCritical), active: 1},
		{m: 3, s: alert("avail", PhaseFiring, SeverityCritical), active: 1}, // back: the pending revert is cancelled
		{m: 10, tick: true, active: 1},
		{m: 11, s: alert("avail", PhaseResolved, SeverityCritical), want: []string{`shed-on-page: shed on "shop": reverted (resolved)`}, active: 0},
	})
	if act.calls() != 1 || len(act.undone) != 1 {
		t.Errorf("did %d, undid %v; want once each", act.calls(), act.undone)
	}
	e = mustEngine(t, Config{Policies: []Policy{pagePolicy(act, 10*time.Minute)}})
	runScript(t, e, []step{
		{m: 0, s: alert("avail", PhaseFiring, SeverityCritical), want: []string{`shed-on-page: shed on "shop": executed`}, active: 1},
		{m: 2, s: alert("avail", PhaseResolved, SeverityCritical), active: 1},
		{m: 9, tick: true, active: 1},
		{m: 10, tick: true, want: []string{`shed-on-page: shed on "shop": reverted (resolved)`}, active: 0},
	})
}

// MaxDuration ends an action whose cause goes on; anomalies end after
// Config.Quiet without another; a dry-run action has a dry-run revert.
func TestMaxDurationQuietAndDryRun(t *testing.T) {
	act := &undoAction{}
	p := pagePolicy(act, 0)
	p.MaxDuration = 30 * time.Minute
	anomalies := Policy{Name: "shed-on-anomaly", Action: act, DryRun: true, When: Match{Kinds: []SignalKind{SignalAnomaly}}}
	e := mustEngine(t, Config{Quiet: 10 * time.Minute, Policies: []Policy{p, anomalies}})
	anomaly := Signal{Kind: SignalAnomaly, Source: "p99", Severity: SeverityInfo}
	runScript(t, e, []step{
		{m: 0, s: alert("avail", PhaseFiring, SeverityCritical), want: []string{`shed-on-page: shed on "shop": executed`}, active: 1},
		{m: 5, s: anomaly, want: []string{`shed-on-anomaly: shed on "p99": dry_run`}, active: 2},
		{m: 12, s: anomaly, active: 2}, // the same anomaly incident, still in effect
		{m: 21, tick: true, active: 2},
		{m: 22, tick: true, want: []string{`shed-on-anomaly: shed on "p99": dry_run revert (quiet)`}, active: 1},
		{m: 30, tick: true, want: []string{`shed-on-page: shed on "shop": reverted (max_duration)`}, active: 0},
		{m: 31, s: alert("avail", PhaseFiring, SeverityCritical), active: 0}, // a repeat of a firing incident: dropped
	})
	if act.calls() != 1 || len(act.undone) != 1 {
		t.Errorf("did %d, undid %v; want the live action once each", act.calls(), act.undone)
	}
}

// A failed undo leaves the action in effect and is tried again after the
// cooldown (at least a minute); Shutdown reverts what is left, unless
// KeepOnShutdown.
func TestFailedUndoRetriesAndShutdownReverts(t *testing.T) {
	act := &undoAction{undoErr: errors.New("shedder gone")}
	e := mustEngine(t, Config{Policies: []Policy{pagePolicy(act, 0)}})
	runScript(t, e, []step{
		{m: 0, s: alert("avail", PhaseFiring, SeverityCritical), want: []string{`shed-on-page: shed on "shop": executed`}, active: 1},
		{m: 5, s: alert("avail", PhaseResolved, SeverityCritical), want: []string{`shed-on-page: shed on "shop": failed revert (action_error)`}, active: 1},
		{m: 5, tick: true, active: 1},
		{m: 6, tick: true, want: []string{`shed-on-page: shed on "shop": failed revert (action_error)`}, active: 1},
	})
	act.undoErr = nil
	runScript(t, e, []step{{m: 7, tick: true, want: []string{`shed-on-page: shed on "shop": reverted (resolved)`}, active: 0}})

	for _, keep := range []bool{false, true} {
		act := &undoAction{}
		e := mustEngine(t, Config{KeepOnShutdown: keep, Policies: []Policy{pagePolicy(act, time.Hour)}})
		handleOne(t, e, engT0, alert("avail", PhaseFiring, SeverityCritical))
		if err := e.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		recs := e.Records()
		last := recs[len(recs)-1]
		if keep {
			if len(act.undone) != 0 || len(e.ActiveActions()) != 1 || len(recs) != 1 {
				t.Errorf("KeepOnShutdown: undone %v, active %v, records %v", act.undone, e.ActiveActions(), recordOutcomes(recs))
			}
			continue
		}
		if len(act.undone) != 1 || len(e.ActiveActions()) != 0 || !last.Revert || last.Reason != ReasonShutdown || last.Outcome != OutcomeReverted {
			t.Errorf("Shutdown: undone %v, active %v, last record %+v", act.undone, e.ActiveActions(), last)
		}
	}
}

// A signal of a kind no policy acts on is not even remembered.
func TestUnwatchedKindsAreNotTracked(t *testing.T) {
	e := mustEngine(t, Config{Policies: []Policy{pagePolicy(&undoAction{}, 0)}})
	for i := range 100 {
		e.HandleAt(context.Background(), engT0, Signal{Kind: SignalAnomaly, Source: string(rune('a' + i))})
	}
	e.mu.Lock()
	n := len(e.incidents)
	e.mu.Unlock()
	if n != 0 {
		t.Errorf("%d incidents remembered for anomalies no policy watches", n)
	}
}

// Anomalies move nothing unless a policy lists them: the zero Match takes
// every other kind.
func TestAnomaliesNeedAPolicyThatAsks(t *testing.T) {
	act := &recordingAction{}
	anyKind := Policy{Name: "any", Action: act}
	e := mustEngine(t, Config{Policies: []Policy{anyKind}})
	anomaly := Signal{Kind: SignalAnomaly, Source: "p99", Severity: SeverityInfo}
	if ds := e.HandleAt(context.Background(), engT0, anomaly); len(ds) != 0 {
		t.Errorf("a zero Match acted on an anomaly: %v", ds)
	}
	if ds := e.HandleAt(context.Background(), engT0, Signal{Kind: SignalCustom, Source: "x"}); len(ds) != 1 {
		t.Errorf("a zero Match did not take a custom signal: %v", ds)
	}
	anyKind.When.Kinds = []SignalKind{SignalAnomaly}
	e = mustEngine(t, Config{Policies: []Policy{anyKind}})
	if ds := e.HandleAt(context.Background(), engT0, anomaly); len(ds) != 1 || ds[0].Outcome != OutcomeExecuted {
		t.Errorf("a policy listing anomalies: %v", ds)
	}
}

// An incident that resolves while its action runs (here the action itself
// reports the recovery) still gets its revert, at the next tick.
func TestResolveDuringTheActionStillReverts(t *testing.T) {
	var e *Engine
	fire := alert("avail", PhaseFiring, SeverityCritical)
	act := ReversibleFunc("shed", func(ctx context.Context, _ string, _ Signal) error {
		e.HandleAt(ctx, engT0, alert("avail", PhaseResolved, SeverityCritical))
		return nil
	}, func(context.Context, string, Signal) error { return nil })
	e = mustEngine(t, Config{Policies: []Policy{pagePolicy(act, 0)}})
	runScript(t, e, []step{
		{m: 0, s: fire, want: []string{`shed-on-page: shed on "shop": executed`}, active: 1},
		{m: 0, tick: true, want: []string{`shed-on-page: shed on "shop": reverted (resolved)`}, active: 0},
	})
}
