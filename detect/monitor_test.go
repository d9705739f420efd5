package detect

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/internal/metrictest"
)

// monEchoDetector scores v itself (clamped to [0, 1]) and flags v >= 0.5; NaN
// is skipped.
type monEchoDetector struct{ seen int }

func (d *monEchoDetector) ObserveAt(_ time.Time, v float64) Result {
	if math.IsNaN(v) {
		return Result{Skipped: true}
	}
	d.seen++
	s := min(max(v, 0), 1)
	return Result{Score: s, Anomaly: s >= 0.5}
}
func (d *monEchoDetector) Name() string { return "echo" }
func (d *monEchoDetector) Reset()       { d.seen = 0 }

func newMonEcho() Detector { return &monEchoDetector{} }

var monT0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestMonitorScript(t *testing.T) {
	var got []Anomaly
	m, err := NewMonitor(newMonEcho, WithMeterProvider(noop.NewMeterProvider()),
		WithAnomalyListener(func(a Anomaly) { got = append(got, a) }))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		series  string
		v       float64
		anomaly bool
		score   float64
	}{
		{"a", 0.1, false, 0.1},
		{"b", 0.7, true, 0.7},
		{"a", math.NaN(), false, 0.1}, // skipped: the last score stays
		{"a", 2, true, 1},
	}
	for i, st := range steps {
		r, err := m.ObserveAt(st.series, monT0.Add(time.Duration(i)*time.Second), st.v)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if r.Anomaly != st.anomaly {
			t.Errorf("step %d: anomaly %v, want %v", i, r.Anomaly, st.anomaly)
		}
		if s, ok := m.Score(st.series); !ok || s != st.score {
			t.Errorf("step %d: Score(%q) = %v, %v; want %v", i, st.series, s, ok, st.score)
		}
	}
	if m.Len() != 2 {
		t.Errorf("Len = %d, want 2", m.Len())
	}
	want := []Anomaly{
		{Series: "b", Detector: "echo", Time: monT0.Add(time.Second), Value: 0.7, Result: Result{Score: 0.7, Anomaly: true}},
		{Series: "a", Detector: "echo", Time: monT0.Add(3 * time.Second), Value: 2, Result: Result{Score: 1, Anomaly: true}},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("listener got %v, want %v", got, want)
	}
	if _, ok := m.Score("nope"); ok {
		t.Error("Score of an unknown series reports ok")
	}
}

func TestMonitorSeriesLimit(t *testing.T) {
	m, err := NewMonitor(newMonEcho, WithMaxSeries(2), WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b", "a"} {
		if _, err := m.ObserveAt(name, monT0, 0); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for i := range 3 {
		if _, err := m.ObserveAt("c", monT0, 0.9); !errors.Is(err, ErrTooManySeries) {
			t.Fatalf("attempt %d: err = %v, want ErrTooManySeries", i, err)
		}
	}
	if m.Refused() != 3 || m.Len() != 2 {
		t.Errorf("Refused = %d, Len = %d; want 3, 2", m.Refused(), m.Len())
	}
	if m.Forget("zzz") || !m.Forget("a") {
		t.Error("Forget reported the wrong existence")
	}
	if _, err := m.ObserveAt("c", monT0, 0.9); err != nil {
		t.Errorf("after Forget: %v", err)
	}
	if _, ok := m.Score("a"); ok {
		t.Error("forgotten series still has a score")
	}
}

// TestMonitorListenerReentry shows listeners run outside every lock: a
// listener may observe the same series and register listeners.
func TestMonitorListenerReentry(t *testing.T) {
	m, _ := NewMonitor(newMonEcho, WithMeterProvider(noop.NewMeterProvider()))
	calls := 0
	m.OnAnomaly(func(a Anomaly) {
		calls++
		if a.Value > 0.5 {
			if _, err := m.ObserveAt(a.Series, a.Time, 0.5); err != nil {
				t.Error(err)
			}
			m.OnAnomaly(func(Anomaly) {})
		}
	})
	m.OnAnomaly(nil) // ignored
	if _, err := m.ObserveAt("a", monT0, 0.9); err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Errorf("listener called %d times, want 2", calls)
	}
}

