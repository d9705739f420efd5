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
// never under a lock: the mutex guards only the turn and the backlog of
// points handed over to the holder, so a detector or listener calling
// ObserveAt on its own series hands its point over instead of deadlocking.
type monitorSeries struct {
	name     string
	detector string
	det      Detector // used only by the turn holder

	mu      sync.Mutex // guards busy and backlog; never held in user code
	busy    bool       // a call holds the turn
	backlog []point    // points handed over, from head on
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

type turn uint8

const (
	gotTurn turn = iota
	handedOver
	backlogFull
)

// claim takes the turn, or hands (t, v) over to its holder.
func (s *monitorSeries) claim(t time.Time, v float64) turn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.busy {
		s.busy = true
		return gotTurn
	}
	if len(s.backlog)-s.head >= MaxBacklog {
		return backlogFull
	}
	if len(s.backlog) == cap(s.backlog) && s.head > 0 {
		// Slide down rather than grow: the backlog's memory stays
		// bounded by MaxBacklog however long the holder keeps the turn.
		n := copy(s.backlog, s.backlog[s.head:])
		s.backlog, s.head = s.backlog[:n], 0
	}
	s.backlog = append(s.backlog, point{t, v})
	return handedOver
}

// next returns the oldest point handed over, or releases the turn and
// reports false when there is none. Only the turn holder calls it.
func (s *monitorSeries) next() (point, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.head == len(s.backlog) {
		s.backlog, s.head = s.backlog[:0], 0 // keep the capacity for next time
		s.busy = false
		return point{}, false
	}
	p := s.backlog[s.head]
	s.head++
	return p, true
}

// abandon releases the turn and drops the backlog, after a panic.
func (s *monitorSeries) abandon() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.backlog, s.head = s.backlog[:0], 0
	s.busy = false
}
