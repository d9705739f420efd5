package remediate

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

func TestActionFailureIsRecordedNotFatal(t *testing.T) {
	boom := errors.New("restart refused")
	tests := []struct {
		name       string
		fn         func(context.Context, string, Signal) error
		want       DecisionOutcome
		wantReason string
		wantErr    string
	}{
		{"ok", func(context.Context, string, Signal) error { return nil }, OutcomeExecuted, "", ""},
		{"error", func(context.Context, string, Signal) error { return boom }, OutcomeFailed, ReasonActionError, "restart refused"},
		{"panic", func(context.Context, string, Signal) error { panic("boom") }, OutcomeFailed, ReasonActionPanic, "remediate: action panicked"},
		{"nil func", nil, OutcomeFailed, ReasonActionError, `remediate: action "restart" has a nil function`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustEngine(t, Config{Policies: []Policy{{Name: "p", Action: Func("restart", tt.fn)}}})
			d := handleOne(t, e, engT0, Signal{Source: "api"})
			if d.Outcome != tt.want || d.Reason != tt.wantReason {
				t.Errorf("decision %v/%s, want %v/%s", d.Outcome, d.Reason, tt.want, tt.wantReason)
			}
			rec := e.Records()[0]
			if rec.Error != tt.wantErr || rec.Outcome != tt.want {
				t.Errorf("record error %q outcome %v, want %q %v", rec.Error, rec.Outcome, tt.wantErr, tt.want)
			}
			// The engine goes on deciding.
			if d := handleOne(t, e, engT0.Add(time.Second), Signal{Source: "api"}); d.Seq != 2 {
				t.Errorf("next decision seq %d, want 2", d.Seq)
			}
		})
	}
}

// An action that does not return before its timeout is recorded as failed
// at the timeout, whether or not it honours ctx.
func TestActionTimeout(t *testing.T) {
	for _, honoursCtx := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			fn := func(ctx context.Context, _ string, _ Signal) error {
				if honoursCtx {
					<-ctx.Done()
					return ctx.Err()
				}
				time.Sleep(time.Hour)
				return nil
			}
			e := mustEngine(t, Config{ActionTimeout: time.Minute, Policies: []Policy{
				{Name: "slow", Action: Func("slow", fn), Timeout: 10 * time.Second},
				{Name: "default", Action: Func("slow", fn)},
			}})
			start := time.Now()
			ds := e.HandleAt(context.Background(), engT0, Signal{})
			if waited := time.Since(start); waited != 70*time.Second {
				t.Errorf("honoursCtx=%v: Handle took %v, want 10s + 1m", honoursCtx, waited)
			}
			for i, want := range []time.Duration{10 * time.Second, time.Minute} {
				if ds[i].Outcome != OutcomeFailed || ds[i].Reason != ReasonActionTimeout || !errors.Is(ds[i].Err, context.DeadlineExceeded) {
					t.Errorf("decision %d: %+v, want failed/action_timeout", i, ds[i])
				}
				if got := e.Records()[i].Elapsed; got != want {
					t.Errorf("record %d elapsed %v, want %v", i, got, want)
				}
			}
			time.Sleep(time.Hour) // let an action that ignored ctx return
		})
	}
}

type modeRecorder struct {
	mu    sync.Mutex
	modes []breaker.Mode
}

func (b *modeRecorder) SetMode(m breaker.Mode) {
	b.mu.Lock()
	b.modes = append(b.modes, m)
	b.mu.Unlock()
}

type levelRecorder struct{ levels []admit.Priority }

func (s *levelRecorder) SetLevel(p admit.Priority) { s.levels = append(s.levels, p) }

type drainRecorder struct{ drained []bool }

func (r *drainRecorder) Drain()   { r.drained = append(r.drained, true) }
func (r *drainRecorder) Undrain() { r.drained = append(r.drained, false) }

