package remediate

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/slo"
	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/remediate/breaker"
)

// The whole loop in one process, on a fake clock: a dependency's health
// check starts failing -> health.Change -> Signal -> policy -> the
// dependency's breaker is forced open. In the dry-run variant the same
// decision is audited as dry_run and the breaker is left alone.
func TestLoopHealthToBreaker(t *testing.T) {
	for _, dry := range []bool{false, true} {
		name := map[bool]string{false: "live", true: "dry_run"}[dry]
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { testLoopHealthToBreaker(t, dry) })
		})
	}
}

func testLoopHealthToBreaker(t *testing.T, dry bool) {
	ctx := context.Background()
	br, err := breaker.New[int]("payments", breaker.Config{}, breaker.WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		t.Fatal(err)
	}
	reg := health.NewRegistry(health.WithJitter(0), health.WithMeterProvider(noop.NewMeterProvider()))
	var down atomic.Bool
	err = reg.Register(health.Check{Name: "payments-db", Interval: 10 * time.Second, Func: func(context.Context) health.Result {
		if down.Load() {
			return health.Result{Status: health.StatusFail, Err: errors.New("connection refused")}
		}
		return health.Result{Status: health.StatusPass}
	}})
	if err != nil {
		t.Fatal(err)
	}
	e := mustEngine(t, Config{DryRun: dry, Policies: []Policy{{
		Name: "open-payments-on-db-failure",
		When: Match{Kinds: []SignalKind{SignalHealthStatus}, Predicate: func(s Signal) bool {
			return s.Source == "payments-db" && s.State == "fail"
		}},
		Target:   func(Signal) string { return "payments" },
		Action:   BreakerMode(breaker.ModeForcedOpen, map[string]ModeSetter{"payments": br}),
		Cooldown: 5 * time.Minute,
	}}})
	defer e.SubscribeHealth(reg)()
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	if err := reg.Start(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(15 * time.Second) // runs at +0s and +10s pass
	synctest.Wait()
	if recs := e.Records(); len(recs) != 0 {
		t.Fatalf("while healthy: audit = %v, want empty", recordOutcomes(recs))
	}
	down.Store(true)
	time.Sleep(30 * time.Second) // the run at +20s fails; +30s and +40s change nothing
	synctest.Wait()

	recs := e.Records()
	want := "executed"
	if dry {
		want = "dry_run"
	}
	if got := recordOutcomes(recs); !slices.Equal(got, []string{want}) {
		t.Fatalf("audit = %v, want [%s]", got, want)
	}
	r := recs[0]
	if r.Target != "payments" || r.Signal.Source != "payments-db" || r.Signal.Severity != "critical" ||
		!r.Time.Equal(t0.Add(20*time.Second)) || !r.Signal.Time.Equal(r.Time) {
		t.Errorf("record = %+v, want target payments for the payments-db failure seen at +20s", r)
	}
	_, err = br.Execute(ctx, func(context.Context) (int, error) { return 1, nil })
	if dry {
		if br.Mode() != breaker.ModeNormal || err != nil {
			t.Errorf("dry run: breaker mode %v, Execute error %v; want normal and nil", br.Mode(), err)
		}
	} else if br.Mode() != breaker.ModeForcedOpen || !errors.Is(err, breaker.ErrOpen) {
		t.Errorf("breaker mode %v, Execute error %v; want forced_open and ErrOpen", br.Mode(), err)
	}

	if err := reg.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := br.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := Verify(e.Records()); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

// collectAction records the signals it is run for.
type collectAction struct{ got []Signal } // only the engine's goroutine appends

func (c *collectAction) Name() string { return "collect" }
func (c *collectAction) Do(_ context.Context, _ string, s Signal) error {
	c.got = append(c.got, s)
	return nil
}

// SubscribeSLO forwards alert transitions until removed; the queued
// signals are decided by the engine's (fake) clock and keep the
// transition's own (scripted) time in the audit.
func TestSubscribeSLO(t *testing.T) { synctest.Test(t, testSubscribeSLO) }

func testSubscribeSLO(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	set, err := slo.NewSet(slo.WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		t.Fatal(err)
	}
	s, err := slo.New(slo.Objective{Name: "api", Target: 0.999, Window: slo.Window{Rolling: 30 * 24 * time.Hour}},
		slo.WithClock(func() time.Time { return engT0 }))
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Add(s); err != nil {
		t.Fatal(err)
	}
	act := &collectAction{}
	e := mustEngine(t, Config{QueueSize: 16, Policies: []Policy{{Name: "page", Action: act,
		When: Match{Kinds: []SignalKind{SignalSLOAlert}, Predicate: func(s Signal) bool { return s.Severity == SeverityCritical }}}}})
	remove := e.SubscribeSLO(set)
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// An hour of good traffic, ten minutes of total outage, recovery. The
	// 1h page tier resolves at +1h14m30s, after remove: not forwarded.
	for m := range 90 {
		at := engT0.Add(time.Duration(m) * time.Minute)
		s.AddAt(at, 100, 0)
		if m >= 60 && m < 70 {
			s.AddAt(at, 0, 1000)
		}
		set.TickAt(at.Add(30 * time.Second))
		if m == 72 {
			remove()
		}
	}
	if err := e.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sig := range act.got {
		got = append(got, sig.Source+" "+sig.State+" "+sig.Attributes["window"]+" "+sig.Time.Sub(engT0).String())
	}
	// Both page tiers fire on one tick: one signal, the incident's start.
	want := []string{"api firing 1h0m0s 1h0m30s"}
	if !slices.Equal(got, want) {
		t.Errorf("page signals = %q, want %q", got, want)
	}
	if recs := e.Records(); len(recs) != 1 || !recs[0].Time.Equal(now) ||
		!recs[0].Signal.Time.Equal(engT0.Add(60*time.Minute+30*time.Second)) {
		t.Errorf("audit = %+v, want 1 record decided now for the transition at +1h0m30s", recs)
	}
}

// thresholdDetector flags every value above 100.
type thresholdDetector struct{}

func (thresholdDetector) Name() string { return "threshold" }
func (thresholdDetector) Reset()       {}
func (thresholdDetector) ObserveAt(_ time.Time, v float64) detect.Result {
	if v > 100 {
		return detect.Result{Score: 1, Anomaly: true}
	}
	return detect.Result{}
}

func TestSubscribeAnomalies(t *testing.T) {
	ctx := context.Background()
	m, err := detect.NewMonitor(func() detect.Detector { return thresholdDetector{} },
		detect.WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		t.Fatal(err)
	}
	act := &collectAction{}
	e := mustEngine(t, Config{Policies: []Policy{{Name: "anomaly", Action: act, When: Match{Kinds: []SignalKind{SignalAnomaly}}}}})
	remove := e.SubscribeAnomalies(m)
	for i, v := range []float64{10, 500, 20} {
		if _, err := m.ObserveAt("p99_ms", engT0.Add(time.Duration(i)*time.Minute), v); err != nil {
			t.Fatal(err)
		}
	}
	remove()
	if _, err := m.ObserveAt("p99_ms", engT0.Add(3*time.Minute), 900); err != nil {
		t.Fatal(err)
	}
	// Submitted before Start: decided once started.
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if len(act.got) != 1 || act.got[0].Source != "p99_ms" || act.got[0].Value != 1 ||
		!act.got[0].Time.Equal(engT0.Add(time.Minute)) || act.got[0].Attributes["detector"] != "threshold" {
		t.Errorf("anomaly signals = %+v, want only the 500 at +1m", act.got)
	}
}

// Nil producers are no-ops, not panics.
func TestSubscribeNil(t *testing.T) {
	e := mustEngine(t, Config{})
	e.SubscribeHealth(nil)()
	e.SubscribeSLO(nil)()
	e.SubscribeAnomalies(nil)()
}