func TestNewMonitorErrors(t *testing.T) {
	for name, f := range map[string]func() (*Monitor, error){
		"nil factory":    func() (*Monitor, error) { return NewMonitor(nil) },
		"zero series":    func() (*Monitor, error) { return NewMonitor(newMonEcho, WithMaxSeries(0)) },
		"nil provider":   func() (*Monitor, error) { return NewMonitor(newMonEcho, WithMeterProvider(nil)) },
		"nil listener":   func() (*Monitor, error) { return NewMonitor(newMonEcho, WithAnomalyListener(nil)) },
		"negative limit": func() (*Monitor, error) { return NewMonitor(newMonEcho, WithMaxSeries(-3)) },
	} {
		if _, err := f(); err == nil {
			t.Errorf("%s: nil error", name)
		}
	}
	m, err := NewMonitor(func() Detector { return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.ObserveAt("a", monT0, 1); err == nil {
		t.Error("a nil detector from the factory gave no error")
	}
}

// TestMonitorMetricsGolden locks names, kinds, units and attributes of the
// monitor's instruments (the root package documentation's telemetry
// schema).
func TestMonitorMetricsGolden(t *testing.T) {
	mp := metrictest.NewProvider(t)
	m, err := NewMonitor(newMonEcho, WithMeterProvider(mp))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		s string
		v float64
	}{{"api.latency", 0.2}, {"api.errors", 0.8}, {"api.errors", 0.9}, {"api.latency", 0.6}, {"api.latency", 0.3}} {
		if _, err := m.ObserveAt(p.s, monT0, p.v); err != nil {
			t.Fatal(err)
		}
	}
	c := mp.Collect(t)
	if got := c.Scopes(); len(got) != 1 || got[0] != "github.com/nines-sre/nines/detect" {
		t.Fatalf("scopes %q, want the detect scope only", got)
	}
	metrictest.Golden(t, c.Lines(), `
		anomaly.detections counter "" {anomaly.detector=echo,anomaly.series=api.errors} 2
		anomaly.detections counter "" {anomaly.detector=echo,anomaly.series=api.latency} 1
		anomaly.score gauge "1" {anomaly.series=api.errors} 0.9
		anomaly.score gauge "1" {anomaly.series=api.latency} 0.3
	`)
	for name, want := range map[string]string{
		"anomaly.detections": "Points flagged as anomalous, per series and detector.",
		"anomaly.score":      "Last anomaly score of each series, in [0, 1].",
	} {
		if got, _ := c.Metric(name); got.Description != want {
			t.Errorf("%s description %q, want %q", name, got.Description, want)
		}
	}
}

func TestMonitorObserveAllocs(t *testing.T) {
	mp := metrictest.NewProvider(t)
	for name, opt := range map[string]MonitorOption{"sdk": WithMeterProvider(mp), "noop": WithMeterProvider(noop.NewMeterProvider())} {
		m, err := NewMonitor(newMonEcho, opt, WithAnomalyListener(func(Anomaly) {}))
		if err != nil {
			t.Fatal(err)
		}
		m.ObserveAt("s", monT0, 0.1)
		for _, v := range []float64{0.1, 0.9} {
			if n := testing.AllocsPerRun(200, func() { m.ObserveAt("s", monT0, v) }); n != 0 {
				t.Errorf("%s: ObserveAt(%v) allocates %v times per call", name, v, n)
			}
		}
	}
}

func TestMonitorConcurrent(t *testing.T) {
	var mu sync.Mutex
	anomalies := map[string]int{}
	m, _ := NewMonitor(newMonEcho, WithMaxSeries(4), WithMeterProvider(noop.NewMeterProvider()),
		WithAnomalyListener(func(a Anomaly) { mu.Lock(); anomalies[a.Series]++; mu.Unlock() }))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			name := fmt.Sprint("s", g%4)
			for i := range 500 {
				if _, err := m.ObserveAt(name, monT0.Add(time.Duration(i)), float64(i%4)/3); err != nil {
					t.Error(err)
					return
				}
				m.Score(name)
			}
		})
	}
	wg.Wait()
	for g := range 4 {
		// Each of the two goroutines per series flags i%4 in {2, 3}: 250 each.
		if n := anomalies[fmt.Sprint("s", g)]; n != 500 {
			t.Errorf("series s%d: %d anomalies, want 500", g, n)
		}
	}
	if _, err := m.ObserveAt("s9", monT0, 0); !errors.Is(err, ErrTooManySeries) {
		t.Errorf("fifth series: %v", err)
	}
}

