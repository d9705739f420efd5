package detect

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/internal/cowmap"
	"github.com/nines-sre/nines/internal/lifecycle"
	"github.com/nines-sre/nines/internal/listeners"
)

// ErrTooManySeries is returned by [Monitor.ObserveAt] for a new series when
// the Monitor already tracks its maximum number of series. The point is not
// observed; [Monitor.Refused] counts such refusals.
var ErrTooManySeries = errors.New("detect: too many series")

// ErrBacklog is returned by [Monitor.ObserveAt] when the series is being
// observed by another call whose hand-off backlog already holds
// 1024 points: the point is not observed; [Monitor.Refused] counts
// it. Only a series fed from several goroutines faster than its detector
// runs can see it.
var ErrBacklog = errors.New("detect: series backlog full")

// maxBacklog bounds the points handed to the call observing a series (see
// Monitor.ObserveAt), per series: enough for bursts from a few goroutines,
// about 32 KiB at most, allocated only when calls overlap.
const maxBacklog = 1024

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
// tick path (once per series per interval, from one goroutine).
//
// No lock is held while a detector or a listener runs, so either may call
// the Monitor back, even ObserveAt on its own series (see ObserveAt for
// what that does). The name -> series table is copy on write, so the hot
// path takes no shared lock and does not allocate.
type Monitor struct {
	newDetector func() Detector
	maxSeries   int
	refused     atomic.Uint64

	table     cowmap.Map[string, *monitorSeries]
	anomalies listeners.List[Anomaly]
	lc        lifecycle.Lifecycle

	detections metric.Int64Counter
	scoreReg   metric.Registration
}

