package detect

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// ErrTooManySeries is returned by [Monitor.ObserveAt] for a new series when
// the Monitor already tracks its maximum number of series. The point is not
// observed; [Monitor.Refused] counts such refusals.
var ErrTooManySeries = errors.New("detect: too many series")

// Anomaly is what a Monitor hands its listeners when a series' detector
// flags a point.
type Anomaly struct {
	// Series is the series name given to ObserveAt.
	Series string
	// Detector is the flagging detector's Name.
	Detector string
	// Time and Value are the observed point.
	Time  time.Time
	Value float64
	// Result is the detector's verdict.
	Result Result
}

// Monitor runs one detector per named series and reports anomalies to
// listeners and to OpenTelemetry (anomaly.score, anomaly.detections).
//
// The zero value is not usable: build one with [NewMonitor]. A Monitor is
// safe for concurrent use. Most callers want [Monitor.ObserveAt], from the
// tick path (once per series per interval).
//
// Observations of one series are serialised by that series' own lock;
// different series never contend. The name -> series table is an immutable
// map behind an atomic pointer, replaced (copy on write) only when a series
// is added or forgotten, so the hot path takes no shared lock and does not
// allocate.
type Monitor struct {
	newDetector func() Detector
	maxSeries   int
	refused     atomic.Uint64

	table atomic.Pointer[map[string]*monitorSeries]
	// mu serialises writers of table.
	mu sync.Mutex

	listeners atomic.Pointer[[]*anomalyListener]
	// lmu serialises writers of listeners.
	lmu sync.Mutex

	detections metric.Int64Counter
	scoreReg   metric.Registration
	shutOnce   sync.Once
	shutErr    error
}

// monitorSeries is one named stream and its detector.
type monitorSeries struct {
	name     string
	detector string
	// mu guards det.
	mu  sync.Mutex
	det Detector
	// score holds math.Float64bits of the last score, read at collection.
	score atomic.Uint64
	// scoreAttrs and addOpts are built once so reporting never allocates.
	scoreAttrs metric.MeasurementOption
	addOpts    []metric.AddOption
}

// NewMonitor returns a Monitor that builds each new series' detector with
// newDetector, called with no lock held when a series is first seen and the
// Monitor is below its limit (goroutines racing to create the same series
// may each call it; all but one detector are then discarded).
func NewMonitor(newDetector func() Detector, opts ...MonitorOption) (*Monitor, error) {
	if newDetector == nil {
		return nil, fmt.Errorf("detect: NewMonitor: newDetector must not be nil")
	}
	cfg, err := newMonitorConfig(opts)
	if err != nil {
		return nil, err
	}
	m := &Monitor{newDetector: newDetector, maxSeries: cfg.maxSeries}
	empty := map[string]*monitorSeries{}
	m.table.Store(&empty)
	ls := make([]*anomalyListener, 0, len(cfg.listeners))
	for _, fn := range cfg.listeners {
		ls = append(ls, &anomalyListener{fn: fn})
	}
	m.listeners.Store(&ls)
	if err := m.instrument(cfg.provider); err != nil {
		return nil, err
	}
	return m, nil
}

// Observe is ObserveAt with the current time.
func (m *Monitor) Observe(name string, v float64) (Result, error) {
	return m.ObserveAt(name, time.Now(), v)
}

// ObserveAt feeds (t, v) to the detector of series name, creating the
// series on first use. It returns the detector's Result, or
// [ErrTooManySeries] (counted by [Monitor.Refused]) for a new series past
// the limit. When the point is an anomaly it counts it in
// anomaly.detections and then calls every listener in registration order,
// on the calling goroutine, with no lock held.
func (m *Monitor) ObserveAt(name string, t time.Time, v float64) (Result, error) {
	s := (*m.table.Load())[name]
	if s == nil {
		var err error
		if s, err = m.add(name); err != nil {
			return Result{}, err
		}
	}
	s.mu.Lock()
	r := s.det.ObserveAt(t, v)
	s.mu.Unlock()
	if !r.Skipped {
		s.score.Store(math.Float64bits(r.Score))
	}
	if r.Anomaly {
		m.detections.Add(context.Background(), 1, s.addOpts...)
		a := Anomaly{Series: name, Detector: s.detector, Time: t, Value: v, Result: r}
		for _, l := range *m.listeners.Load() {
			l.fn(a)
		}
	}
	return r, nil
}