func TestBuiltinActions(t *testing.T) {
	br := &modeRecorder{}
	sh := &levelRecorder{}
	reg := &drainRecorder{}
	breakers := map[string]ModeSetter{"payments": br, "nil": nil}
	e := mustEngine(t, Config{Policies: []Policy{
		{Name: "open", Action: BreakerMode(breaker.ModeForcedOpen, breakers), When: Match{Kinds: []SignalKind{SignalAnomaly}}},
		{Name: "close", Action: BreakerMode(breaker.ModeNormal, breakers), When: Match{Kinds: []SignalKind{SignalHealthStatus}}},
		{Name: "shed", Action: ShedLevel(admit.Critical, map[string]LevelSetter{"api": sh}), When: Match{Kinds: []SignalKind{SignalSLOAlert}}},
		{Name: "drain", Action: Drain(map[string]Drainer{"self": reg}), Target: func(Signal) string { return "self" }, When: Match{Predicate: func(s Signal) bool { return s.State == "drain" }}},
		{Name: "undrain", Action: Undrain(map[string]Drainer{"self": reg}), Target: func(Signal) string { return "self" }, When: Match{Predicate: func(s Signal) bool { return s.State == "undrain" }}},
	}})
	breakers["payments"] = nil // the action copied the map
	steps := []struct {
		s          Signal
		wantAction string
		want       DecisionOutcome
	}{
		{Signal{Kind: SignalAnomaly, Source: "payments"}, "breaker_forced_open", OutcomeExecuted},
		{Signal{Kind: SignalHealthStatus, Source: "payments"}, "breaker_normal", OutcomeExecuted},
		{Signal{Kind: SignalAnomaly, Source: "unknown"}, "breaker_forced_open", OutcomeFailed},
		{Signal{Kind: SignalAnomaly, Source: "nil"}, "breaker_forced_open", OutcomeFailed},
		{Signal{Kind: SignalSLOAlert, Source: "api"}, "shed_below_critical", OutcomeExecuted},
		{Signal{Kind: SignalCustom, Source: "ops", State: "drain"}, "drain", OutcomeExecuted},
		{Signal{Kind: SignalCustom, Source: "ops-console", State: "undrain"}, "undrain", OutcomeExecuted},
	}
	for i, s := range steps {
		d := handleOne(t, e, engT0, s.s)
		if d.Action != s.wantAction || d.Outcome != s.want {
			t.Errorf("step %d: %s %v (%v), want %s %v", i, d.Action, d.Outcome, d.Err, s.wantAction, s.want)
		}
		if s.want == OutcomeFailed && !errors.Is(d.Err, ErrUnknownTarget) {
			t.Errorf("step %d: error %v, want ErrUnknownTarget", i, d.Err)
		}
	}
	if !slices.Equal(br.modes, []breaker.Mode{breaker.ModeForcedOpen, breaker.ModeNormal}) {
		t.Errorf("breaker modes %v", br.modes)
	}
	if !slices.Equal(sh.levels, []admit.Priority{admit.Critical}) {
		t.Errorf("shed levels %v", sh.levels)
	}
	if !slices.Equal(reg.drained, []bool{true, false}) {
		t.Errorf("drain calls %v", reg.drained)
	}
}

// Dry runs go through every guard rail and the audit, but neither the
// action nor the approver is called.
func TestDryRunHasNoSideEffects(t *testing.T) {
	br := &modeRecorder{}
	reg := &drainRecorder{}
	act := &recordingAction{}
	var asked int
	ap := ApproverFunc(func(context.Context, Request) (Approval, error) { asked++; return Approval{Approved: true}, nil })
	for _, global := range []bool{false, true} {
		e := mustEngine(t, Config{DryRun: global, Approver: ap, Policies: []Policy{
			{Name: "open", Action: BreakerMode(breaker.ModeForcedOpen, map[string]ModeSetter{"db": br}), DryRun: !global, Cooldown: time.Minute},
			{Name: "drain", Action: Drain(map[string]Drainer{"db": reg}), DryRun: !global, Critical: true},
			{Name: "func", Action: act, DryRun: !global, Pool: []string{"db"}, BlastRadius: BlastRadius{MaxPercent: 100, Window: time.Minute}},
		}})
		ds := e.HandleAt(context.Background(), engT0, Signal{Source: "db"})
		// The reversible dry runs are in effect (dry): the repeat decides
		// only the irreversible one again.
		ds = append(ds, e.HandleAt(context.Background(), engT0.Add(time.Second), Signal{Source: "db"})...)
		var got []string
		for _, d := range ds {
			got = append(got, d.Policy+":"+d.Outcome.String()+"/"+d.Reason)
		}
		want := []string{
			"open:dry_run/", "drain:dry_run/approval_required", "func:dry_run/",
			"func:dry_run/",
		}
		if !slices.Equal(got, want) {
			t.Errorf("global=%v: decisions %v, want %v", global, got, want)
		}
		if len(e.Records()) != 4 {
			t.Errorf("global=%v: %d audit records, want 4", global, len(e.Records()))
		}
	}
	if len(br.modes) != 0 || len(reg.drained) != 0 || act.calls() != 0 || asked != 0 {
		t.Errorf("side effects: breaker %v, drain %v, func %d, approver %d", br.modes, reg.drained, act.calls(), asked)
	}
}
