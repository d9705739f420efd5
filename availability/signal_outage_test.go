package availability

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/admit"
)

// levelLog records shedder levels as the engine sets them.
type levelLog struct{ levels []admit.Priority }

func (l *levelLog) SetLevel(p admit.Priority) { l.levels = append(l.levels, p) }

// The done-when scenario, on the Monitor's injected clock: an
// hour of healthy traffic to a dependency, the dependency down for ten
// minutes, then healthy for an hour. Four alert tiers fire and the two
// page tiers resolve (the tickets outlast the run), yet the page policy sheds once,
// when the first page tier fires, and stops shedding on the tick the last
// page tier resolves (the incident easing to a ticket ends what a page
// policy caused); the dry-run drain on the dependency's check is recorded,
// and its revert too. Each is one audited decision, and the log holds one
// line per decision.
func TestOutageActsOnceAndReverts(t *testing.T) {
	var logBuf bytes.Buffer
	shop := &levelLog{}
	self := func(remediate.Signal) string { return "self" }
	drains := &drainCount{}
	engine, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{
		{
			Name: "drain-on-inventory-down", DryRun: true, Cooldown: 5 * time.Minute,
			When: remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalHealthStatus},
				Predicate: func(s remediate.Signal) bool { return s.Source == "inventory" && s.State == "fail" }},
			Action: remediate.Drain(map[string]remediate.Drainer{"self": drains}),
			Target: self,
		},
		{
			Name: "shed-on-page", Cooldown: 5 * time.Minute,
			When: remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalSLOAlert},
				Predicate: func(s remediate.Signal) bool { return s.Severity == remediate.SeverityCritical }},
			Action: remediate.ShedLevel(admit.Normal, map[string]remediate.LevelSetter{"shop": shop}),
			Target: func(remediate.Signal) string { return "shop" },
		},
	}}, remediate.WithAuditLogger(slog.New(slog.NewTextHandler(&logBuf, nil))))
	if err != nil {
		t.Fatal(err)
	}
	var down atomic.Bool
	reg := health.NewRegistry(health.WithJitter(0))
	if err := reg.Register(health.Check{Name: "inventory", Func: func(context.Context) health.Result {
		if down.Load() {
			return health.Fail(errors.New("inventory: 503"))
		}
		return health.Pass()
	}}); err != nil {
		t.Fatal(err)
	}
	m, _, clk := newTestMonitor(t, WithHealth(reg), WithEngine(engine),
		WithRouteObjectives(RouteObjectives{Availability: 0.999}))
	log := &eventLog{}
	// Health changes carry the wall clock; the script's clock is clk.
	m.OnEvent(func(e Event) { e.Time = clk.Now(); log.add(e) })
	// The shop's product page needs the inventory: it fails while the
	// inventory is down.
	mux := http.NewServeMux()
	mux.HandleFunc("GET /products/{id}", func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "inventory unavailable", http.StatusServiceUnavailable)
		}
	})
	h := m.Middleware(mux)
	ctx := context.Background()
	const step = 10 * time.Second
	const downAt, upAt, end = 60 * time.Minute, 70 * time.Minute, 130 * time.Minute
	for at := time.Duration(0); at < end; at += step {
		down.Store(at >= downAt && at < upAt)
		for range 10 { // 1 request/s
			serve(h, "GET", "/products/1")
		}
		if err := reg.RunChecks(ctx); err != nil {
			t.Fatal(err)
		}
		m.TickAt(clk.Add(step))
	}

	var timeline []string
	var pageResolved, shed, unshed time.Time
	for _, e := range log.events {
		if e.Kind == EventAnomaly {
			continue // anomalies move nothing; they are not this test's subject
		}
		timeline = append(timeline, fmt.Sprintf("+%-7v %-11s %s", e.Time.Sub(t0), e.Kind, e.Message))
		switch {
		case e.Kind == EventSLOAlert && strings.HasPrefix(e.Message, "page alert") && strings.Contains(e.Message, "resolved"):
			pageResolved = e.Time // the last page tier to resolve
		case e.Kind == EventRemediation && strings.HasPrefix(e.Message, `shed-on-page: shed_below_normal on "shop": executed`):
			shed = e.Time
		case e.Kind == EventRemediation && strings.HasPrefix(e.Message, `shed-on-page: shed_below_normal on "shop": reverted`):
			unshed = e.Time
		}
	}
	t.Logf("timeline:\n%s", strings.Join(timeline, "\n"))
	t.Logf("log:\n%s", logBuf.String())

	if want := []admit.Priority{admit.Normal, admit.Sheddable}; fmt.Sprint(shop.levels) != fmt.Sprint(want) {
		t.Errorf("shed levels %v, want %v (shed below normal once, then stop shedding)", shop.levels, want)
	}
	if drains.n != 0 {
		t.Errorf("the dry-run drain drained %d times", drains.n)
	}
	if shed.IsZero() || shed.Sub(t0) < downAt || shed.Sub(t0) > downAt+5*time.Minute {
		t.Errorf("shed at %v, want within 5m of the outage at %v", shed.Sub(t0), downAt)
	}
	if unshed.IsZero() || pageResolved.IsZero() || unshed.Before(pageResolved) || unshed.Sub(pageResolved) > 5*time.Minute {
		t.Errorf("stopped shedding at %v, page resolved at %v: want within one short window (5m) after", unshed.Sub(t0), pageResolved.Sub(t0))
	}
	var got []string
	for _, r := range engine.Records() {
		s := r.Policy + " " + r.Outcome.String()
		if r.Revert && r.Outcome != remediate.OutcomeReverted {
			s += " revert"
		}
		got = append(got, s)
	}
	want := []string{
		"drain-on-inventory-down dry_run",
		"shed-on-page executed",
		"drain-on-inventory-down dry_run revert",
		"shed-on-page reverted",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if lines := strings.Count(logBuf.String(), "\n"); lines != len(want) {
		t.Errorf("%d log lines, want one per decision (%d)", lines, len(want))
	}
	if strings.Contains(logBuf.String(), "hash") {
		t.Errorf("the log carries the hash:\n%s", logBuf.String())
	}
	if act := m.Statusz().ActiveActions; len(act) != 0 {
		t.Errorf("active actions after recovery: %+v", act)
	}
}

