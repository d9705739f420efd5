package availability

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/internal/metrictest"
	"github.com/nines-sre/nines/remediate"
)

// A started Monitor hands signals to the engine on its own goroutine: a
// health check failing while an approver sits on the decision must neither
// block the check's scheduler nor Shutdown, which denies the pending
// approval.
func TestEngineFeedAsyncAndShutdownDeniesApproval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var asked atomic.Int32
		approver := remediate.ApproverFunc(func(ctx context.Context, req remediate.Request) (remediate.Approval, error) {
			asked.Add(1)
			<-ctx.Done() // a human who never answers
			return remediate.Approval{}, ctx.Err()
		})
		engine, err := remediate.NewEngine(remediate.Config{
			Approver: approver, ApprovalTimeout: time.Hour,
			Policies: []remediate.Policy{{
				Name: "drain-on-db", Critical: true,
				When: remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalHealthStatus},
					Predicate: func(s remediate.Signal) bool { return s.Source == "db" && s.State == "fail" }},
				Action: remediate.Func("drain", func(context.Context, string, remediate.Signal) error { return nil }),
			}},
		}, remediate.WithAuditLogger(discardLogger))
		if err != nil {
			t.Fatal(err)
		}
		mp := metrictest.NewProvider(t)
		m, err := New(WithMeterProvider(mp), WithEngine(engine))
		if err != nil {
			t.Fatal(err)
		}
		var log eventLog
		m.OnEvent(log.add)
		var fail atomic.Bool
		if err := m.Health().Register(health.Check{Name: "db", Interval: time.Second,
			Func: func(context.Context) health.Result {
				if fail.Load() {
					return health.Fail(errors.New("down"))
				}
				return health.Pass()
			}}); err != nil {
			t.Fatal(err)
		}
		if err := m.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1500 * time.Millisecond)
		fail.Store(true)
		time.Sleep(2 * time.Second) // the check keeps running while the approval waits
		synctest.Wait()
		if asked.Load() != 1 {
			t.Fatalf("approver asked %d times, want 1", asked.Load())
		}
		if s, _ := m.Health().CheckStatus("db"); s != health.StatusFail {
			t.Fatalf("db %v, want fail", s)
		}
		if err := m.Shutdown(context.Background()); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		var denied bool
		for _, e := range log.ofKind(EventRemediation) {
			denied = denied || strings.Contains(e.Message, "denied")
		}
		if !denied {
			t.Errorf("remediation events %v, want the pending approval denied", log.ofKind(EventRemediation))
		}
		var kinds []string
		for _, e := range log.ofKind(EventHealth) {
			kinds = append(kinds, e.Message)
		}
		if !strings.Contains(strings.Join(kinds, "\n"), "group ready: fail -> draining") {
			t.Errorf("health events %q lack the drain", kinds)
		}
	})
}

func TestOnEventRemove(t *testing.T) {
	m, _, _ := newTestMonitor(t)
	var a, b int
	removeA := m.OnEvent(func(Event) { a++ })
	m.OnEvent(func(Event) { b++ })
	m.OnEvent(nil)
	m.timeline.emit(Event{Kind: EventShed})
	removeA()
	removeA()
	m.timeline.emit(Event{Kind: EventShed})
	if a != 1 || b != 2 {
		t.Errorf("listener calls a=%d b=%d, want 1 and 2", a, b)
	}
}
