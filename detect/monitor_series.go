package detect

import (
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// monitorSeries is one named stream and its detector.
//
// Its detector is run by one call at a time, the one holding the turn, and
// never under a lock: the turn is an atomic flag, and the mutex guards only
// the backlog of points handed over to the holder, so a detector or
// listener calling ObserveAt on its own series hands its point over
// instead of deadlocking.
type monitorSeries struct {
	name     string
	detector string
	det      Detector // used only by the turn holder

	busy    atomic.Bool  // a call holds the turn
	waiting atomic.Int32 // len(backlog) - head; written under mu
	mu      sync.Mutex   // guards backlog and head; never held in user code
	backlog []point
	head    int

	// score holds math.Float64bits of the last score, read at collection.
	score atomic.Uint64
	// scoreAttrs and addOpts are built once so reporting never allocates.
	scoreAttrs metric.MeasurementOption
	addOpts    []metric.AddOption
}

type point struct {
	t time.Time
	v float64
}

func newSeries(name string, det Detector) *monitorSeries {
	s := &monitorSeries{name: name, detector: det.Name(), det: det}
	s.scoreAttrs = metric.WithAttributeSet(attribute.NewSet(attribute.String("anomaly.series", name)))
	s.addOpts = []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(
		attribute.String("anomaly.series", name), attribute.String("anomaly.detector", s.detector)))}
	return s
}

// take takes the turn if no call holds it.
func (s *monitorSeries) take() bool { return s.busy.CompareAndSwap(false, true) }

// handOver queues (t, v) for the turn holder; false if the backlog is full.
func (s *monitorSeries) handOver(t time.Time, v float64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.backlog)-s.head >= maxBacklog {
		return false
	}
	if len(s.backlog) == cap(s.backlog) && s.head > 0 {
		// Slide down rather than grow: the backlog's memory stays
		// bounded by maxBacklog however long the holder keeps the turn.
		n := copy(s.backlog, s.backlog[s.head:])
		s.backlog, s.head = s.backlog[:n], 0
	}
	s.backlog = append(s.backlog, point{t, v})
	s.waiting.Add(1)
	return true
}

// pop returns the oldest point handed over. Only the turn holder calls it.
func (s *monitorSeries) pop() (point, bool) {
	if s.waiting.Load() == 0 {
		return point{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.backlog[s.head]
	s.head++
	s.waiting.Add(-1)
	if s.head == len(s.backlog) {
		s.backlog, s.head = s.backlog[:0], 0 // keep the capacity for next time
	}
	return p, true
}

// release gives the turn back. It reports false when a point was handed
// over meanwhile and the caller took the turn back to observe it: a
// handing-over call queues, then tries to take the turn; the holder
// releases, then looks at the queue. Whichever goes second sees the other's
// write, so no point is left behind with nobody holding the turn.
func (s *monitorSeries) release() bool {
	s.busy.Store(false)
	if s.waiting.Load() == 0 {
		return true
	}
	return !s.take()
}

// abandon releases the turn and drops the backlog, after a panic.
func (s *monitorSeries) abandon() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.backlog, s.head = s.backlog[:0], 0
	s.waiting.Store(0)
	s.busy.Store(false)
}
