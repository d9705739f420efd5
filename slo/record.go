package slo

import "time"

// Record counts one event in the current minute of the coarse clock. It
// never reads the clock, takes no lock and does not allocate.
func (s *SLO) Record(good bool) {
	slot := &s.ring[s.slot.Load()]
	if good {
		slot.good.Add(1)
	} else {
		slot.bad.Add(1)
	}
}

// RecordLatency records an event that took d: good when d is at most the
// objective's Latency. On a request objective (Latency 0) every event is
// good.
func (s *SLO) RecordLatency(d time.Duration) {
	s.Record(s.obj.Latency == 0 || d <= s.obj.Latency)
}

// RecordLatencyAt is RecordLatency for an event at t.
func (s *SLO) RecordLatencyAt(t time.Time, d time.Duration) {
	s.RecordAt(t, s.obj.Latency == 0 || d <= s.obj.Latency)
}

// RecordAt counts one event at t. A t in a newer minute advances the coarse
// clock (rotating buckets under a per-objective lock, once per minute); a
// late t still inside the 3-day minute ring lands in its own minute; an
// older t is counted as dropped (Status.DroppedLate, and slo.events), never
// silently lost.
func (s *SLO) RecordAt(t time.Time, good bool) {
	if good {
		s.AddAt(t, 1, 0)
	} else {
		s.AddAt(t, 0, 1)
	}
}

// AddAt counts good and bad events at t in one step, as RecordAt would one
// by one; for callers that batch (and for replaying a stream).
func (s *SLO) AddAt(t time.Time, good, bad uint32) {
	m := unixMinute(t)
	cur := s.cur.Load()
	if m > cur {
		s.advance(t)
		cur = s.cur.Load()
	}
	if cur-m >= ringMinutes {
		s.droppedGood.Add(uint64(good))
		s.droppedBad.Add(uint64(bad))
		return
	}
	if sec := t.Unix(); sec < s.origin.Load() {
		s.lowerOrigin(sec)
	}
	slot := &s.ring[floorMod(m, ringMinutes)]
	if good != 0 {
		slot.good.Add(good)
	}
	if bad != 0 {
		slot.bad.Add(bad)
	}
}

func (s *SLO) lowerOrigin(sec int64) {
	for {
		o := s.origin.Load()
		if sec >= o || s.origin.CompareAndSwap(o, sec) {
			return
		}
	}
}

// Tick advances the coarse clock to the clock's current time (see
// WithClock). A running Set does this for you.
func (s *SLO) Tick() { s.advance(s.now()) }

// TickAt advances the coarse clock to t; an older t is ignored.
func (s *SLO) TickAt(t time.Time) { s.advance(t) }

func (s *SLO) advance(t time.Time) {
	m := unixMinute(t)
	if m <= s.cur.Load() {
		return
	}
	s.mu.Lock()
	s.advanceLocked(m)
	s.mu.Unlock()
}

// advanceLocked moves the clock to minute m, folding the minutes that leave
// the ring into the hourly buckets. Each slot is emptied with Swap, so an
// event racing with the fold is either folded or kept, never lost.
func (s *SLO) advanceLocked(m int64) {
	cur := s.cur.Load()
	if m <= cur {
		return
	}
	steps := min(m-cur, ringMinutes)
	for k := int64(1); k <= steps; k++ {
		slot := &s.ring[floorMod(cur+k, ringMinutes)]
		g, b := uint64(slot.good.Swap(0)), uint64(slot.bad.Swap(0))
		s.fold(cur+k-ringMinutes, g, b)
	}
	s.cur.Store(m)
	s.slot.Store(floorMod(m, ringMinutes))
}

// fold adds minute m's counts, which are leaving the ring, to the hourly
// buckets.
func (s *SLO) fold(m int64, g, b uint64) {
	s.foldedGood += g
	s.foldedBad += b
	if s.sliceMin == 0 {
		if g|b != 0 {
			if hb := s.hourBucket(floorDiv(m-s.hourAlign, 60)); hb != nil {
				hb.good += g
				hb.bad += b
			}
		}
		return
	}
	if id := s.sliceOf(m); id != s.pendSlice {
		s.flushSlice()
		s.pendSlice = id
	}
	s.pendGood += g
	s.pendBad += b
	if floorMod(m+1, s.sliceMin) == 0 { // the slice's last minute
		s.flushSlice()
	}
}

// flushSlice judges the pending slice and counts it in the hour of its
// start.
func (s *SLO) flushSlice() {
	g, b := s.pendGood, s.pendBad
	s.pendGood, s.pendBad = 0, 0
	if g+b == 0 {
		return
	}
	hb := s.hourBucket(floorDiv(s.pendSlice*s.sliceMin-s.hourAlign, 60))
	if hb == nil {
		return
	}
	if s.sliceGood(g, b) {
		hb.good++
	} else {
		hb.bad++
	}
}

// sliceGood reports whether a slice with g good and b bad events meets the
// slice target.
func (s *SLO) sliceGood(g, b uint64) bool {
	return float64(g) >= s.obj.Timeslice.Target*float64(g+b)
}

// hourBucket returns the bucket of hour h, advancing the hourly ring when
// h is newer than its newest hour, or nil when h is too old or there is no
// hourly ring (periods up to 3 days live in the minute ring).
func (s *SLO) hourBucket(h int64) *hourBucket {
	n := int64(len(s.hours))
	if n == 0 {
		return nil
	}
	if h > s.lastHour {
		steps := min(h-s.lastHour, n)
		for k := int64(1); k <= steps; k++ {
			s.hours[floorMod(s.lastHour+k, n)] = hourBucket{}
		}
		s.lastHour = h
	}
	if h <= s.lastHour-n {
		return nil
	}
	return &s.hours[floorMod(h, n)]
}