// add creates series name, or returns it if another goroutine did first.
// A Monitor at its limit refuses before building anything, so a flood of
// new names costs neither detector construction nor garbage.
func (m *Monitor) add(name string) (*monitorSeries, error) {
	if len(*m.table.Load()) >= m.maxSeries {
		return nil, m.refuse(name)
	}
	det := m.newDetector()
	if det == nil {
		return nil, fmt.Errorf("detect: Monitor: the detector factory returned nil for series %q", name)
	}
	s := &monitorSeries{name: name, detector: det.Name(), det: det}
	s.scoreAttrs = metric.WithAttributeSet(attribute.NewSet(attribute.String("anomaly.series", name)))
	s.addOpts = []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(
		attribute.String("anomaly.series", name), attribute.String("anomaly.detector", s.detector)))}
	m.mu.Lock()
	defer m.mu.Unlock()
	old := *m.table.Load()
	if cur := old[name]; cur != nil {
		return cur, nil
	}
	if len(old) >= m.maxSeries {
		return nil, m.refuse(name)
	}
	next := make(map[string]*monitorSeries, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[name] = s
	m.table.Store(&next)
	return s, nil
}

// refuse counts a refused new series and returns its error.
func (m *Monitor) refuse(name string) error {
	m.refused.Add(1)
	return fmt.Errorf("%w: series %q refused, the limit is %d", ErrTooManySeries, name, m.maxSeries)
}

// Forget drops series name and its detector, freeing its slot; it reports
// whether the series existed. Its anomaly.score stops being reported.
func (m *Monitor) Forget(name string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := *m.table.Load()
	if old[name] == nil {
		return false
	}
	next := make(map[string]*monitorSeries, len(old))
	for k, v := range old {
		if k != name {
			next[k] = v
		}
	}
	m.table.Store(&next)
	return true
}

// OnAnomaly registers fn to be called for every anomaly, after those
// already registered. Listeners run on the goroutine that called
// ObserveAt, outside every lock; a slow listener delays only that caller.
//
// remove unregisters fn; an anomaly already being delivered may still
// reach it once. remove is idempotent. A nil fn is ignored.
func (m *Monitor) OnAnomaly(fn func(Anomaly)) (remove func()) {
	if fn == nil {
		return func() {}
	}
	l := &anomalyListener{fn: fn}
	m.lmu.Lock()
	defer m.lmu.Unlock()
	old := *m.listeners.Load()
	next := append(append(make([]*anomalyListener, 0, len(old)+1), old...), l)
	m.listeners.Store(&next)
	return func() {
		m.lmu.Lock()
		defer m.lmu.Unlock()
		cur := *m.listeners.Load()
		if i := slices.Index(cur, l); i >= 0 {
			next := slices.Delete(slices.Clone(cur), i, i+1)
			m.listeners.Store(&next)
		}
	}
}

// anomalyListener gives each registration an identity, so that remove takes
// back exactly the one it added even when fn is registered twice.
type anomalyListener struct{ fn func(Anomaly) }

// Len returns the number of series tracked.
func (m *Monitor) Len() int { return len(*m.table.Load()) }

// Refused returns how many observations were refused with
// [ErrTooManySeries] since construction.
func (m *Monitor) Refused() uint64 { return m.refused.Load() }

// Score returns the last score of series name, and whether it exists.
func (m *Monitor) Score(name string) (float64, bool) {
	s := (*m.table.Load())[name]
	if s == nil {
		return 0, false
	}
	return math.Float64frombits(s.score.Load()), true
}
