package availability

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/slo"
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
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
		defer mp.Shutdown(context.Background())
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

func TestSignalMappings(t *testing.T) {
	at := t0
	for _, tc := range []struct {
		name string
		got  remediate.Signal
		want remediate.Signal
	}{
		{"check fails", healthSignal(health.Change{Check: "db", Previous: health.StatusPass, Current: health.StatusFail, Time: at}),
			remediate.Signal{Kind: remediate.SignalHealthStatus, Source: "db", State: "fail", Severity: remediate.SeverityCritical, Time: at}},
		{"group warns", healthSignal(health.Change{Group: health.Readiness, Current: health.StatusWarn, Time: at}),
			remediate.Signal{Kind: remediate.SignalHealthStatus, Source: "ready", State: "warn", Severity: remediate.SeverityWarning, Time: at}},
		{"check recovers", healthSignal(health.Change{Check: "db", Current: health.StatusPass, Time: at}),
			remediate.Signal{Kind: remediate.SignalHealthStatus, Source: "db", State: "pass", Time: at}},
		{"page fires", alertSignal(slo.AlertEvent{Objective: "o", Tier: slo.Tier{Severity: slo.SeverityPage}, Firing: true, At: at,
			Long: slo.WindowStatus{BurnRate: 20}}),
			remediate.Signal{Kind: remediate.SignalSLOAlert, Source: "o", State: "firing", Severity: remediate.SeverityCritical, Value: 20, Time: at}},
		{"ticket fires", alertSignal(slo.AlertEvent{Objective: "o", Tier: slo.Tier{Severity: slo.SeverityTicket}, Firing: true, At: at,
			Long: slo.WindowStatus{BurnRate: 3.5}}),
			remediate.Signal{Kind: remediate.SignalSLOAlert, Source: "o", State: "firing", Severity: remediate.SeverityWarning, Value: 3.5, Time: at}},
		{"alert resolves", alertSignal(slo.AlertEvent{Objective: "o", Tier: slo.Tier{Severity: slo.SeverityPage}, At: at}),
			remediate.Signal{Kind: remediate.SignalSLOAlert, Source: "o", State: "ok", Time: at}},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, tc.got, tc.want)
		}
	}
	a := anomalySignal(detect.Anomaly{Series: "route:x:p99", Detector: "ensemble", Time: at, Result: detect.Result{Score: 0.8}})
	if a.Kind != remediate.SignalAnomaly || a.Source != "route:x:p99" || a.State != "anomaly" || a.Value != 0.8 ||
		a.Attributes["detector"] != "ensemble" || !a.Time.Equal(at) {
		t.Errorf("anomaly signal %+v", a)
	}
}