// drainCount counts drains, which a dry run must never call.
type drainCount struct{ n int }

func (d *drainCount) Drain()   { d.n++ }
func (d *drainCount) Undrain() { d.n++ }

// Anomalies are signals of severity info: they reach the timeline and
// /statusz, and no policy acts on them unless it lists them.
func TestAnomaliesReachTheTimelineNotTheActions(t *testing.T) {
	var acted int
	engine, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name: "anything", // the zero Match: every kind but anomalies
		Action: remediate.Func("page", func(context.Context, string, remediate.Signal) error {
			acted++
			return nil
		}),
	}}}, remediate.WithAuditLogger(discardLogger))
	if err != nil {
		t.Fatal(err)
	}
	m, _, clk := newTestMonitor(t, WithEngine(engine), WithDetectorMinRequests(1),
		WithDetector(func() detect.Detector { return &thresholdDetector{limit: 0.5} }))
	log := &eventLog{}
	m.OnEvent(log.add)
	h := m.Middleware(testMux())
	m.TickAt(clk.Now())
	serve(h, "GET", "/fail")
	m.TickAt(clk.Add(time.Minute))
	if len(log.ofKind(EventAnomaly)) == 0 || len(m.Statusz().Anomalies) == 0 {
		t.Fatalf("no anomaly on the timeline (%v) or in /statusz (%v)", log.kinds(), m.Statusz().Anomalies)
	}
	if acted != 0 || len(engine.Records()) != 0 {
		t.Errorf("an anomaly moved a policy that did not ask: %d runs, audit %v", acted, engine.Records())
	}
}