// FuzzMonitorSeries drives a Monitor with arbitrary series names and
// values: the limit holds, every refusal is counted, nothing panics.
func FuzzMonitorSeries(f *testing.F) {
	f.Add(uint8(2), []byte("abcabd"), 0.7)
	f.Add(uint8(0), []byte("x"), math.NaN())
	f.Fuzz(func(t *testing.T, limit uint8, names []byte, v float64) {
		m, err := NewMonitor(newMonEcho, WithMaxSeries(int(limit)), WithMeterProvider(noop.NewMeterProvider()))
		if limit == 0 {
			if err == nil {
				t.Fatal("limit 0 accepted")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		refused := uint64(0)
		for i, b := range names {
			name := string(rune('a' + b%32))
			if b&0x80 != 0 {
				m.Forget(name)
				continue
			}
			r, err := m.ObserveAt(name, monT0.Add(time.Duration(i)), v)
			if errors.Is(err, ErrTooManySeries) {
				refused++
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Score < 0 || r.Score > 1 || math.IsNaN(r.Score) {
				t.Fatalf("score %v", r.Score)
			}
			if m.Len() > int(limit) {
				t.Fatalf("%d series past the limit %d", m.Len(), limit)
			}
		}
		if m.Refused() != refused {
			t.Fatalf("Refused = %d, counted %d", m.Refused(), refused)
		}
	})
}

// TestMonitorShutdownUnregisters: after Shutdown a collection no longer
// reads the Monitor (no anomaly.score points), Shutdown is idempotent, and
// the Monitor still scores points.
func TestMonitorShutdownUnregisters(t *testing.T) {
	mp := metrictest.NewProvider(t)
	m, err := NewMonitor(newMonEcho, WithMeterProvider(mp))
	if err != nil {
		t.Fatal(err)
	}
	scorePoints := func() int {
		score, _ := mp.Collect(t).Metric("anomaly.score")
		return len(score.Points)
	}
	if _, err := m.ObserveAt("s", monT0, 0.4); err != nil {
		t.Fatal(err)
	}
	if n := scorePoints(); n != 1 {
		t.Fatalf("before Shutdown: %d anomaly.score points, want 1", n)
	}
	for range 2 {
		if err := m.Shutdown(context.Background()); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
	}
	if n := scorePoints(); n != 0 {
		t.Errorf("after Shutdown: %d anomaly.score points, want 0", n)
	}
	if r, err := m.ObserveAt("s", monT0.Add(time.Second), 0.7); err != nil || r.Score != 0.7 {
		t.Errorf("after Shutdown: ObserveAt = %+v, %v; want score 0.7", r, err)
	}
}

// TestOnAnomalyRemove: remove takes back exactly its own registration (the
// same func registered twice stays registered once), is idempotent, and a
// removed listener hears nothing of later anomalies.
func TestOnAnomalyRemove(t *testing.T) {
	m, err := NewMonitor(newMonEcho)
	if err != nil {
		t.Fatal(err)
	}
	var kept, removed, twice int
	m.OnAnomaly(func(Anomaly) { kept++ })
	remove := m.OnAnomaly(func(Anomaly) { removed++ })
	dup := func(Anomaly) { twice++ }
	m.OnAnomaly(dup)
	removeDup := m.OnAnomaly(dup)
	if _, err := m.ObserveAt("s", monT0, 0.9); err != nil {
		t.Fatal(err)
	}
	remove()
	remove()
	removeDup()
	m.OnAnomaly(nil)() // a nil listener is ignored and its remove is a no-op
	for i := range 3 {
		if _, err := m.ObserveAt("s", monT0.Add(time.Duration(i+1)*time.Second), 0.9); err != nil {
			t.Fatal(err)
		}
	}
	if kept != 4 || removed != 1 || twice != 2+3 {
		t.Errorf("calls: kept %d (want 4), removed %d (want 1, before remove), twice %d (want 5)", kept, removed, twice)
	}
}

// TestMonitorRefusalBuildsNothing: past the series limit a new series is
// refused before its detector is built, so a flood of new names costs no
// detector construction (the factory may be expensive) and no garbage.
func TestMonitorRefusalBuildsNothing(t *testing.T) {
	built := 0
	m, err := NewMonitor(func() Detector { built++; return newMonEcho() },
		WithMaxSeries(1), WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.ObserveAt("a", monT0, 0); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := m.ObserveAt(fmt.Sprint("new", i), monT0, 0); !errors.Is(err, ErrTooManySeries) {
			t.Fatalf("new%d: %v", i, err)
		}
	}
	if built != 1 || m.Refused() != 5 {
		t.Errorf("factory called %d times, Refused = %d; want 1, 5", built, m.Refused())
	}
}
