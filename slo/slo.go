package slo

import (
	"sync"
	"sync/atomic"
	"time"
)

// ringMinutes is the length of the minute ring: the longest alert window
// (3 days) at 1-minute resolution.
const ringMinutes = int64(MaxAlertWindow / time.Minute)

// minuteSlot holds one minute's good and bad counts (events, not slices).
// uint32 keeps the ring at 34 KiB; a minute overflows only past 4.29e9
// events of one outcome (71 million per second).
type minuteSlot struct {
	good, bad atomic.Uint32
}

// hourBucket holds what left the minute ring for one hour: events for
// Occurrences, slices (by the hour of their start) for Timeslices.
type hourBucket struct {
	good, bad uint64
}

// SLO tracks one Objective: it records events on the hot path and computes
// windows, budget and alert states on demand.
//
// Create it with New; the zero value is not usable. All methods are safe
// for concurrent use. Most callers want Record (or RecordLatency) per
// request and Status for reporting; a Set ticks objectives in the
// background and fires alert listeners.
//
// Recording is lock-free: Record adds to the current minute's counter with
// one atomic add, never reads the clock and never allocates. The current
// minute is a coarse clock advanced by Tick, TickAt, StatusAt, RecordAt
// with a newer time, or a running Set.
type SLO struct {
	// Hot path: the ring slot of the current minute, and the ring.
	slot atomic.Int64
	cur  atomic.Int64 // current minute since the epoch
	_    [48]byte     // keep the counters off the clock's cache line
	ring [ringMinutes]minuteSlot

	origin      atomic.Int64 // Unix seconds of the earliest time observed
	droppedGood atomic.Uint64
	droppedBad  atomic.Uint64

	obj        Objective // validated, Tiers and Timeslice defaulted
	period     time.Duration
	thresholds []float64
	minEvents  []uint64 // per tier, Tier.MinEventCount
	sliceMin   int64    // minutes per slice; 0 for Occurrences
	now        func() time.Time

	mu         sync.Mutex // guards the fields below and advancing cur
	hours      []hourBucket
	hourAlign  int64 // hour buckets start at minute ≡ hourAlign (mod 60)
	lastHour   int64 // newest hour id held in hours
	foldedGood uint64
	foldedBad  uint64
	pendSlice  int64 // slice id being folded (Timeslices)
	pendGood   uint64
	pendBad    uint64
	// The slo.events counter is carry + (history total - base): base is the
	// history total when a snapshot was last installed, carry what this
	// process had counted before that, so a restore never moves it.
	exportBaseGood, exportBaseBad   uint64
	exportCarryGood, exportCarryBad uint64

	tickMu sync.Mutex // serializes alert evaluation (Set ticks)
	firing []bool     // last evaluated state per tier
	last   atomic.Pointer[Status]
}

// New validates o and returns an SLO whose history starts at the clock's
// current time. It starts no goroutine.
func New(o Objective, opts ...Option) (*SLO, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	cfg := settings{now: time.Now}
	for _, opt := range opts {
		if opt != nil {
			opt.applyNew(&cfg)
		}
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	s := &SLO{obj: o, now: cfg.now, period: o.Window.Period()}
	s.obj.Tiers = o.AlertTiers()
	if o.Budgeting == Timeslices {
		if s.obj.Timeslice.Duration == 0 {
			s.obj.Timeslice.Duration = time.Minute
		}
		if s.obj.Timeslice.Target == 0 {
			s.obj.Timeslice.Target = o.Target
		}
		s.sliceMin = int64(s.obj.Timeslice.Duration / time.Minute)
	}
	for _, t := range s.obj.Tiers {
		s.thresholds = append(s.thresholds, t.BurnRateThreshold(s.period))
		s.minEvents = append(s.minEvents, t.MinEventCount(o.Target, s.period))
	}
	s.firing = make([]bool, len(s.obj.Tiers))
	start := cfg.now()
	s.reset(start)
	return s, nil
}

// reset empties the state and places the clock at t.
func (s *SLO) reset(t time.Time) {
	m := unixMinute(t)
	s.cur.Store(m)
	s.slot.Store(floorMod(m, ringMinutes))
	s.origin.Store(t.Unix())
	if s.obj.Window.Calendar != CalendarNone {
		start, _ := s.obj.Window.bounds(t)
		s.hourAlign = floorMod(unixMinute(start), 60)
	}
	if p := int64(s.obj.Window.maxPeriod() / time.Minute); p > ringMinutes {
		s.hours = make([]hourBucket, (p-ringMinutes)/60+2)
	}
	s.lastHour = floorDiv(m-ringMinutes-s.hourAlign, 60)
	s.pendSlice = s.sliceOf(m - ringMinutes)
}

// Objective returns the objective with defaults filled in (Tiers,
// Timeslice).
func (s *SLO) Objective() Objective {
	o := s.obj
	o.Tiers = append([]Tier(nil), s.obj.Tiers...)
	return o
}

// Name returns the objective's name.
func (s *SLO) Name() string { return s.obj.Name }

func (s *SLO) sliceOf(m int64) int64 {
	if s.sliceMin == 0 {
		return 0
	}
	return floorDiv(m, s.sliceMin)
}

// ProcessEvents returns the good and bad events this process has recorded
// since New: the exported slo.events counter. Unlike Events it excludes
// history restored from a snapshot and never decreases for the life of
// the process, so Prometheus sees a restart as one counter reset to zero,
// never a restored history to count twice. It reads every minute of the
// ring, so it is meant for metric collection, not for the hot path.
func (s *SLO) ProcessEvents() (good, bad uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, b := s.eventsLocked()
	return s.exportCarryGood + g - s.exportBaseGood, s.exportCarryBad + b - s.exportBaseBad
}

// rebaseExportLocked is deferred by install with the history total from
// before it replaced the state: what the process had counted is carried,
// and the installed history becomes the new base, outside the counter.
func (s *SLO) rebaseExportLocked(beforeGood, beforeBad uint64) {
	s.exportCarryGood += beforeGood - s.exportBaseGood
	s.exportCarryBad += beforeBad - s.exportBaseBad
	s.exportBaseGood, s.exportBaseBad = s.eventsLocked()
}
