package availability

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nines-sre/nines/internal/metrictest"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/eject"
)

// t0 is the scripted start of every test clock.
var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// fakeClock is a settable clock for WithClock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// newTestMonitor builds a Monitor on a metrictest provider and a fake
// clock, and shuts it down at the end of the test (before the provider).
func newTestMonitor(t testing.TB, opts ...Option) (*Monitor, *metrictest.Provider, *fakeClock) {
	t.Helper()
	mp := metrictest.NewProvider(t)
	clk := newFakeClock()
	m, err := New(append([]Option{WithMeterProvider(mp), WithClock(clk.Now), WithLogger(discardLogger), WithDrainDelay(0)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Shutdown(context.Background()); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return m, mp, clk
}

// eventLog collects timeline events.
type eventLog struct {
	mu     sync.Mutex
	events []Event
}

func (l *eventLog) add(e Event) {
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
}

func (l *eventLog) kinds() []EventKind {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []EventKind
	for _, e := range l.events {
		out = append(out, e.Kind)
	}
	return out
}

func (l *eventLog) ofKind(k EventKind) []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Event
	for _, e := range l.events {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

var discardLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// golden compares got with testdata/name byte for byte, or rewrites it with
// -update (metric goldens go through metrictest instead).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// ejectingPeers wires the "inventory" dependency's replicas for ejection:
// an Ejector over backends with the given base ejection time, a Detector
// on stats, and an engine whose one policy ejects every peer outlier.
func ejectingPeers(t *testing.T, stats *eject.Stats, backends []string, base time.Duration) (*eject.Ejector, *eject.Detector, *remediate.Engine) {
	t.Helper()
	ej, err := eject.NewEjector(eject.EjectorConfig{Replicas: backends, BaseEjectionTime: base})
	if err != nil {
		t.Fatal(err)
	}
	det, err := eject.NewDetector(eject.DetectorConfig{Dependency: "inventory", Stats: stats, Ejector: ej})
	if err != nil {
		t.Fatal(err)
	}
	engine, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name:   "eject-peer-outliers",
		When:   remediate.Match{Predicate: func(s remediate.Signal) bool { return strings.HasPrefix(s.Source, "peer:") }},
		Action: eject.Action(ej),
		Pool:   backends,
	}}}, remediate.WithAuditLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	return ej, det, engine
}

// containsInOrder fails t for each of wants that body lacks or that comes
// before the previous one: a page's sections and items in their order.
func containsInOrder(t *testing.T, body string, wants ...string) {
	t.Helper()
	last := -1
	for _, want := range wants {
		i := strings.Index(body, want)
		if i < 0 {
			t.Errorf("page lacks %q", want)
			continue
		}
		if i < last {
			t.Errorf("%q comes before the previous item", want)
		}
		last = i
	}
}