// NewMonitor returns a Monitor that builds each new series' detector with
// newDetector, called with no lock held when a series is first seen and the
// Monitor is below its limit (goroutines racing to create the same series
// may each call it; all but one detector are then discarded).
func NewMonitor(newDetector func() Detector, opts ...MonitorOption) (*Monitor, error) {
	if newDetector == nil {
		return nil, invalid("NewMonitor newDetector", nil, "must not be nil")
	}
	cfg, err := newMonitorConfig(opts)
	if err != nil {
		return nil, err
	}
	m := &Monitor{newDetector: newDetector, maxSeries: cfg.maxSeries}
	for _, fn := range cfg.listeners {
		m.anomalies.Add(fn)
	}
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
// series on first use, and returns the detector's Result. It returns
// [ErrTooManySeries] (counted by [Monitor.Refused]) for a new series past
// the limit. When the point is an anomaly it counts it in
// anomaly.detections and then calls every listener in registration order,
// on the calling goroutine, with no lock held.
//
// A detector is never run by two calls at once, and never under a lock.
// When another ObserveAt of the same series is in progress (on another
// goroutine, or further up this goroutine's stack: a detector or listener
// calling back), this call does not wait for it: it hands (t, v) over and
// returns at once with a Result whose Skipped is true. The call in progress
// observes the handed-over points after its own, in the order they came,
// with the same metrics and listeners, before it returns. At most
// 1024 points wait per series; past that ObserveAt returns
// [ErrBacklog].
func (m *Monitor) ObserveAt(name string, t time.Time, v float64) (Result, error) {
	s, ok := m.table.Load(name)
	if !ok {
		var err error
		if s, err = m.add(name); err != nil {
			return Result{}, err
		}
	}
	if !s.take() {
		if !s.handOver(t, v) {
			m.refused.Add(1)
			return Result{}, fmt.Errorf("%w: series %q has %d points waiting", ErrBacklog, name, maxBacklog)
		}
		if !s.take() {
			return Result{Skipped: true}, nil // the holder observes it
		}
		// The holder let go before seeing the point: observe the backlog,
		// this point among it, ourselves.
		m.hold(s)
		return Result{Skipped: true}, nil
	}
	held := true
	defer func() {
		if held {
			s.abandon() // the detector panicked: do not wedge the series
		}
	}()
	// observe's body, by hand: Go does not inline it (the interface call
	// is over budget), and the call cost the hot path a third of its time.
	r := s.det.ObserveAt(t, v)
	if !r.Skipped {
		s.score.Store(math.Float64bits(r.Score))
	}
	if r.Anomaly {
		m.report(s, t, v, r)
	}
	held = false
	if !s.release() {
		m.hold(s) // points were handed over meanwhile
	}
	return r, nil
}

// hold observes the points handed over to the turn holder (the caller),
// then releases the turn. A detector that panics unwinds through here: the
// turn is given back so the series is not wedged for good (the
// handed-over points are lost with the panic).
func (m *Monitor) hold(s *monitorSeries) {
	done := false
	defer func() {
		if !done {
			s.abandon()
		}
	}()
	for {
		for p, ok := s.pop(); ok; p, ok = s.pop() {
			m.observe(s, p.t, p.v)
		}
		if s.release() {
			done = true
			return
		}
	}
}

// observe runs the detector on one point and reports it, with no lock held;
// the caller holds the series' turn. ObserveAt repeats it inline.
func (m *Monitor) observe(s *monitorSeries, t time.Time, v float64) Result {
	r := s.det.ObserveAt(t, v)
	if !r.Skipped {
		s.score.Store(math.Float64bits(r.Score))
	}
	if r.Anomaly {
		m.report(s, t, v, r)
	}
	return r
}

// report counts an anomaly and hands it to the listeners.
func (m *Monitor) report(s *monitorSeries, t time.Time, v float64, r Result) {
	m.detections.Add(context.Background(), 1, s.addOpts...)
	m.anomalies.Emit(Anomaly{Series: s.name, Detector: s.detector, Time: t, Value: v, Result: r})
}

// add creates series name, or returns it if another goroutine did first.
// A Monitor at its limit refuses before building anything, so a flood of
// new names costs neither detector construction nor garbage.
func (m *Monitor) add(name string) (*monitorSeries, error) {
	if m.table.Len() >= m.maxSeries {
		return nil, m.refuse(name)
	}
	det := m.newDetector()
	if det == nil {
		return nil, invalid("NewMonitor newDetector()", nil, fmt.Sprintf("returned nil for series %q", name))
	}
	s := newSeries(name, det)
	actual, loaded, stored := m.table.StoreIf(name, s, func(n int) bool { return n < m.maxSeries })
	if !loaded && !stored {
		return nil, m.refuse(name)
	}
	return actual, nil
}

// refuse counts a refused new series and returns its error.
func (m *Monitor) refuse(name string) error {
	m.refused.Add(1)
	return fmt.Errorf("%w: series %q refused, the limit is %d", ErrTooManySeries, name, m.maxSeries)
}

// Forget drops series name and its detector, freeing its slot; it reports
// whether the series existed. Its anomaly.score stops being reported. An
// ObserveAt of the series in progress finishes on the dropped detector; a
// later one starts a new series.
func (m *Monitor) Forget(name string) bool {
	if _, ok := m.table.Load(name); !ok {
		return false // no write lock for an unknown name
	}
	return m.table.Delete(name) // false if a concurrent Forget won
}

// OnAnomaly registers fn to be called for every anomaly, after those
// already registered. Listeners run on the goroutine that called
// ObserveAt, outside every lock; a slow listener delays only that caller.
// A panicking listener is recovered: the others still hear the anomaly and
// ObserveAt returns normally.
//
// remove unregisters fn (exactly this registration, even when fn is
// registered twice); an anomaly already being delivered may still reach it
// once. remove is idempotent. A nil fn is ignored.
func (m *Monitor) OnAnomaly(fn func(Anomaly)) (remove func()) {
	return m.anomalies.Add(fn)
}

// Len returns the number of series tracked.
func (m *Monitor) Len() int { return m.table.Len() }

// Refused returns how many observations were refused, with
// [ErrTooManySeries] or [ErrBacklog], since construction.
func (m *Monitor) Refused() uint64 { return m.refused.Load() }

// Score returns the last score of series name, and whether it exists.
func (m *Monitor) Score(name string) (float64, bool) {
	s, ok := m.table.Load(name)
	if !ok {
		return 0, false
	}
	return math.Float64frombits(s.score.Load()), true
}
