package detect

import (
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/internal/lifecycletest"
)

// hookDetector records the values it observes, fails the test if it is
// ever run by two calls at once, and runs hook (if set) inside ObserveAt,
// where the Monitor holds no lock.
type hookDetector struct {
	t      *testing.T
	inside atomic.Bool
	mu     sync.Mutex
	seen   []float64
	hook   func(v float64)
}

func (d *hookDetector) ObserveAt(_ time.Time, v float64) Result {
	if !d.inside.CompareAndSwap(false, true) {
		d.t.Error("detector run by two calls at once")
	}
	defer d.inside.Store(false)
	d.mu.Lock()
	d.seen = append(d.seen, v)
	d.mu.Unlock()
	if d.hook != nil {
		d.hook(v)
	}
	return Result{Score: v, Anomaly: v >= 0.5}
}
func (d *hookDetector) Name() string { return "hook" }
func (d *hookDetector) Reset()       {}

func (d *hookDetector) values() []float64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.seen)
}

// newHookMonitor returns a Monitor whose series "s" is observed by d and
// every other series by an echo detector.
func newHookMonitor(t *testing.T, d *hookDetector) *Monitor {
	t.Helper()
	var taken atomic.Bool // the factory may be called by racing creators
	m, err := NewMonitor(func() Detector {
		if taken.CompareAndSwap(false, true) {
			return d
		}
		return newMonEcho()
	}, WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDetectorCallsBackIntoMonitor: a detector calling the Monitor from
// ObserveAt, even ObserveAt on its own series, does not deadlock (it used
// to, on the series lock). The nested point is handed over and observed
// right after the current one, before the outer call returns.
func TestDetectorCallsBackIntoMonitor(t *testing.T) {
	d := &hookDetector{t: t}
	m := newHookMonitor(t, d)
	var nested []Result
	d.hook = func(v float64) {
		if v != 0.1 {
			return
		}
		r, err := m.ObserveAt("s", monT0.Add(time.Second), 0.2)
		if err != nil {
			t.Errorf("nested ObserveAt: %v", err)
		}
		nested = append(nested, r)
		if _, ok := m.Score("s"); !ok {
			t.Error("Score of the series being observed: not found")
		}
		if _, err := m.ObserveAt("other", monT0, 0.9); err != nil {
			t.Errorf("ObserveAt of another series from a detector: %v", err)
		}
		_ = m.Len()
	}
	r, err := m.ObserveAt("s", monT0, 0.1)
	if err != nil || r.Score != 0.1 {
		t.Fatalf("outer ObserveAt = %+v, %v; want its own verdict 0.1", r, err)
	}
	if len(nested) != 1 || !nested[0].Skipped {
		t.Errorf("nested ObserveAt = %+v, want one handed-over (Skipped) result", nested)
	}
	if got, want := d.values(), []float64{0.1, 0.2}; !slices.Equal(got, want) {
		t.Errorf("detector saw %v, want %v", got, want)
	}
	if s, _ := m.Score("other"); s != 0.9 {
		t.Errorf("Score(other) = %v, want 0.9: another series is observed at once, not handed over", s)
	}
	if s, _ := m.Score("s"); s != 0.2 {
		t.Errorf("Score(s) = %v, want the handed-over point's 0.2", s)
	}
}

// TestListenerCallsBackIntoMonitor: a listener observing the series that
// flagged (the remediation loop feeding a derived value back) is handed
// over too; its anomaly reaches the listeners before the outer call
// returns.
func TestListenerCallsBackIntoMonitor(t *testing.T) {
	d := &hookDetector{t: t}
	m := newHookMonitor(t, d)
	var got []float64
	m.OnAnomaly(func(a Anomaly) {
		got = append(got, a.Value)
		if a.Value == 0.8 {
			if _, err := m.ObserveAt("s", a.Time.Add(time.Second), 0.7); err != nil {
				t.Errorf("ObserveAt from a listener: %v", err)
			}
		}
	})
	if _, err := m.ObserveAt("s", monT0, 0.8); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []float64{0.8, 0.7}) {
		t.Errorf("anomalies %v, want [0.8 0.7]", got)
	}
}

// TestSameSeriesConcurrently: goroutines feeding one series never run its
// detector at once (hookDetector fails the test if they do), and every
// point is either observed or refused with ErrBacklog, none lost.
func TestSameSeriesConcurrently(t *testing.T) {
	d := &hookDetector{t: t}
	m := newHookMonitor(t, d)
	var anomalies, refused atomic.Int64
	// Create the series before the race: the factory hands d to whichever
	// creator calls it first, and racing creators may lose the store.
	if _, err := m.ObserveAt("s", monT0, 0); err != nil {
		t.Fatal(err)
	}
	m.OnAnomaly(func(Anomaly) { anomalies.Add(1) })
	const goroutines, points = 4, 2000
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range points {
				_, err := m.ObserveAt("s", monT0.Add(time.Duration(i)), float64((g+i)%2)) // half anomalies
				switch {
				case errors.Is(err, ErrBacklog):
					refused.Add(1)
				case err != nil:
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	observed := int64(len(d.values())) - 1 // the point that created the series
	if observed+refused.Load() != goroutines*points {
		t.Errorf("observed %d + refused %d != %d points", observed, refused.Load(), goroutines*points)
	}
	if uint64(refused.Load()) != m.Refused() {
		t.Errorf("Refused() = %d, counted %d", m.Refused(), refused.Load())
	}
	ones := int64(0)
	for _, v := range d.values() {
		if v == 1 {
			ones++
		}
	}
	if anomalies.Load() != ones {
		t.Errorf("%d anomalies delivered for %d anomalous points observed", anomalies.Load(), ones)
	}
}

// TestBacklogBound: a holder of the turn that keeps it while more than
// maxBacklog points are handed over refuses the surplus with ErrBacklog,
// then observes the accepted ones in order.
func TestBacklogBound(t *testing.T) {
	d := &hookDetector{t: t}
	m := newHookMonitor(t, d)
	var errs []error
	d.hook = func(v float64) {
		if v != -1 {
			return
		}
		for i := range maxBacklog + 2 {
			_, err := m.ObserveAt("s", monT0, float64(i))
			errs = append(errs, err)
		}
	}
	if _, err := m.ObserveAt("s", monT0, -1); err != nil {
		t.Fatal(err)
	}
	for i, err := range errs {
		if want := i >= maxBacklog; errors.Is(err, ErrBacklog) != want || (!want && err != nil) {
			t.Fatalf("handed-over point %d: %v", i, err)
		}
	}
	seen := d.values()
	if len(seen) != 1+maxBacklog || seen[1] != 0 || seen[maxBacklog] != maxBacklog-1 {
		t.Fatalf("observed %d points (first %v, last %v), want -1 then 0..%d in order", len(seen), seen[1], seen[len(seen)-1], maxBacklog-1)
	}
	if m.Refused() != 2 {
		t.Errorf("Refused() = %d, want 2", m.Refused())
	}
}

// TestPanickingDetectorReleasesTheSeries: a detector that panics unwinds
// through ObserveAt (the caller sees the panic) without wedging the series.
func TestPanickingDetectorReleasesTheSeries(t *testing.T) {
	d := &hookDetector{t: t}
	m := newHookMonitor(t, d)
	d.hook = func(v float64) {
		if v == 0.3 {
			panic("detector bug")
		}
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the detector's panic did not reach the caller")
			}
		}()
		_, _ = m.ObserveAt("s", monT0, 0.3)
	}()
	r, err := m.ObserveAt("s", monT0.Add(time.Second), 0.4)
	if err != nil || r.Skipped || r.Score != 0.4 {
		t.Fatalf("ObserveAt after a detector panic = %+v, %v; want the detector's own verdict", r, err)
	}
}

// TestOnAnomalyListeners runs the shared listener conformance kit on
// Monitor.OnAnomaly; each fire observes an anomalous point, delivered on
// the calling goroutine.
func TestOnAnomalyListeners(t *testing.T) {
	m, err := NewMonitor(newMonEcho, WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	lifecycletest.Listeners(t, func(fn func()) func() {
		return m.OnAnomaly(func(Anomaly) { fn() })
	}, func() {
		i++
		if _, err := m.ObserveAt("s", monT0.Add(time.Duration(i)*time.Second), 0.9); err != nil {
			t.Fatal(err)
		}
	}, func() {})
	if m.anomalies.Panics() == 0 {
		t.Error("the panicking listener was not counted")
	}
}
